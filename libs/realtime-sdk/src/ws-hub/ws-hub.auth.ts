import {
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { RealtimePlatformError } from '@realtime-platform/errors';
import { isLoopbackHost, jwksUrlProblem } from '../config/loopback-host.js';
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

/** A token may be valid for at most this long unless configured otherwise: 12 hours. */
export const defaultMaxTokenLifetimeSec = 12 * 60 * 60;

/**
 * A JWT verifier (jose): HMAC with a shared secret, or the keys of a JWKS URL. Algorithms are
 * pinned per key type, so an HS256 token signed with a public key ("alg confusion") never passes.
 *
 * Beyond the signature: `exp` is required and the token may not be valid for longer than
 * `maxLifetimeSec` (counted from `iat`, and from now, so neither a long `exp` nor a future `iat`
 * gets around it); `nbf` and `iat` in the future are refused; `iss` and `aud` must match when
 * configured. A JWKS URL must be https unless it points at this machine (loopback), so keys are
 * never fetched where anyone on the path could swap them.
 */
export function createTokenVerifier(options: JwtAuthOptions): TokenVerifier {
  if (options.jwksUrl !== undefined) {
    const problem = jwksUrlProblem(options.jwksUrl);
    if (problem !== undefined)
      throw sdkErrors.OPTIONS_INVALID({
        component: 'ws hub plugin',
        problems: [`/options/auth/jwksUrl ${problem}`],
      });
  }
  const key: Uint8Array | JWTVerifyGetKey =
    options.secret !== undefined
      ? new TextEncoder().encode(options.secret)
      : createRemoteJWKSet(new URL(options.jwksUrl as string));
  const algorithms = [
    ...(options.algorithms ?? (options.secret !== undefined ? ['HS256'] : asymmetric)),
  ];
  const tolerance = options.clockToleranceSec ?? 5;
  const maxLifetimeSec = options.maxLifetimeSec ?? defaultMaxTokenLifetimeSec;
  const verifyOptions = {
    algorithms,
    requiredClaims: ['exp'],
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
    ...(options.audience === undefined ? {} : { audience: options.audience }),
    clockTolerance: tolerance,
  };
  if (options.secret !== undefined && algorithms.some((alg) => !symmetric.includes(alg))) {
    throw sdkErrors.OPTIONS_INVALID({
      component: 'ws hub plugin',
      problems: ['/options/auth/algorithms must only hold HS256/HS384/HS512 with a shared secret'],
    });
  }
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } =
        key instanceof Uint8Array
          ? await jwtVerify(token, key, verifyOptions)
          : await jwtVerify(token, key, verifyOptions));
    } catch (error) {
      throw toAuthError(error, options);
    }
    const now = Math.floor(Date.now() / 1000);
    const exp = payload.exp as number; // required above
    if (payload.iat !== undefined && payload.iat > now + tolerance)
      throw sdkErrors.WS_AUTH_TOKEN_NOT_YET_VALID({ claim: 'iat' });
    const lifetimeSec = Math.max(exp - now, payload.iat === undefined ? 0 : exp - payload.iat);
    if (lifetimeSec > maxLifetimeSec + tolerance)
      throw sdkErrors.WS_AUTH_TOKEN_LIFETIME_TOO_LONG({ lifetimeSec, maxLifetimeSec });
    return { subject: payload.sub, claims: payload, expiresAt: exp };
  };
}

/**
 * Why a connection (or REST request) that arrived on `localAddress` must be refused because of
 * how authentication is configured, or undefined. Off this machine, auth may be off only with the
 * explicit unsafe option, and tokens must be pinned to an issuer and an audience: a token minted
 * for another service of the same identity provider must not open this one.
 */
export function remoteAuthRefusal(
  auth: JwtAuthOptions | false,
  unsafeAllowUnauthenticatedRemote: boolean,
  localAddress: string | undefined,
): RealtimePlatformError | undefined {
  if (isLoopbackHost(localAddress)) return undefined;
  const where = localAddress ?? 'an unknown address';
  if (auth === false)
    return unsafeAllowUnauthenticatedRemote
      ? undefined
      : sdkErrors.WS_AUTH_DISABLED_REMOTE({ localAddress: where });
  if (auth.issuer === undefined || auth.audience === undefined)
    return sdkErrors.WS_AUTH_ISSUER_AUDIENCE_REQUIRED({ localAddress: where });
  return undefined;
}

function toAuthError(error: unknown, options: JwtAuthOptions): RealtimePlatformError {
  if (error instanceof joseErrors.JWTExpired)
    return sdkErrors.WS_AUTH_TOKEN_EXPIRED(undefined, { cause: error });
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'exp' && error.reason === 'missing')
      return sdkErrors.WS_AUTH_TOKEN_EXP_MISSING(undefined, { cause: error });
    if (error.claim === 'nbf')
      return sdkErrors.WS_AUTH_TOKEN_NOT_YET_VALID({ claim: 'nbf' }, { cause: error });
    if (error.claim === 'iss' && options.issuer !== undefined)
      return sdkErrors.WS_AUTH_TOKEN_ISSUER_MISMATCH(
        { expected: options.issuer },
        { cause: error },
      );
    if (error.claim === 'aud' && options.audience !== undefined)
      return sdkErrors.WS_AUTH_TOKEN_AUDIENCE_MISMATCH(
        { expected: options.audience },
        { cause: error },
      );
  }
  const reason =
    error instanceof joseErrors.JOSEError
      ? `${error.code}: ${error.message}`
      : (error as Error).message;
  return sdkErrors.WS_AUTH_TOKEN_INVALID({ reason }, { cause: error });
}
