// The Kafka pod's Snowflake init container script, run for real (sh, curl, sha256sum): the plugin
// download with its checksum, and the credential files Kafka Connect's config provider reads.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chartPath } from '../support/render-chart.js';
import { runShellScript } from '../support/run-shell-script.js';

const script = join(chartPath('realtime-platform'), 'files', 'scripts', 'prepare-snowflake.sh');
const jar = Buffer.from('PK\u0003\u0004 a stand-in for the Snowflake sink plugin jar');
const jarSha256 = createHash('sha256').update(jar).digest('hex');

let server: Server;
let downloads: number;
let dir: string;

const run = (env: Record<string, string> = {}) =>
  runShellScript(script, {
    PLUGIN_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/snowflake.jar`,
    PLUGIN_SHA256: jarSha256,
    PLUGIN_DIR: join(dir, 'plugins'),
    CREDENTIALS_DIR: join(dir, 'secret'),
    OUTPUT_DIR: join(dir, 'out'),
    CREDENTIALS_SECRET: 'snowflake-keypair',
    ...env,
  });

beforeEach(async () => {
  downloads = 0;
  server = createServer((_request, response) => {
    downloads += 1;
    response.end(jar);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  dir = await mkdtemp(join(tmpdir(), 'rtp-snowflake-setup-'));
  await mkdir(join(dir, 'secret'));
  await mkdir(join(dir, 'out'));
  await writeFile(join(dir, 'secret', 'SNOWFLAKE_URL'), 'xy12345.snowflakecomputing.com');
  await writeFile(join(dir, 'secret', 'SNOWFLAKE_USER'), 'KAFKA_USER');
  await writeFile(
    join(dir, 'secret', 'SNOWFLAKE_PRIVATE_KEY'),
    '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n',
  );
  await writeFile(join(dir, 'secret', 'SNOWFLAKE_SCHEMA'), 'HEALTH');
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

describe('realtime-platform: prepare-snowflake.sh', () => {
  it('installs the plugin once and writes the files the connector configuration names', async () => {
    expect(await run()).toMatchObject({ exitCode: 0, stderr: '' });
    expect(await readFile(join(dir, 'plugins', 'snowflake-kafka-connector.jar'))).toEqual(jar);
    const out = async (key: string) => readFile(join(dir, 'out', key), 'utf8');
    expect((await readdir(join(dir, 'out'))).sort()).toEqual([
      'SNOWFLAKE_DATABASE',
      'SNOWFLAKE_PRIVATE_KEY',
      'SNOWFLAKE_PRIVATE_KEY_PASSPHRASE',
      'SNOWFLAKE_SCHEMA',
      'SNOWFLAKE_URL',
      'SNOWFLAKE_USER',
    ]);
    // The key without its PEM armour and line breaks, as the Snowflake connector expects it.
    expect(await out('SNOWFLAKE_PRIVATE_KEY')).toBe(
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
    );
    expect(await out('SNOWFLAKE_DATABASE')).toBe('INGEST');
    expect(await out('SNOWFLAKE_SCHEMA')).toBe('HEALTH');
    expect(await out('SNOWFLAKE_PRIVATE_KEY_PASSPHRASE')).toBe('');
    expect((await run()).stdout).toContain('plugin present');
    expect(downloads).toBe(1);
  });

  it('refuses a plugin whose SHA-256 differs', async () => {
    const result = await run({ PLUGIN_SHA256: 'f'.repeat(64) });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('does not have the SHA-256');
    expect(await readdir(join(dir, 'plugins'))).not.toContain('snowflake-kafka-connector.jar');
  });

  it('fails, naming the Secret and the key, when a required key is missing', async () => {
    await rm(join(dir, 'secret', 'SNOWFLAKE_PRIVATE_KEY'));
    const result = await run();
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('snowflake-keypair has no SNOWFLAKE_PRIVATE_KEY');
  });
});
