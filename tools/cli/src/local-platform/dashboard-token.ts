import { SignJWT } from 'jose';

/**
 * A token for the local dashboard, signed with the run's generated hub secret: the hub keeps JWT
 * auth on locally too (auth is never switched off to make a demo work). Valid for 12 hours.
 */
export async function mintDashboardToken(secret: string, subject = 'rtp-dev'): Promise<string> {
  return new SignJWT({ scope: 'dashboard' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime('12h')
    .sign(new TextEncoder().encode(secret));
}
