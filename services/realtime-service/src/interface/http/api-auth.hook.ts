import { isRealtimePlatformError } from '@realtime-platform/errors';
import {
  createTokenVerifier,
  extractToken,
  sdkErrors,
  type JwtAuthOptions,
} from '@realtime-platform/realtime-sdk';
import type { onRequestAsyncHookHandler } from 'fastify';
import { apiErrors } from './api.errors.js';

/**
 * The REST API takes the same tokens as the WebSocket hub (same `RTP_WS_*` settings, the SDK's
 * verifier): `Authorization: Bearer <jwt>`. Alerts name devices, so the API is never more open
 * than the live feed. With `RTP_WS_AUTH=disabled` both are open.
 */
export function apiAuthHook(auth: JwtAuthOptions): onRequestAsyncHookHandler {
  const verify = createTokenVerifier(auth);
  return async (request) => {
    const token = extractToken(request.headers);
    if (token === undefined) throw apiErrors.API_TOKEN_MISSING(undefined);
    try {
      await verify(token);
    } catch (error) {
      if (isRealtimePlatformError(error) && error.code === sdkErrors.WS_AUTH_TOKEN_EXPIRED.code)
        throw apiErrors.API_TOKEN_EXPIRED(undefined, { cause: error });
      throw apiErrors.API_TOKEN_INVALID(
        { reason: isRealtimePlatformError(error) ? error.message : 'verification failed' },
        { cause: error },
      );
    }
  };
}
