import { SignJWT } from 'jose';
import { accessClaimName } from '@realtime-platform/realtime-sdk';

/** What a token grants: the value of the access claim (see the SDK README). */
export interface AccessGrantClaim {
  readonly devices: readonly string[] | '*';
  readonly topics: readonly string[] | '*';
  readonly wards?: readonly string[];
}

export interface DashboardTokenOptions {
  readonly grant: AccessGrantClaim;
  /** The hub's `RTP_WS_JWT_ISSUER` / `RTP_WS_JWT_AUDIENCE`, which the token must match. */
  readonly issuer: string;
  readonly audience: string;
  readonly subject?: string;
  /** Validity; 12 hours, the hub's default maximum. */
  readonly expiresIn?: string;
}

/**
 * A token for the local dashboard, signed with the run's generated hub secret: the hub keeps JWT
 * auth on locally too (auth is never switched off to make a demo work). It expires (12 h, the
 * hub's maximum), names the run's issuer and audience, and grants exactly `grant`.
 */
export async function mintDashboardToken(
  secret: string,
  options: DashboardTokenOptions,
): Promise<string> {
  return new SignJWT({ [accessClaimName]: options.grant })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(options.subject ?? 'rtp-dev')
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(new TextEncoder().encode(secret));
}
