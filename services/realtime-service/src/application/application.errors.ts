import { defineErrors } from '@realtime-platform/errors';

/** Errors of the use cases (the HTTP layer maps each to a status). Not retriable. */
export const applicationErrors = defineErrors('RTP_ERR_REALTIME_SERVICE', {
  DEVICE_NOT_FOUND: {
    message: (p: { deviceId: string }) =>
      `no vital signs of device ${JSON.stringify(p.deviceId)} since this replica started`,
  },
  QUERY_INVALID: {
    message: (p: { reason: string }) => `query is invalid: ${p.reason}`,
  },
});
