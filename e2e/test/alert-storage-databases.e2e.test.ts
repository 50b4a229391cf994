import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MqttClient } from 'mqtt';
import { MongoClient } from 'mongodb';
import { LocalPlatform } from '@realtime-platform/local-platform';
import { FerretDbServer, MariaDbServer } from '@realtime-platform/local-infra';
import { alertsTopic, deviceMqttTopic, type Database } from '@realtime-platform/platform-contract';
import { gatewayPublisher, stopPlatform } from './support/platform-lifecycle.js';
import { reading } from './support/readings.js';
import { HubClient } from './support/ws-client.js';

/** How many alerts of `deviceId` the application database holds, read with its own client. */
async function storedAlerts(platform: LocalPlatform, deviceId: string): Promise<number> {
  const server = platform.applicationDatabase;
  if (server instanceof MariaDbServer) {
    const rows = await server.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM realtime_service_alerts WHERE device_id = ?',
      [deviceId],
      server.database,
    );
    return Number(rows[0]?.n);
  }
  if (server instanceof FerretDbServer) {
    const client = new MongoClient(server.connectionUrl(), server.clientOptions());
    try {
      await client.connect();
      return await client.db().collection('realtime_service_alerts').countDocuments({ deviceId });
    } finally {
      await client.close();
    }
  }
  const { rows } = await platform.postgres.query<{ count: string }>(
    'SELECT count(*) FROM realtime_service.alerts WHERE device_id = $1',
    [deviceId],
  );
  return Number(rows[0]?.count);
}

/**
 * Issue 19: the same path on each application database the claim offers - a reading published
 * over MQTT, through the bridge and the stream processor, raises an alert in the realtime service,
 * which stores it with the adapter DB_TYPE picks and serves it from there on GET /api/alerts.
 * MySQL runs as MariaDB (Debian's stand-in), MongoDB as FerretDB (its wire protocol).
 */
describe.each(['postgres', 'mysql', 'mongodb'] as const)(
  'MQTT → alert stored → GET /api/alerts on database: %s (real servers)',
  (database: Database) => {
    let platform: LocalPlatform;
    let publisher: MqttClient;
    let token: string;
    let client: HubClient | undefined;

    beforeAll(async () => {
      platform = await LocalPlatform.start({
        name: `e2e-${database}`,
        services: ['mqtt-bridge', 'stream-processor', 'realtime-service'],
        simulator: false,
        database,
      });
      token = await platform.token({ devices: ['bed-3'], topics: [alertsTopic] }, 'e2e-db');
      publisher = await gatewayPublisher(platform, `e2e-${database}`);
    }, 300_000);

    afterAll(async () => {
      client?.close();
      await publisher?.endAsync();
      await stopPlatform(platform);
    }, 60_000);

    it('gives the services a db secret of that engine', () => {
      const env = platform.platformEnv;
      expect(env.DB_TYPE).toBe(database);
      expect(new URL(env.DB_URL ?? '').protocol).toBe(
        `${database === 'postgres' ? 'postgresql' : database}:`,
      );
    });

    it('stores the alert of an out-of-range heart rate there and serves it from there', async () => {
      const wsUrl = `${platform.service('realtime-service').url.replace('http', 'ws')}/ws`;
      client = await HubClient.connect(wsUrl, token);
      await client.subscribe(alertsTopic, 'bed-3');
      await publisher.publishAsync(
        deviceMqttTopic,
        JSON.stringify(reading('bed-3', 1, { heartRate: 185 })),
        { qos: 1 },
      );
      // The service publishes an alert after it stored it: the frame means the row exists.
      const frame = await client.waitFor(
        (candidate) =>
          candidate.type === 'data' &&
          candidate.topic === alertsTopic &&
          candidate.data?.deviceId === 'bed-3',
        'alert frame for bed-3',
      );
      const response = await fetch(
        `${platform.service('realtime-service').url}/api/alerts?deviceId=bed-3`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      expect(response.status).toBe(200);
      const body = (await response.json()) as { alerts: { id: string; severity: string }[] };
      expect(body.alerts).toEqual([
        expect.objectContaining({ id: frame.data?.id, severity: 'critical' }),
      ]);
      expect(await storedAlerts(platform, 'bed-3')).toBe(1);
    });
  },
);
