import {
  deviceDataTopic,
  dlqSuffix,
  runtimeEnv,
  topicNamePattern,
} from '@realtime-platform/platform-contract';
import { defaultMaxFutureSkewMs } from '@realtime-platform/health-domain';
import { processorErrors } from '../../processor.errors.js';
import { valueFormats, type ValueFormat } from '../vital-value.codecs.js';

/** The stream-processor's own settings (the SDK reads the rest of the `RTP_*` variables). */
export interface ProcessorSettings {
  /** `RTP_TOPICS`: the input topics, default `device_data`. */
  readonly topics: readonly string[];
  /** `RTP_VALUE_FORMAT`: `avro` (default) or `json`. */
  readonly valueFormat: ValueFormat;
  /** `RTP_READING_MAX_FUTURE_SKEW_MS`: later reading timestamps are dead-lettered. */
  readonly maxFutureSkewMs: number;
}

const topicName = new RegExp(topicNamePattern);

/**
 * Reads and checks the settings once at start; every problem is reported together
 * (RTP_ERR_PROCESSOR_SETTINGS_INVALID). `RTP_CONSUMER_MODE` may only be `shared`: in broadcast
 * mode every replica would write every reading again.
 */
export function readProcessorSettings(
  env: Readonly<Record<string, string | undefined>>,
): ProcessorSettings {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const topics = (read(runtimeEnv.topics) ?? deviceDataTopic)
    .split(',')
    .map((topic) => topic.trim())
    .filter((topic) => topic !== '');
  if (topics.length === 0) problems.push(`${runtimeEnv.topics} names no topic`);
  for (const topic of topics) {
    if (!topicName.test(topic) || topic.endsWith(dlqSuffix)) {
      problems.push(
        `${runtimeEnv.topics}: ${JSON.stringify(topic)} is not an input topic name (${topicNamePattern}, not *${dlqSuffix})`,
      );
    }
  }
  if (new Set(topics).size !== topics.length) {
    problems.push(`${runtimeEnv.topics} names a topic twice`);
  }

  const mode = read(runtimeEnv.consumerMode) ?? 'shared';
  if (mode !== 'shared') {
    problems.push(
      `${runtimeEnv.consumerMode} must be "shared" (replicas split the partitions), got ${JSON.stringify(mode)}`,
    );
  }

  const format = read(runtimeEnv.valueFormat) ?? 'avro';
  if (!(valueFormats as readonly string[]).includes(format)) {
    problems.push(
      `${runtimeEnv.valueFormat} must be one of ${valueFormats.join(', ')}, got ${JSON.stringify(format)}`,
    );
  }

  const skew = read(runtimeEnv.readingMaxFutureSkewMs);
  let maxFutureSkewMs = defaultMaxFutureSkewMs;
  if (skew !== undefined) {
    if (!/^[0-9]{1,8}$/.test(skew) || Number(skew) > 86_400_000) {
      problems.push(
        `${runtimeEnv.readingMaxFutureSkewMs} must be an integer from 0 to 86400000 (ms), got ${JSON.stringify(skew)}`,
      );
    } else maxFutureSkewMs = Number(skew);
  }

  if (problems.length > 0) throw processorErrors.SETTINGS_INVALID({ problems });
  return { topics, valueFormat: format as ValueFormat, maxFutureSkewMs };
}
