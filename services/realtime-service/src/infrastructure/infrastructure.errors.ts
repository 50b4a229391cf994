import { defineErrors } from '@realtime-platform/errors';

/** Errors of the adapters. Only those a retry can fix are retriable. */
export const infrastructureErrors = defineErrors('RTP_ERR_REALTIME_SERVICE', {
  CONFIG_INVALID: {
    message: (p: { problems: readonly string[] }) =>
      `configuration is invalid:\n- ${p.problems.join('\n- ')}`,
  },
  DATABASE_UNAVAILABLE: {
    message: (p: { operation: string; reason: string; database?: string }) =>
      `${p.database ?? 'PostgreSQL'} is unavailable (${p.operation}): ${p.reason}`,
    retriable: true,
  },
  DATABASE_QUERY_FAILED: {
    message: (p: { operation: string; reason: string; database?: string }) =>
      `${p.database ?? 'PostgreSQL'} refused ${p.operation}: ${p.reason}`,
  },
  MIGRATION_FAILED: {
    message: (p: { migration: string; reason: string }) =>
      `migration ${p.migration} failed: ${p.reason}`,
  },
  MIGRATION_CHANGED: {
    message: (p: { migration: string }) =>
      `migration ${p.migration} was applied with a different content; never edit an applied migration, add a new one`,
  },
  VITAL_TOPIC_UNKNOWN: {
    message: (p: { topic: string }) => `topic ${p.topic} is not a vital-sign topic`,
  },
});
