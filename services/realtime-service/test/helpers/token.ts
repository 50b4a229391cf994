import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { alertsTopic, vitalTopics } from '@realtime-platform/platform-contract';
import { accessClaimName } from '@realtime-platform/realtime-sdk';

/** A fresh HS256 secret per test file (never a fixed credential). */
export const newJwtSecret = (): string => randomBytes(32).toString('base64url');

/** What a token grants (the access claim's value). */
export interface Grant {
  readonly devices: readonly string[] | '*';
  readonly topics: readonly string[] | '*';
  readonly wards?: readonly string[];
}

/** Every device of the service's topics: for the tests that watch whole topics. */
export const everyDevice: Grant = { devices: '*', topics: [...vitalTopics, alertsTopic] };

export function signToken(
  secret: string,
  options: {
    expiresIn?: string | number;
    subject?: string;
    grant?: Grant | null;
    issuer?: string;
    audience?: string;
  } = {},
): Promise<string> {
  const grant = options.grant === undefined ? everyDevice : options.grant;
  const jwt = new SignJWT(grant === null ? {} : { [accessClaimName]: grant })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(options.subject ?? 'dashboard-user')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '10m');
  if (options.issuer !== undefined) jwt.setIssuer(options.issuer);
  if (options.audience !== undefined) jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
