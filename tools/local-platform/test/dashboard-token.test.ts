// The dashboard token LocalPlatform mints: signed with the run's hub secret, pinned to the run's
// issuer and audience, granting exactly what it is given, expiring.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { errors, jwtVerify } from 'jose';
import { accessClaimName } from '@realtime-platform/realtime-sdk';
import { mintDashboardToken } from '../src/index.js';

const secret = randomBytes(32).toString('hex');
const key = new TextEncoder().encode(secret);
const options = {
  grant: { devices: ['sim-device-00001'], topics: ['alerts'] },
  issuer: 'urn:realtime-platform:rtp-dev:health-data',
  audience: 'realtime-service',
} as const;

describe('mintDashboardToken', () => {
  it("verifies against the run's secret, issuer and audience and carries the grant", async () => {
    const token = await mintDashboardToken(secret, options);
    const { payload } = await jwtVerify(token, key, {
      issuer: options.issuer,
      audience: options.audience,
    });
    expect(payload[accessClaimName]).toEqual(options.grant);
    expect(payload.sub).toBe('rtp-dev');
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(12 * 60 * 60);
  });

  it('is refused with another secret or another audience', async () => {
    const token = await mintDashboardToken(secret, options);
    await expect(
      jwtVerify(token, new TextEncoder().encode('another secret')),
    ).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
    await expect(jwtVerify(token, key, { audience: 'someone-else' })).rejects.toBeInstanceOf(
      errors.JWTClaimValidationFailed,
    );
  });
});
