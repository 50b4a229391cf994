import { isRetriable } from '@realtime-platform/errors';
import type { Logger, SchemaRegistryClient } from '@realtime-platform/realtime-sdk';
import { processorErrors } from '../processor.errors.js';
import { valueSubjectOf, type VitalCodecs } from './vital-value.codecs.js';

export interface SubjectSetupOptions {
  /** Attempts while the registry is unavailable (retriable errors) before giving up. */
  readonly attempts?: number;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

/**
 * Before the first record: registers each vital schema under `<topic>-value` (or finds it there)
 * and sets the subject's compatibility to BACKWARD: a later version of a schema must read the
 * records written with the previous one (new fields need defaults). Registering first
 * keeps the first `encode` off the hot path, and a registry that refuses the schema (an
 * incompatible earlier version) stops the service at start instead of at the first reading.
 * A registry that is not up yet is waited for (retriable errors, with backoff).
 */
export async function setUpVitalSubjects(
  codecs: VitalCodecs,
  registry: SchemaRegistryClient,
  logger: Logger,
  options: SubjectSetupOptions = {},
): Promise<void> {
  const attempts = options.attempts ?? 30;
  const initialDelayMs = options.initialDelayMs ?? 250;
  const maxDelayMs = options.maxDelayMs ?? 5000;
  for (const [topic, codec] of codecs.avro) {
    const subject = valueSubjectOf(topic);
    for (let attempt = 1; ; attempt += 1) {
      try {
        const id = await codec.register({ topic });
        await registry.setCompatibility(subject, 'BACKWARD');
        logger.info({ subject, id, compatibility: 'BACKWARD' }, 'schema registered');
        break;
      } catch (error) {
        if (!isRetriable(error) || attempt >= attempts) {
          throw processorErrors.SUBJECTS_NOT_READY(
            { subject, attempts: attempt, reason: (error as Error).message },
            { cause: error },
          );
        }
        const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));
        logger.warn({ subject, attempt, delayMs: delay, err: error }, 'registry not ready');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
