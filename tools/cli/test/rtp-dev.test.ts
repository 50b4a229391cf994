import { describe, expect, it } from '@jest/globals';
import { execa, type ResultPromise } from 'execa';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { processesMentioning, waitForOutput } from '@realtime-platform/testkit';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { connectAsync } from 'mqtt';
import mysql from 'mysql2/promise';

const rtp = fileURLToPath(new URL('../dist/main.js', import.meta.url));

const field = (output: string, label: string): string => {
  const literal = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${literal}\\s+(\\S+)(?: / (\\S+))?`).exec(output);
  if (!match?.[1]) throw new Error(`no "${label}" in:\n${output}`);
  return match[2] ? `${match[1]} ${match[2]}` : match[1];
};

describe('rtp dev', () => {
  it('starts real servers, prints working endpoints and credentials, and leaves nothing behind on Ctrl-C', async () => {
    const child = execa('node', [rtp, 'dev', '--name', 'dev-test', '--no-services'], {
      reject: false,
    });
    const output = await waitForOutput(child, /Ctrl-C stops it[\s\S]*Logs\s+.+\n/, 120_000);

    const bootstrap = field(output, 'Kafka bootstrap');
    const login = (label: string) => {
      const [username = '', password = ''] = field(output, label).split(' ');
      return { mechanism: 'scram-sha-512' as const, username, password };
    };
    const listTopics = async (label: string): Promise<string[]> => {
      const admin = new Kafka({
        clientId: 'test',
        brokers: [bootstrap],
        sasl: login(label),
        logLevel: logLevel.NOTHING,
      }).admin();
      await admin.connect();
      try {
        return await admin.listTopics();
      } finally {
        await admin.disconnect();
      }
    };
    const topics = await listTopics('Kafka admin user');
    // The applications' login sees the vital topics and the alerts, never the raw readings.
    const appTopics = await listTopics('Kafka app user');
    expect(appTopics).toContain('heart_rate_device_topic');
    expect(appTopics).not.toContain('device_data');
    expect(topics).toEqual(
      expect.arrayContaining([
        'device_data',
        'heart_rate_device_topic',
        'device_data.dlq',
        'health_alerts',
      ]),
    );

    // The gateway's user publishes readings; the applications' user may not (the broker's ACL).
    const [username, password] = field(output, 'gateway').split(' ');
    const mqtt = await connectAsync(field(output, 'MQTT'), {
      username,
      password,
      reconnectPeriod: 0,
    });
    await mqtt.publishAsync('health/device_data', '{"deviceId":"d1"}', { qos: 1 });
    await mqtt.endAsync();
    const [appUser, appPassword] = field(output, 'applications').split(' ');
    const app = await connectAsync(field(output, 'MQTT'), {
      username: appUser,
      password: appPassword,
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    await expect(
      app.publishAsync('health/device_data', '{"deviceId":"d1"}', { qos: 1 }),
    ).rejects.toThrow(/Not authorized/);
    await app.endAsync();

    const runDirs = field(output, 'Logs')
      .split(',')
      .map((dir) => dir.trim())
      .filter(Boolean);
    expect(runDirs.flatMap(processesMentioning)).not.toHaveLength(0);

    child.kill('SIGINT');
    const result = await child;

    expect(result.exitCode).toBe(0);
    expect(runDirs.flatMap(processesMentioning)).toEqual([]);
  }, 180_000);

  it.each([
    ['mysql', 'MySQL (MariaDB)', 'MySQL apps'],
    ['mongodb', 'MongoDB (FerretDB)', 'MongoDB apps'],
  ])(
    '--database %s runs that server, prints its applications’ login, which works, and stops it on Ctrl-C',
    async (database, urlLabel, appsLabel) => {
      const child = execa(
        'node',
        [rtp, 'dev', '--name', `dev-${database}`, '--no-services', '--database', database],
        { reject: false },
      );
      try {
        await expectApplicationLogin(child, database, urlLabel, appsLabel);
      } finally {
        child.kill('SIGINT');
      }
      expect((await child).exitCode).toBe(0);
    },
    180_000,
  );

  /** The printed application database login works with its driver; no server is left on Ctrl-C. */
  async function expectApplicationLogin(
    child: ResultPromise,
    database: string,
    urlLabel: string,
    appsLabel: string,
  ): Promise<void> {
    const output = await waitForOutput(child, /Ctrl-C stops it[\s\S]*Logs\s+.+\n/, 120_000);
    const url = new URL(field(output, urlLabel));
    const [user = '', password = ''] = field(output, appsLabel).split(' ');
    expect(decodeURIComponent(url.username)).toBe(user);
    if (database === 'mysql') {
      const connection = await mysql.createConnection({
        host: url.hostname,
        port: Number(url.port),
        user,
        password,
        database: url.pathname.slice(1),
      });
      const [rows] = await connection.query('SELECT DATABASE() AS db');
      expect(rows).toEqual([{ db: url.pathname.slice(1) }]);
      await connection.end();
    } else {
      url.password = encodeURIComponent(password);
      const client = new MongoClient(url.href, { serverSelectionTimeoutMS: 5_000 });
      await client.connect();
      expect((await client.db().command({ ping: 1 })).ok).toBe(1);
      await client.close();
    }
    const runDir = field(output, 'Logs');
    child.kill('SIGINT');
    await child;
    expect(processesMentioning(runDir)).toEqual([]);
    rmSync(runDir, { recursive: true, force: true });
  }

  it('exits 2 on --database of an engine the contract does not know, naming the option', async () => {
    const result = await execa('node', [rtp, 'dev', '--database', 'oracle'], { reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      '--database must be one of postgres, mysql, mongodb, got "oracle"',
    );
  });

  it('prints help and exits 0 with --help', async () => {
    const result = await execa('node', [rtp, '--help']);
    expect(result.stdout).toMatch(/Usage: rtp <command>/);
  });

  it('exits 2 on an unknown command, naming it', async () => {
    const result = await execa('node', [rtp, 'deploy'], { reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/unknown command "deploy"/);
  });
});
