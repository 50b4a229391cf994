import { isRealtimePlatformError } from '@realtime-platform/errors';
import {
  createTokenVerifier,
  extractToken,
  sdkErrors,
  unrestrictedGrant,
  type AccessGrant,
  type AccessPolicy,
  type JwtAuthOptions,
} from '@realtime-platform/realtime-sdk';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { apiErrors } from './api.errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** What the request's token grants (everything with auth disabled); set by `apiAuthHook`. */
    accessGrant: AccessGrant;
    /** The token's `sub`, for the audit log. */
    accessSubject: string | undefined;
  }
}

/**
 * The REST API takes the same tokens as the WebSocket hub (same `RTP_WS_*` settings, the SDK's
 * verifier with its rules: `exp` required, lifetime bounded, `iss`/`aud` pinned) and reads the
 * same access claim with the same policy, so the API is never more open than the live feed.
 * `Authorization: Bearer <jwt>`. With auth disabled (loopback, or `disabled-unsafe`) both are open.
 */
export function apiAuthHook(
  auth: JwtAuthOptions | false,
  access: AccessPolicy,
): onRequestAsyncHookHandler {
  const verify = auth === false ? undefined : createTokenVerifier(auth);
  return async (request: FastifyRequest) => {
    request.accessSubject = undefined;
    request.accessGrant = unrestrictedGrant;
    if (verify === undefined) return;
    const token = extractToken(request.headers);
    if (token === undefined) throw apiErrors.API_TOKEN_MISSING(undefined);
    let claims: Readonly<Record<string, unknown>>;
    try {
      const context = await verify(token);
      claims = context.claims;
      request.accessSubject = context.subject;
    } catch (error) {
      if (isRealtimePlatformError(error) && error.code === sdkErrors.WS_AUTH_TOKEN_EXPIRED.code)
        throw apiErrors.API_TOKEN_EXPIRED(undefined, { cause: error });
      throw apiErrors.API_TOKEN_INVALID(
        {
          reason: isRealtimePlatformError(error) ? error.message : 'verification failed',
          ...(isRealtimePlatformError(error) ? { tokenCode: error.code } : {}),
        },
        { cause: error },
      );
    }
    try {
      request.accessGrant = access.grantOf(claims);
    } catch (error) {
      const coded = isRealtimePlatformError(error)
        ? error
        : sdkErrors.ACCESS_CLAIM_INVALID({ claim: access.claim, reason: 'unreadable' });
      throw apiErrors.API_ACCESS_CLAIM_INVALID(
        { reason: coded.message, tokenCode: coded.code },
        { cause: coded },
      );
    }
  };
}
