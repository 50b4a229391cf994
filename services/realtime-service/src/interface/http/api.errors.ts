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
    message: (p: { reason: string; tokenCode?: string }) =>
      `the bearer token is invalid: ${p.reason}`,
  },
  API_TOKEN_EXPIRED: {
    message: () => 'the bearer token has expired',
  },
  API_ACCESS_CLAIM_INVALID: {
    message: (p: { reason: string; tokenCode: string }) =>
      `the token grants nothing here: ${p.reason}`,
  },
  API_TOPIC_NOT_GRANTED: {
    message: (p: { topic: string }) => `the token does not grant ${p.topic}`,
  },
  API_DEVICE_NOT_GRANTED: {
    message: (p: { deviceId: string }) => `the token does not grant device ${p.deviceId}`,
  },
  INTERNAL: {
    message: () => 'internal error; see the service log',
  },
});
