import { afterEach, describe, expect, it } from '@jest/globals';
import { networkInterfaces } from 'node:os';
import Fastify, { type FastifyInstance } from 'fastify';
import { SignJWT, type JWTPayload } from 'jose';
import {
  SdkMetrics,
  accessClaimName,
  sdkErrors,
  wsHubPlugin,
  type WsHubPluginInput,
} from '../../src/index.js';
import { auditOf, capturedLogger } from '../helpers/log-lines.js';
import { jwtSecret } from '../helpers/platform-env.js';
import { TestClient, grants, refusedUpgrade } from '../helpers/ws-client.js';

/**
 * Issue 16 item 2: tokens crafted the way an attacker or a misconfigured identity provider would,
 * against a real fastify server with the hub, through a real WebSocket client.
 */
const heartRate = 'heart_rate_device_topic';
const bloodPressure = 'blood_pressure_device_topic';
const issuer = 'https://id.hospital.test';
const audience = 'vitals-gateway';
const apps: FastifyInstance[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

const now = (): number => Math.floor(Date.now() / 1000);

/** Signs exactly `payload` (nothing added): what a token minted elsewhere can look like. */
function craft(payload: JWTPayload, secret = jwtSecret): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(secret));
}

/** A token that passes every rule, to be changed one claim at a time. */
const legitimate = (overrides: JWTPayload = {}): JWTPayload => ({
  sub: 'nurse-17',
  iss: issuer,
  aud: audience,
  iat: now(),
  exp: now() + 3600,
  ...grants([heartRate], ['bed-7']),
  ...overrides,
});

async function start(
  options: Partial<WsHubPluginInput> = {},
  host = '127.0.0.1',
): Promise<{
  app: FastifyInstance;
  url: string;
  port: number;
  metrics: SdkMetrics;
  lines: Record<string, unknown>[];
}> {
  const metrics = new SdkMetrics({ defaultMetrics: false });
  const { logger, lines } = capturedLogger();
  const app = Fastify();
  apps.push(app);
  await app.register(wsHubPlugin, {
    topics: [heartRate, bloodPressure],
    auth: { secret: jwtSecret, issuer, audience },
    metrics,
    logger,
    ...options,
  });
  await app.listen({ host, port: 0 });
  const { port } = app.server.address() as { port: number };
  return { app, url: `ws://127.0.0.1:${port}/ws`, port, metrics, lines };
}

describe('wsHubPlugin token rules (crafted tokens, real hub)', () => {
  it('should accept the legitimate token and subscribe to its device', async () => {
    const { url } = await start();
    const client = await TestClient.open(url, { token: await craft(legitimate()) });
    await client.subscribe(heartRate, { deviceId: 'bed-7' });
    client.close();
  });

  it('should refuse a token without exp with 401 RTP_ERR_SDK_WS_AUTH_TOKEN_EXP_MISSING', async () => {
    const { url, metrics } = await start();
    const { exp: _exp, ...withoutExp } = legitimate();
    expect(await refusedUpgrade(url, { token: await craft(withoutExp) })).toEqual({
      status: 401,
      code: sdkErrors.WS_AUTH_TOKEN_EXP_MISSING.code,
    });
    expect(await metrics.render()).toContain('rtp_ws_auth_rejected_total{reason="exp_missing"} 1');
  });

  it('should refuse a 100-year token and one longer than a configured maximum (401 LIFETIME_TOO_LONG)', async () => {
    const { url } = await start();
    const century = legitimate({ exp: now() + 100 * 365 * 24 * 3600 });
    expect(await refusedUpgrade(url, { token: await craft(century) })).toEqual({
      status: 401,
      code: sdkErrors.WS_AUTH_TOKEN_LIFETIME_TOO_LONG.code,
    });
    // Without iat the lifetime counts from now: a 13-hour exp is over the 12-hour default.
    const { iat: _iat, ...noIat } = legitimate({ exp: now() + 13 * 3600 });
    expect(await refusedUpgrade(url, { token: await craft(noIat) })).toMatchObject({
      code: sdkErrors.WS_AUTH_TOKEN_LIFETIME_TOO_LONG.code,
    });
    const strict = await start({
      auth: { secret: jwtSecret, issuer, audience, maxLifetimeSec: 600 },
    });
    expect(await refusedUpgrade(strict.url, { token: await craft(legitimate()) })).toMatchObject({
      status: 401,
      code: sdkErrors.WS_AUTH_TOKEN_LIFETIME_TOO_LONG.code,
    });
    const short = await TestClient.open(strict.url, {
      token: await craft(legitimate({ exp: now() + 300 })),
    });
    short.close();
  });

  it('should refuse a wrong or missing audience and issuer with their own codes', async () => {
    const { url } = await start();
    const { iss: _iss, ...noIssuer } = legitimate();
    const { aud: _aud, ...noAudience } = legitimate();
    const cases: [JWTPayload, string][] = [
      [legitimate({ aud: 'billing-service' }), sdkErrors.WS_AUTH_TOKEN_AUDIENCE_MISMATCH.code],
      [noAudience, sdkErrors.WS_AUTH_TOKEN_AUDIENCE_MISMATCH.code],
      [legitimate({ iss: 'https://evil.test' }), sdkErrors.WS_AUTH_TOKEN_ISSUER_MISMATCH.code],
      [noIssuer, sdkErrors.WS_AUTH_TOKEN_ISSUER_MISMATCH.code],
    ];
    for (const [payload, code] of cases)
      expect(await refusedUpgrade(url, { token: await craft(payload) })).toEqual({
        status: 401,
        code,
      });
  });

  it('should refuse a token that is not valid yet (nbf or iat in the future)', async () => {
    const { url } = await start();
    for (const payload of [legitimate({ nbf: now() + 600 }), legitimate({ iat: now() + 600 })])
      expect(await refusedUpgrade(url, { token: await craft(payload) })).toEqual({
        status: 401,
        code: sdkErrors.WS_AUTH_TOKEN_NOT_YET_VALID.code,
      });
  });

  it('should refuse a valid token that grants nothing with 403 and the claim code', async () => {
    const { url, lines } = await start();
    const { [accessClaimName]: _claim, ...noClaim } = legitimate();
    expect(await refusedUpgrade(url, { token: await craft(noClaim) })).toEqual({
      status: 403,
      code: sdkErrors.ACCESS_CLAIM_MISSING.code,
    });
    const malformed = [
      { [accessClaimName]: { devices: ['bed-7'] } }, // no topics
      { [accessClaimName]: { topics: [heartRate] } }, // no devices or wards
      { [accessClaimName]: { device: '*', topics: [heartRate] } }, // a typo is not a grant
      { [accessClaimName]: { devices: ['*', 'bed-7'], topics: [heartRate] } }, // "*" in a list
      { [accessClaimName]: { devices: 'bed-7', topics: [heartRate] } },
    ];
    for (const claim of malformed)
      expect(await refusedUpgrade(url, { token: await craft(legitimate(claim)) })).toEqual({
        status: 403,
        code: sdkErrors.ACCESS_CLAIM_INVALID.code,
      });
    expect(auditOf(lines).at(0)).toMatchObject({
      who: 'nurse-17',
      action: 'connect',
      decision: 'refused',
      reason: sdkErrors.ACCESS_CLAIM_MISSING.code,
    });
  });

  it('register should fail for an http JWKS URL off loopback, and accept one on loopback', async () => {
    const app = Fastify();
    apps.push(app);
    await expect(
      app.register(wsHubPlugin, {
        topics: [heartRate],
        auth: { jwksUrl: 'http://id.hospital.test/.well-known/jwks.json', issuer, audience },
      }),
    ).rejects.toMatchObject({
      code: sdkErrors.OPTIONS_INVALID.code,
      message: expect.stringContaining('/options/auth/jwksUrl must be https'),
    });
    const local = Fastify();
    apps.push(local);
    await local.register(wsHubPlugin, {
      topics: [heartRate],
      auth: { jwksUrl: 'http://127.0.0.1:9/jwks.json', issuer, audience },
    });
    await local.ready();
  });
});

describe('wsHubPlugin grants: devices and topics a token may see', () => {
  it('a token for device A should get A, be refused B with a coded error frame, and every decision should be audited', async () => {
    const { app, url, lines } = await start();
    const client = await TestClient.open(url, { token: await craft(legitimate()) });
    await client.subscribe(heartRate, { deviceId: 'bed-7' });
    client.send({ type: 'subscribe', topic: heartRate, filter: { deviceId: 'bed-8' }, id: 'b' });
    await client.waitFor(() => client.ofType('error').length === 1);
    expect(client.ofType('error')[0]).toMatchObject({
      id: 'b',
      code: sdkErrors.ACCESS_DEVICE_NOT_GRANTED.code,
    });
    // Data of bed-8 never reaches the client; bed-7's does.
    expect(app.realtimeHub.publish(heartRate, { deviceId: 'bed-8', bpm: 99 })).toBe(0);
    expect(app.realtimeHub.publish(heartRate, { deviceId: 'bed-7', bpm: 72 })).toBe(1);
    await client.waitFor(() => client.data().length === 1);
    expect(client.data().map((frame) => frame.data)).toEqual([{ deviceId: 'bed-7', bpm: 72 }]);
    client.close();
    expect(auditOf(lines)).toEqual([
      expect.objectContaining({
        who: 'nurse-17',
        action: 'connect',
        route: '/ws',
        decision: 'allowed',
      }),
      expect.objectContaining({
        who: 'nurse-17',
        action: 'subscribe',
        topic: heartRate,
        deviceId: 'bed-7',
        decision: 'allowed',
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
      expect.objectContaining({
        who: 'nurse-17',
        action: 'subscribe',
        topic: heartRate,
        deviceId: 'bed-8',
        decision: 'refused',
        reason: sdkErrors.ACCESS_DEVICE_NOT_GRANTED.code,
      }),
    ]);
  });

  it('should refuse a topic that is not granted and an unfiltered subscription unless devices is "*"', async () => {
    const { url } = await start();
    const listed = await TestClient.open(url, { token: await craft(legitimate()) });
    listed.send({
      type: 'subscribe',
      topic: bloodPressure,
      filter: { deviceId: 'bed-7' },
      id: 't',
    });
    listed.send({ type: 'subscribe', topic: heartRate, id: 'all' });
    await listed.waitFor(() => listed.ofType('error').length === 2);
    expect(listed.ofType('error').map((frame) => [frame.id, frame.code])).toEqual([
      ['t', sdkErrors.ACCESS_TOPIC_NOT_GRANTED.code],
      ['all', sdkErrors.ACCESS_DEVICE_FILTER_REQUIRED.code],
    ]);
    listed.close();
    const everyDevice = await TestClient.open(url, {
      token: await craft(legitimate(grants([heartRate], '*'))),
    });
    await everyDevice.subscribe(heartRate);
    everyDevice.close();
  });

  it('a ward grant should cover the devices the ward directory puts in that ward, and no others', async () => {
    const wards: Record<string, string> = { 'bed-1': 'icu-3', 'bed-2': 'icu-3', 'bed-9': 'er' };
    const { url } = await start({ access: { wardOf: (deviceId) => wards[deviceId] } });
    const client = await TestClient.open(url, {
      token: await craft(legitimate(grants([heartRate], [], ['icu-3']))),
    });
    await client.subscribe(heartRate, { deviceId: 'bed-1' });
    await client.subscribe(heartRate, { deviceId: 'bed-2' });
    client.send({ type: 'subscribe', topic: heartRate, filter: { deviceId: 'bed-9' }, id: 'er' });
    await client.waitFor(() => client.ofType('error').length === 1);
    expect(client.ofType('error')[0]?.code).toBe(sdkErrors.ACCESS_DEVICE_NOT_GRANTED.code);
    client.close();
  });
});

/** An address of this machine that is not loopback (a container's eth0). */
function nonLoopbackAddress(): string {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry !== undefined && !entry.internal && entry.family === 'IPv4');
  if (address === undefined)
    throw new Error('this test needs a non-loopback IPv4 interface (none found)');
  return address.address;
}

describe('wsHubPlugin auth off or unpinned tokens, by the address a connection arrives on', () => {
  it('auth: false should serve loopback connections only, unless unsafeAllowUnauthenticatedRemote', async () => {
    const remote = nonLoopbackAddress();
    const { port, lines } = await start({ auth: false }, '0.0.0.0');
    const local = await TestClient.open(`ws://127.0.0.1:${port}/ws`);
    await local.subscribe(heartRate);
    local.close();
    expect(await refusedUpgrade(`ws://${remote}:${port}/ws`)).toEqual({
      status: 403,
      code: sdkErrors.WS_AUTH_DISABLED_REMOTE.code,
    });
    expect(auditOf(lines).at(-1)).toMatchObject({
      action: 'connect',
      decision: 'refused',
      reason: sdkErrors.WS_AUTH_DISABLED_REMOTE.code,
    });
    const unsafe = await start({ auth: false, unsafeAllowUnauthenticatedRemote: true }, '0.0.0.0');
    expect(
      unsafe.lines.some(
        (line) => line.level === 'warn' && String(line.msg).includes('authentication is OFF'),
      ),
    ).toBe(true);
    const open = await TestClient.open(`ws://${remote}:${unsafe.port}/ws`);
    await open.subscribe(heartRate);
    open.close();
  });

  it('tokens without a pinned issuer and audience should be refused off loopback (503)', async () => {
    const remote = nonLoopbackAddress();
    const unpinned = await start({ auth: { secret: jwtSecret } }, '0.0.0.0');
    const token = await craft(legitimate());
    await TestClient.open(`ws://127.0.0.1:${unpinned.port}/ws`, { token }).then((c) => c.close());
    expect(await refusedUpgrade(`ws://${remote}:${unpinned.port}/ws`, { token })).toEqual({
      status: 503,
      code: sdkErrors.WS_AUTH_ISSUER_AUDIENCE_REQUIRED.code,
    });
    const pinned = await start({}, '0.0.0.0');
    const client = await TestClient.open(`ws://${remote}:${pinned.port}/ws`, { token });
    await client.subscribe(heartRate, { deviceId: 'bed-7' });
    client.close();
  });
});
