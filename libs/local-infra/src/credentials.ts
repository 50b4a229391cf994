import { randomBytes } from 'node:crypto';

/** A random password: 24 URL-safe characters (144 bits). Never a fixed default. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** A random user name with a readable prefix, e.g. `device-3f9a1c`. */
export function generateUsername(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}
