import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { NodeService, localPlatformEnv } from '@realtime-platform/local-infra';
import {
  useKafkaBroker,
  usePostgresServer,
  useSchemaRegistry,
} from '@realtime-platform/local-infra/jest';
import { alertsTopic, dlqTopicName, runtimeEnv } from '@realtime-platform/platform-contract';
import { eventually } from '@realtime-platform/testkit';
import { apiErrors } from '../../src/interface/http/api.errors.js';
import {
  VitalProducer,
  bloodPressure,
  createPlatformTopics,
  heartRate,
} from '../helpers/platform-kafka.js';
import { readFileSync } from 'node:fs';
import { SignJWT, type JWTPayload } from 'jose';
import { accessClaimName } from '@realtime-platform/realtime-sdk';
import { newJwtSecret, signToken } from '../helpers/token.js';
import { TestClient, refusedUpgrade, refusedUpgradeStatus } from '../helpers/ws-client.js';

const heartRateTopic = 'heart_rate_device_topic';
const bloodPressureTopic = 'blood_pressure_device_topic';
/** Pinned like production (off loopback both are required): tokens must carry them. */
const issuer = 'https://id.hospital.test';
const audience = 'realtime-service';

let service: NodeService;
let producer: VitalProducer;
let secret: string;
let token: string;
const clients: TestClient[] = [];

// Declared before the servers: jest runs afterAll hooks in declaration order, so the service
// drains (commits, leaves its groups) while Kafka and PostgreSQL still run.
afterAll(async () => {
  for (const client of clients) client.close();
  await producer?.close();
  await service?.stop();
}, 60_000);

const kafka = useKafkaBroker();
// Logins of the platform's Kafka principals: the service reads schemas as `app`.
const registry = useSchemaRegistry(() => ({ users: kafka().registryUsers() }));
const postgres = usePostgresServer();

const wsUrl = () => `${service.url.replace('http', 'ws')}/ws`;
const open = async (): Promise<TestClient> => {
  const client = await TestClient.open(wsUrl(), token);
  clients.push(client);
  return client;
};
/** A REST call with the test token, another token, or none (`null`). */
const api = (path: string, bearer: string | null = token) =>
  fetch(`${service.url}${path}`, {
    headers: bearer === null ? {} : { authorization: `Bearer ${bearer}` },
  });

beforeAll(async () => {
  await createPlatformTopics(kafka());
  secret = newJwtSecret();
  token = await signToken(secret, { issuer, audience });
  service = await NodeService.start({
    name: 'realtime-service',
    entry: join(import.meta.dirname, '../../dist/main.js'),
    env: {
      ...(localPlatformEnv({
        kafka: kafka(),
        postgres: postgres(),
        schemaRegistry: registry(),
      }) as Record<string, string>),
      [runtimeEnv.wsJwtSecret]: secret,
      [runtimeEnv.wsJwtIssuer]: issuer,
      [runtimeEnv.wsJwtAudience]: audience,
      [runtimeEnv.instanceId]: 'it-replica-1',
    },
    startTimeoutMs: 120_000,
  });
  producer = await VitalProducer.connect(kafka(), registry().url);
}, 180_000);

describe('realtime-service as its own process on real Kafka, Schema Registry and PostgreSQL', () => {
  it('is ready only with its consumers joined and PostgreSQL reachable', async () => {
    const response = await fetch(`${service.url}/health/ready`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { checks: Record<string, { ok: boolean }> };
    expect(Object.keys(body.checks)).toEqual(
      expect.arrayContaining(['kafka-brokers', 'kafka-consumers', 'postgres']),
    );
  });

  it('streams Avro vital records to a WebSocket client subscribed to that device only', async () => {
    const client = await open();
    await client.subscribe(heartRateTopic, { deviceId: 'dev-a' });
    await client.subscribe(bloodPressureTopic, { deviceId: 'dev-a' });
    const t = Date.now();
    // One partition: dev-b's record is handled (and not sent to this client) before dev-a's.
    await producer.produce(
      heartRateTopic,
      [heartRate('dev-b', 80, t), heartRate('dev-a', 72, t)],
      0,
    );
    await producer.produce(bloodPressureTopic, [bloodPressure('dev-a', 121, 79, t)], 0);

    const hr = await client.waitFor((f) => f.topic === heartRateTopic && f.type === 'data');
    const bp = await client.waitFor((f) => f.topic === bloodPressureTopic && f.type === 'data');
    expect(hr.data).toEqual({
      deviceId: 'dev-a',
      kind: 'heart_rate',
      values: { heartRate: 72 },
      recordedAt: new Date(t).toISOString(),
      latitude: 52.37,
      longitude: 4.89,
    });
    expect(bp.data).toMatchObject({
      deviceId: 'dev-a',
      kind: 'blood_pressure',
      values: { systolic: 121, diastolic: 79 },
    });
    expect(client.data().map((d) => d.deviceId)).not.toContain('dev-b');
  });

  it('streams every device to a client subscribed without a filter', async () => {
    const client = await open();
    await client.subscribe(heartRateTopic);
    await producer.produce(heartRateTopic, [heartRate('dev-x', 61), heartRate('dev-y', 62)]);
    await client.waitFor((f) => f.data?.deviceId === 'dev-x');
    await client.waitFor((f) => f.data?.deviceId === 'dev-y');
  });

  it('answers GET /api/devices/:id/latest with the latest vital of each kind', async () => {
    const response = await api('/api/devices/dev-a/latest');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      deviceId: 'dev-a',
      vitals: {
        heart_rate: { values: { heartRate: 72 } },
        blood_pressure: { values: { systolic: 121, diastolic: 79 } },
      },
    });
    // Device ids may have 128 characters (more than the router's 100 for a path parameter).
    const longId = `dev-${'l'.repeat(124)}`;
    await producer.produce(heartRateTopic, [heartRate(longId, 65)]);
    await eventually(async () => (await api(`/api/devices/${longId}/latest`)).status === 200, {
      timeoutMs: 30_000,
    });
    const unknown = await api('/api/devices/never-seen/latest');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      code: 'RTP_ERR_REALTIME_SERVICE_DEVICE_NOT_FOUND',
    });
  });

  let alertId: string;

  it('raises an alert for an out-of-range heart rate that a second client receives and PostgreSQL keeps', async () => {
    const vitalsClient = await open();
    await vitalsClient.subscribe(heartRateTopic, { deviceId: 'dev-c' });
    const alertsClient = await open();
    await alertsClient.subscribe(alertsTopic, { deviceId: 'dev-c' });
    const everyAlertClient = await open();
    await everyAlertClient.subscribe(alertsTopic);

    const t = Date.now();
    await producer.produce(heartRateTopic, [heartRate('dev-c', 190, t)]);

    await vitalsClient.waitFor((f) => f.data?.deviceId === 'dev-c');
    const alert = await alertsClient.waitFor((f) => f.type === 'data' && f.topic === alertsTopic);
    expect(alert.data).toEqual({
      id: `heart-rate/${t}/dev-c`,
      deviceId: 'dev-c',
      ruleId: 'heart-rate',
      kind: 'heart_rate',
      metric: 'heartRate',
      value: 190,
      threshold: 130,
      direction: 'above',
      severity: 'critical',
      message: 'heartRate 190 bpm is above 130 bpm',
      recordedAt: new Date(t).toISOString(),
      raisedAt: expect.any(String),
    });
    alertId = alert.data?.id as string;
    await everyAlertClient.waitFor((f) => f.data?.id === alertId);

    const listed = (await (await api('/api/alerts?deviceId=dev-c')).json()) as {
      alerts: { id: string }[];
    };
    expect(listed.alerts.map((a) => a.id)).toEqual([alertId]);

    const db = new pg.Client({ connectionString: postgres().connectionString() });
    await db.connect();
    try {
      const { rows } = await db.query(
        'SELECT device_id, value FROM realtime_service.alerts WHERE id = $1',
        [alertId],
      );
      expect(rows).toEqual([{ device_id: 'dev-c', value: 190 }]);
    } finally {
      await db.end();
    }
  });

  it('publishes the alert to the alerts topic, keyed by device', async () => {
    const consumer = new Kafka({
      clientId: 'alerts-reader',
      // Any application may read the alerts.
      ...kafka().kafkajsConfig('app'),
      logLevel: logLevel.NOTHING,
    }).consumer({ groupId: `alerts-reader-${Date.now()}` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: alertsTopic, fromBeginning: true });
      const record = await new Promise<{ key: string; value: { id: string } }>(
        (resolve, reject) => {
          consumer
            .run({
              eachMessage: async ({ message }) => {
                const value = JSON.parse(String(message.value)) as { id: string };
                if (value.id === alertId) resolve({ key: String(message.key), value });
              },
            })
            .catch(reject);
        },
      );
      expect(record.key).toBe('dev-c');
    } finally {
      await consumer.disconnect();
    }
  });

  it('raises one alert while a device stays out of range, and again after it recovered', async () => {
    const client = await open();
    await client.subscribe(alertsTopic, { deviceId: 'dev-d' });
    const t = Date.now();
    await producer.produce(
      heartRateTopic,
      [
        heartRate('dev-d', 150, t),
        heartRate('dev-d', 160, t + 1000),
        heartRate('dev-d', 80, t + 2000),
        heartRate('dev-d', 35, t + 3000),
      ],
      0,
    );
    await client.waitFor((f) => f.data?.id === `heart-rate/${t + 3000}/dev-d`);
    const ids = client.data(alertsTopic).map((a) => a.id);
    expect(ids).toEqual([`heart-rate/${t}/dev-d`, `heart-rate/${t + 3000}/dev-d`]);
    expect(client.data(alertsTopic)[1]).toMatchObject({ direction: 'below', threshold: 40 });
  });

  it('dead-letters an undecodable record and keeps streaming', async () => {
    const client = await open();
    await client.subscribe(heartRateTopic, { deviceId: 'dev-e' });
    const raw = new Kafka({
      clientId: 'raw',
      // Only the stream processor's principal may write a vital topic.
      ...kafka().kafkajsConfig('stream'),
      logLevel: logLevel.NOTHING,
    }).producer();
    await raw.connect();
    try {
      await raw.send({
        topic: heartRateTopic,
        messages: [{ key: 'dev-e', value: Buffer.from('{"not":"avro"}'), partition: 1 }],
      });
    } finally {
      await raw.disconnect();
    }
    await producer.produce(heartRateTopic, [heartRate('dev-e', 70)], 1);
    await client.waitFor((f) => f.data?.deviceId === 'dev-e');

    const dlq = dlqTopicName(heartRateTopic);
    const admin = new Kafka({
      clientId: 'dlq-check',
      ...kafka().kafkajsConfig('admin'),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(dlq);
      expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBeGreaterThanOrEqual(1);
    } finally {
      await admin.disconnect();
    }
  });

  it('refuses WebSocket upgrades without a valid token with HTTP 401', async () => {
    expect(await refusedUpgradeStatus(wsUrl())).toBe(401);
    const forged = await signToken(newJwtSecret(), { issuer, audience });
    expect(await refusedUpgradeStatus(wsUrl(), ['bearer', forged])).toBe(401);
    const expired = await signToken(secret, {
      issuer,
      audience,
      expiresIn: Math.floor(Date.now() / 1000) - 60,
    });
    expect(await refusedUpgradeStatus(wsUrl(), ['bearer', expired])).toBe(401);
  });

  it('refuses REST calls without a valid token with 401 and a code', async () => {
    const missing = await api('/api/alerts', null);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ code: apiErrors.API_TOKEN_MISSING.code });
    const forged = await api('/api/alerts', await signToken(newJwtSecret(), { issuer, audience }));
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ code: apiErrors.API_TOKEN_INVALID.code });
  });

  /** Signs exactly `payload` with the service's key: tokens minted wrongly, or by an attacker who got the key of another audience. */
  const craft = (payload: JWTPayload): Promise<string> =>
    new SignJWT(payload)
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(secret));
  const nowSec = (): number => Math.floor(Date.now() / 1000);
  const bedA = (overrides: JWTPayload = {}): JWTPayload => ({
    sub: 'nurse-a',
    iss: issuer,
    aud: audience,
    iat: nowSec(),
    exp: nowSec() + 600,
    [accessClaimName]: { devices: ['dev-a'], topics: [heartRateTopic, alertsTopic] },
    ...overrides,
  });

  it('refuses crafted tokens on the WebSocket and on REST, each with the code of its rule', async () => {
    const { exp: _exp, ...noExp } = bedA();
    const cases: [string, JWTPayload, string][] = [
      ['no exp', noExp, 'RTP_ERR_SDK_WS_AUTH_TOKEN_EXP_MISSING'],
      [
        '100-year lifetime',
        bedA({ exp: nowSec() + 100 * 365 * 86_400 }),
        'RTP_ERR_SDK_WS_AUTH_TOKEN_LIFETIME_TOO_LONG',
      ],
      ['wrong audience', bedA({ aud: 'billing' }), 'RTP_ERR_SDK_WS_AUTH_TOKEN_AUDIENCE_MISMATCH'],
      [
        'wrong issuer',
        bedA({ iss: 'https://evil.test' }),
        'RTP_ERR_SDK_WS_AUTH_TOKEN_ISSUER_MISMATCH',
      ],
    ];
    for (const [label, payload, code] of cases) {
      const crafted = await craft(payload);
      expect([label, await refusedUpgrade(wsUrl(), crafted)]).toEqual([
        label,
        { status: 401, code },
      ]);
      const rest = await api('/api/alerts?deviceId=dev-a', crafted);
      expect([label, rest.status, await rest.json()]).toEqual([
        label,
        401,
        expect.objectContaining({
          code: apiErrors.API_TOKEN_INVALID.code,
          details: expect.objectContaining({ tokenCode: code }),
        }),
      ]);
    }
    // The same grant in a legitimate token passes both.
    const legitimate = await craft(bedA());
    const client = await TestClient.open(wsUrl(), legitimate);
    clients.push(client);
    await client.subscribe(heartRateTopic, { deviceId: 'dev-a' });
    expect((await api('/api/alerts?deviceId=dev-a', legitimate)).status).toBe(200);
  });

  it("a token for device A is refused B's live feed and B's alerts, with codes, and both are audited", async () => {
    const tokenA = await craft(bedA());
    const client = await TestClient.open(wsUrl(), tokenA);
    clients.push(client);
    await client.subscribe(heartRateTopic, { deviceId: 'dev-a' });
    client.ws.send(
      JSON.stringify({
        type: 'subscribe',
        topic: heartRateTopic,
        filter: { deviceId: 'dev-c' },
        id: 'b',
      }),
    );
    client.ws.send(JSON.stringify({ type: 'subscribe', topic: alertsTopic, id: 'all' }));
    const refusedB = await client.waitFor((frame) => frame.id === 'b');
    expect(refusedB).toMatchObject({
      type: 'error',
      code: 'RTP_ERR_SDK_ACCESS_DEVICE_NOT_GRANTED',
    });
    const refusedAll = await client.waitFor((frame) => frame.id === 'all');
    expect(refusedAll).toMatchObject({
      type: 'error',
      code: 'RTP_ERR_SDK_ACCESS_DEVICE_FILTER_REQUIRED',
    });

    // dev-c has an alert (raised above); A may not read it, listed or asked for.
    const asked = await api('/api/alerts?deviceId=dev-c', tokenA);
    expect(asked.status).toBe(403);
    expect(await asked.json()).toMatchObject({ code: apiErrors.API_DEVICE_NOT_GRANTED.code });
    const listed = (await (await api('/api/alerts', tokenA)).json()) as {
      alerts: { deviceId: string }[];
    };
    expect(listed.alerts.every((alert) => alert.deviceId === 'dev-a')).toBe(true);
    const latestB = await api('/api/devices/dev-c/latest', tokenA);
    expect(latestB.status).toBe(403);

    const audit = () =>
      readFileSync(service.logFile, 'utf8')
        .split('\n')
        .filter((line) => line.includes('"access audit"'))
        .map((line) => (JSON.parse(line) as { audit: Record<string, unknown> }).audit);
    await eventually(
      () =>
        audit().some(
          (entry) => entry.route === 'GET /api/devices/:id/latest' && entry.who === 'nurse-a',
        ),
      { timeoutMs: 30_000 },
    );
    expect(audit()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          who: 'nurse-a',
          action: 'subscribe',
          topic: heartRateTopic,
          deviceId: 'dev-c',
          decision: 'refused',
          reason: 'RTP_ERR_SDK_ACCESS_DEVICE_NOT_GRANTED',
        }),
        expect.objectContaining({
          who: 'nurse-a',
          action: 'subscribe',
          topic: heartRateTopic,
          deviceId: 'dev-a',
          decision: 'allowed',
        }),
        expect.objectContaining({
          who: 'nurse-a',
          action: 'read',
          route: 'GET /api/alerts',
          deviceId: 'dev-c',
          decision: 'refused',
          reason: apiErrors.API_DEVICE_NOT_GRANTED.code,
        }),
        expect.objectContaining({
          who: 'nurse-a',
          action: 'read',
          route: 'GET /api/devices/:id/latest',
          deviceId: 'dev-c',
          decision: 'refused',
        }),
      ]),
    );
  });

  it('refuses to start on a non-loopback address with auth off, without issuer and audience, or with an http JWKS', async () => {
    const base = {
      ...(localPlatformEnv({
        kafka: kafka(),
        postgres: postgres(),
        schemaRegistry: registry(),
      }) as Record<string, string>),
      [runtimeEnv.httpHost]: '0.0.0.0',
    };
    const cases: [string, Record<string, string>, string][] = [
      [
        'auth disabled',
        { [runtimeEnv.wsAuth]: 'disabled' },
        'RTP_WS_AUTH=disabled while RTP_HTTP_HOST is 0.0.0.0',
      ],
      [
        'no issuer/audience',
        { [runtimeEnv.wsJwtSecret]: secret },
        'set RTP_WS_JWT_ISSUER and RTP_WS_JWT_AUDIENCE',
      ],
      [
        'http JWKS',
        {
          [runtimeEnv.wsJwksUrl]: 'http://id.hospital.test/jwks',
          [runtimeEnv.wsJwtIssuer]: issuer,
          [runtimeEnv.wsJwtAudience]: audience,
        },
        'RTP_WS_JWKS_URL must be a URL that is https',
      ],
    ];
    for (const [label, env, message] of cases) {
      const refused = await NodeService.start({
        name: `realtime-service-${label.replace(/\W+/g, '-')}`,
        entry: join(import.meta.dirname, '../../dist/main.js'),
        env: { ...base, ...env },
        waitFor: 'none',
      });
      const exit = await refused.exited;
      const log = readFileSync(refused.logFile, 'utf8');
      expect([
        label,
        exit.exitCode,
        log.includes('RTP_ERR_SDK_CONFIG_INVALID'),
        log.includes(message),
      ]).toEqual([label, 1, true, true]);
    }
  });

  it.each([
    ['limit=0', '/api/alerts?limit=0', 'limit'],
    ['limit=abc', '/api/alerts?limit=abc', 'limit'],
    ['limit=100000', '/api/alerts?limit=100000', 'limit'],
    ['since=yesterday', '/api/alerts?since=yesterday', 'since'],
    ['a 129-character device id in the path', `/api/devices/${'x'.repeat(129)}/latest`, 'id'],
    ['a 129-character deviceId query', `/api/alerts?deviceId=${'x'.repeat(129)}`, 'deviceId'],
  ])('answers %s with 400 and a code naming the field', async (_label, path, field) => {
    const response = await api(path);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { code: string; message: string };
    expect(body.code).toBe(apiErrors.REQUEST_INVALID.code);
    expect(body.message).toContain(field);
  });

  it('serves the dashboard page, its scripts and its config, same-origin only', async () => {
    const page = await fetch(`${service.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const html = await page.text();
    expect(html).toContain('data-testid="device-grid"');
    expect(html).not.toMatch(/https?:\/\//);
    const script = await fetch(`${service.url}/dashboard/dashboard.js`);
    expect(script.headers.get('content-type')).toContain('javascript');
    const config = await (await fetch(`${service.url}/dashboard/config.json`)).json();
    expect(config).toMatchObject({ wsPath: '/ws', auth: 'jwt', alertsTopic });
  });

  it('keeps its alerts across a restart, whose migrations are a no-op', async () => {
    const db = new pg.Client({ connectionString: postgres().connectionString() });
    await db.connect();
    try {
      const before = await db.query('SELECT * FROM realtime_service.schema_migrations');
      await service.restart();
      const after = await db.query('SELECT * FROM realtime_service.schema_migrations');
      expect(after.rows).toEqual(before.rows);
      expect(after.rows.map((row: { name: string }) => row.name)).toEqual([
        '0001_create_alerts.sql',
        '0002_create_alert_rule_state.sql',
      ]);
    } finally {
      await db.end();
    }
    const listed = (await (await api(`/api/alerts?deviceId=dev-c`)).json()) as {
      alerts: { id: string }[];
    };
    expect(listed.alerts.map((a) => a.id)).toEqual([alertId]);
  });

  it('after a kill -9 and restart, an ongoing breach raises no second alert; the recovery re-arms the rule', async () => {
    const alertsOf = async (deviceId: string): Promise<string[]> =>
      (
        (await (await api(`/api/alerts?deviceId=${deviceId}`)).json()) as {
          alerts: { id: string }[];
        }
      ).alerts.map((a) => a.id);
    const t = Date.now();
    await producer.produce(heartRateTopic, [heartRate('dev-k', 190, t)]);
    await eventually(async () => (await alertsOf('dev-k')).length === 1, {
      timeoutMs: 30_000,
      what: 'the first alert',
    });
    // Give the commit timer time to commit the breach, so the restart does not simply redeliver it.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await service.kill('SIGKILL');
    await service.restart();
    await producer.produce(heartRateTopic, [
      heartRate('dev-k', 192, t + 1000),
      heartRate('dev-k', 72, t + 2000),
      heartRate('dev-k', 191, t + 3000),
    ]);
    await eventually(async () => (await alertsOf('dev-k')).length >= 2, {
      timeoutMs: 30_000,
      what: 'the re-armed alert',
    });
    // Let anything late arrive: still exactly the first alert and the one after the recovery.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect((await alertsOf('dev-k')).sort()).toEqual(
      [`heart-rate/${t}/dev-k`, `heart-rate/${t + 3000}/dev-k`].sort(),
    );
  });
});
