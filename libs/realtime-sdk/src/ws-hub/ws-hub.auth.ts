import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { RealtimePlatformError } from '@realtime-platform/errors';
import { sdkErrors } from '../sdk.errors.js';
import type { AuthContext, JwtAuthOptions } from './ws-hub.options.js';

/** The subprotocol that carries a token: `new WebSocket(url, ['bearer', token])`. */
export const bearerProtocol = 'bearer';

export type TokenVerifier = (token: string) => Promise<AuthContext>;

interface UpgradeHeaders {
  readonly authorization?: string | undefined;
  readonly 'sec-websocket-protocol'?: string | string[] | undefined;
}

/**
 * The bearer token of an upgrade request: `Authorization: Bearer <jwt>`, else the protocol after
 * `bearer` in `Sec-WebSocket-Protocol` (browsers cannot set headers on a WebSocket). The hub echoes
 * only `bearer` as the selected protocol, never the token.
 */
export function extractToken(headers: UpgradeHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[1] !== undefined) return match[1];
  }
  const raw = headers['sec-websocket-protocol'];
  if (raw === undefined) return undefined;
  const protocols = (Array.isArray(raw) ? raw.join(',') : raw).split(',').map((p) => p.trim());
  const at = protocols.indexOf(bearerProtocol);
  const token = at >= 0 ? protocols[at + 1] : undefined;
  return token === undefined || token === '' ? undefined : token;
}

const symmetric = ['HS256', 'HS384', 'HS512'];
const asymmetric = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/**
 * A JWT verifier (jose): HMAC with a shared secret, or the keys of a JWKS URL. Algorithms are
 * pinned per key type, so an HS256 token signed with a public key ("alg confusion") never passes.
 */
export function createTokenVerifier(options: JwtAuthOptions): TokenVerifier {
  const key: Uint8Array | JWTVerifyGetKey =
    options.secret !== undefined
      ? new TextEncoder().encode(options.secret)
      : createRemoteJWKSet(new URL(options.jwksUrl as string));
  const algorithms = [
    ...(options.algorithms ?? (options.secret !== undefined ? ['HS256'] : asymmetric)),
  ];
  const verifyOptions = {
    algorithms,
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
    ...(options.audience === undefined ? {} : { audience: options.audience }),
    clockTolerance: options.clockToleranceSec ?? 5,
  };
  if (options.secret !== undefined && algorithms.some((alg) => !symmetric.includes(alg))) {
    throw sdkErrors.OPTIONS_INVALID({
      component: 'ws hub plugin',
      problems: ['/options/auth/algorithms must only hold HS256/HS384/HS512 with a shared secret'],
    });
  }
  return async (token) => {
    try {
      const { payload } =
        key instanceof Uint8Array
          ? await jwtVerify(token, key, verifyOptions)
          : await jwtVerify(token, key, verifyOptions);
      return {
        subject: payload.sub,
        claims: payload,
        expiresAt: payload.exp,
      };
    } catch (error) {
      throw toAuthError(error);
    }
  };
}

function toAuthError(error: unknown): RealtimePlatformError {
  if (error instanceof joseErrors.JWTExpired)
    return sdkErrors.WS_AUTH_TOKEN_EXPIRED(undefined, { cause: error });
  const reason =
    error instanceof joseErrors.JOSEError
      ? `${error.code}: ${error.message}`
      : (error as Error).message;
  return sdkErrors.WS_AUTH_TOKEN_INVALID({ reason }, { cause: error });
}
