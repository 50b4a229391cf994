import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Fastify, { type FastifyInstance } from 'fastify';
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
import {
  InMemoryAlertRepository,
  InMemoryAlertRuleStateStore,
  ManualClock,
  RecordingAlertPublisher,
  RecordingLiveFeed,
} from '../../helpers/in-memory-ports.js';
import { newJwtSecret, signToken } from '../../helpers/token.js';
import { heartRateOf, t0 } from '../../helpers/vitals.fixture.js';

const secret = newJwtSecret();
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
});
