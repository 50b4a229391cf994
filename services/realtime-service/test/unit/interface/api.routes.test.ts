import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance } from 'fastify';
import { alertsTopic } from '@realtime-platform/platform-contract';
import { AccessAuditLog, AccessPolicy } from '@realtime-platform/realtime-sdk';
import {
  GetLatestVitalsUseCase,
  ListRecentAlertsUseCase,
  RaiseAlertsUseCase,
  StreamLiveVitalUseCase,
} from '../../../src/application/index.js';
import { AlertPolicy, createAlertRules, defaultAlertRules } from '../../../src/domain/index.js';
import { InMemoryLatestVitalsStore } from '../../../src/infrastructure/memory/in-memory.latest-vitals.store.js';
import { infrastructureErrors } from '../../../src/infrastructure/infrastructure.errors.js';
import { apiErrors } from '../../../src/interface/http/api.errors.js';
import { apiRoutes } from '../../../src/interface/http/api.routes.js';
import { topicOfKind } from '../../../src/infrastructure/kafka/vital-topics.js';
import {
  InMemoryAlertRepository,
  InMemoryAlertRuleStateStore,
  ManualClock,
  RecordingAlertPublisher,
  RecordingLiveFeed,
} from '../../helpers/in-memory-ports.js';
import { auditOf, capturedLogger } from '../../helpers/log-lines.js';
import { newJwtSecret, signToken } from '../../helpers/token.js';
import { heartRateOf, t0 } from '../../helpers/vitals.fixture.js';

const secret = newJwtSecret();
const { logger, lines } = capturedLogger();
let app: FastifyInstance;
let baseUrl: string;
let token: string;
const repository = new InMemoryAlertRepository();

beforeAll(async () => {
  const store = new InMemoryLatestVitalsStore();
  new StreamLiveVitalUseCase(store, new RecordingLiveFeed()).execute(
    heartRateOf(72, { deviceId: 'bed-1' }),
  );
  await new RaiseAlertsUseCase(
    new AlertPolicy(createAlertRules(defaultAlertRules)),
    repository,
    new RecordingAlertPublisher(),
    new InMemoryAlertRuleStateStore(),
    new ManualClock(t0 + 5),
  ).execute(heartRateOf(190, { deviceId: 'bed-2' }));
  app = Fastify();
  await app.register(apiRoutes, {
    prefix: '/api',
    auth: { secret },
    access: new AccessPolicy(),
    audit: new AccessAuditLog(logger),
    alertsTopic,
    vitalTopicOfKind: topicOfKind,
    getLatestVitals: new GetLatestVitalsUseCase(store),
    listRecentAlerts: new ListRecentAlertsUseCase(repository),
  });
  // A real socket on loopback (light-my-request's inject cannot load under jest's ESM mode).
  baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  token = await signToken(secret);
});

afterAll(() => app.close());

interface Answer {
  readonly statusCode: number;
  readonly headers: Headers;
  json(): unknown;
}

const get = async (url: string, bearer: string | null = token): Promise<Answer> => {
  const response = await fetch(`${baseUrl}${url}`, {
    headers: bearer === null ? {} : { authorization: `Bearer ${bearer}` },
  });
  const body = (await response.json()) as unknown;
  return { statusCode: response.status, headers: response.headers, json: () => body };
};

describe('REST API', () => {
  it('GET /api/devices/:id/latest answers the latest vitals of the device', async () => {
    const response = await get('/api/devices/bed-1/latest');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      deviceId: 'bed-1',
      updatedAt: new Date(t0).toISOString(),
      vitals: {
        heart_rate: {
          deviceId: 'bed-1',
          kind: 'heart_rate',
          values: { heartRate: 72 },
          recordedAt: new Date(t0).toISOString(),
          latitude: 52.37,
          longitude: 4.89,
        },
      },
    });
  });

  it('answers 404 with a code for a device it has not seen', async () => {
    const response = await get('/api/devices/bed-9/latest');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'RTP_ERR_REALTIME_SERVICE_DEVICE_NOT_FOUND' });
  });

  it('accepts device ids of up to 128 characters in the path', async () => {
    const response = await get(`/api/devices/${'d'.repeat(128)}/latest`);
    expect(response.statusCode).toBe(404);
    const tooLong = await get(`/api/devices/${'d'.repeat(129)}/latest`);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json()).toMatchObject({ code: apiErrors.REQUEST_INVALID.code });
  });

  it('GET /api/alerts lists alerts, newest first, with limit, since and deviceId', async () => {
    const response = await get('/api/alerts?limit=10&deviceId=bed-2');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      alerts: [expect.objectContaining({ deviceId: 'bed-2', ruleId: 'heart-rate', value: 190 })],
    });
    const later = await get(`/api/alerts?since=${new Date(t0 + 6).toISOString()}`);
    expect(later.json()).toEqual({ alerts: [] });
  });

  it.each([
    ['limit=0', /querystring\/limit must be >= 1/],
    ['limit=ten', /querystring\/limit must be integer/],
    ['limit=501', /querystring\/limit must be <= 500/],
    ['since=last-week', /querystring\/since must match format "date-time"/],
    ['deviceId=', /querystring\/deviceId must NOT have fewer than 1 characters/],
  ])('answers ?%s with 400 REQUEST_INVALID naming the field', async (query, message) => {
    const response = await get(`/api/alerts?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: apiErrors.REQUEST_INVALID.code,
      message: expect.stringMatching(message),
    });
  });

  it('answers unknown API routes with 404 and a code', async () => {
    const response = await get('/api/nothing-here');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: apiErrors.ROUTE_NOT_FOUND.code });
  });

  it('refuses requests without a token, with a forged one and with an expired one', async () => {
    expect((await get('/api/alerts', null)).json()).toMatchObject({
      code: apiErrors.API_TOKEN_MISSING.code,
    });
    const forged = await get('/api/alerts', await signToken(newJwtSecret()));
    expect(forged.statusCode).toBe(401);
    expect(forged.json()).toMatchObject({ code: apiErrors.API_TOKEN_INVALID.code });
    const expired = await get(
      '/api/alerts',
      await signToken(secret, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
    );
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ code: apiErrors.API_TOKEN_EXPIRED.code });
  });

  it('answers 503 with the code when the alert store is down', async () => {
    const original = repository.listRecent.bind(repository);
    repository.listRecent = async () => {
      throw infrastructureErrors.DATABASE_UNAVAILABLE({ operation: 'list alerts', reason: 'down' });
    };
    try {
      const response = await get('/api/alerts');
      expect(response.statusCode).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
    } finally {
      repository.listRecent = original;
    }
  });

  it('refuses a device outside the token grant with 403 before looking it up, and keeps other kinds out', async () => {
    const bed1HeartRate = await signToken(secret, {
      subject: 'nurse-17',
      grant: { devices: ['bed-1'], topics: [topicOfKind.heart_rate] },
    });
    const own = await get('/api/devices/bed-1/latest', bed1HeartRate);
    expect(own.statusCode).toBe(200);
    expect(Object.keys((own.json() as { vitals: object }).vitals)).toEqual(['heart_rate']);
    // bed-2 exists, bed-9 does not: both answer the same 403, so the answer leaks nothing.
    for (const device of ['bed-2', 'bed-9']) {
      const other = await get(`/api/devices/${device}/latest`, bed1HeartRate);
      expect(other.statusCode).toBe(403);
      expect(other.json()).toMatchObject({ code: apiErrors.API_DEVICE_NOT_GRANTED.code });
    }
    const alertsOnly = await signToken(secret, {
      grant: { devices: ['bed-1'], topics: [alertsTopic] },
    });
    expect((await get('/api/devices/bed-1/latest', alertsOnly)).json()).toMatchObject({
      code: apiErrors.API_TOPIC_NOT_GRANTED.code,
    });
  });

  it("GET /api/alerts answers only the granted devices' alerts, and 403 for another device or without the alerts topic", async () => {
    const bed1 = await signToken(secret, {
      grant: { devices: ['bed-1'], topics: [alertsTopic] },
    });
    // bed-2 has an alert; a token for bed-1 sees none of it, listed or asked for.
    expect((await get('/api/alerts', bed1)).json()).toEqual({ alerts: [] });
    const other = await get('/api/alerts?deviceId=bed-2', bed1);
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: apiErrors.API_DEVICE_NOT_GRANTED.code });
    const bed2 = await signToken(secret, {
      grant: { devices: ['bed-2'], topics: [alertsTopic] },
    });
    expect((await get('/api/alerts', bed2)).json()).toEqual({
      alerts: [expect.objectContaining({ deviceId: 'bed-2' })],
    });
    const noAlerts = await signToken(secret, {
      grant: { devices: '*', topics: [topicOfKind.heart_rate] },
    });
    const refused = await get('/api/alerts', noAlerts);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: apiErrors.API_TOPIC_NOT_GRANTED.code });
  });

  it('refuses a valid token without the access claim with 403 API_ACCESS_CLAIM_INVALID', async () => {
    const response = await get('/api/alerts', await signToken(secret, { grant: null }));
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({
      code: apiErrors.API_ACCESS_CLAIM_INVALID.code,
      details: { tokenCode: 'RTP_ERR_SDK_ACCESS_CLAIM_MISSING' },
    });
  });

  it('refuses tokens without exp or with a 100-year lifetime, naming the rule', async () => {
    const { SignJWT } = await import('jose');
    const key = new TextEncoder().encode(secret);
    const noExp = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(key);
    const century = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuedAt()
      .setExpirationTime('36500d')
      .sign(key);
    for (const [token, rule] of [
      [noExp, 'RTP_ERR_SDK_WS_AUTH_TOKEN_EXP_MISSING'],
      [century, 'RTP_ERR_SDK_WS_AUTH_TOKEN_LIFETIME_TOO_LONG'],
    ] as const) {
      const response = await get('/api/alerts', token);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({
        code: apiErrors.API_TOKEN_INVALID.code,
        details: { tokenCode: rule },
      });
    }
  });

  it('writes one audit line per request: who, route, device, allowed or refused with the code', async () => {
    lines.length = 0;
    const bed1 = await signToken(secret, {
      subject: 'nurse-17',
      grant: { devices: ['bed-1'], topics: [alertsTopic] },
    });
    await get('/api/alerts?deviceId=bed-1', bed1);
    await get('/api/alerts?deviceId=bed-2', bed1);
    await get('/api/alerts', null);
    expect(auditOf(lines)).toEqual([
      expect.objectContaining({
        who: 'nurse-17',
        action: 'read',
        route: 'GET /api/alerts',
        deviceId: 'bed-1',
        decision: 'allowed',
      }),
      expect.objectContaining({
        who: 'nurse-17',
        deviceId: 'bed-2',
        decision: 'refused',
        reason: apiErrors.API_DEVICE_NOT_GRANTED.code,
      }),
      expect.objectContaining({
        who: null,
        decision: 'refused',
        reason: apiErrors.API_TOKEN_MISSING.code,
      }),
    ]);
  });
});
