import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';

/** A fresh HS256 secret per test file (never a fixed credential). */
export const newJwtSecret = (): string => randomBytes(32).toString('base64url');

export function signToken(
  secret: string,
  options: { expiresIn?: string | number; subject?: string } = {},
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(options.subject ?? 'dashboard-user')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '10m')
    .sign(new TextEncoder().encode(secret));
}
