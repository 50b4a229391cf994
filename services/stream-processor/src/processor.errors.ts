import { defineErrors } from '@realtime-platform/errors';

/**
 * The stream-processor's own errors (`RTP_ERR_PROCESSOR_*`). Rejected readings are not here: they
 * carry the health domain's codes (`RTP_ERR_HEALTH_*`) into the DLQ headers.
 */
export const processorErrors = defineErrors('RTP_ERR_PROCESSOR', {
  SETTINGS_INVALID: {
    message: (p: { problems: readonly string[] }) =>
      `the stream-processor settings are invalid:\n  - ${p.problems.join('\n  - ')}`,
  },
  SUBJECTS_NOT_READY: {
    message: (p: { subject: string; attempts: number; reason: string }) =>
      `the Schema Registry subject ${p.subject} could not be set up after ${p.attempts} attempt(s): ${p.reason}`,
  },
});
