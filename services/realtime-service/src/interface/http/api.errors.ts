import { defineErrors } from '@realtime-platform/errors';

/** Errors the HTTP interface answers with (each response body is `{ code, message, details? }`). */
export const apiErrors = defineErrors('RTP_ERR_REALTIME_SERVICE', {
  REQUEST_INVALID: {
    message: (p: { problems: readonly string[] }) => `request is invalid: ${p.problems.join('; ')}`,
  },
  ROUTE_NOT_FOUND: {
    message: (p: { method: string; url: string }) => `no route ${p.method} ${p.url}`,
  },
  API_TOKEN_MISSING: {
    message: () => 'a bearer token is required (Authorization: Bearer <jwt>)',
  },
  API_TOKEN_INVALID: {
    message: (p: { reason: string }) => `the bearer token is invalid: ${p.reason}`,
  },
  API_TOKEN_EXPIRED: {
    message: () => 'the bearer token has expired',
  },
  INTERNAL: {
    message: () => 'internal error; see the service log',
  },
});
