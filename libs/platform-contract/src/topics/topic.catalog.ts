export type TopicRole = 'input' | 'derived';

export interface TopicDefinition {
  readonly name: string;
  readonly role: TopicRole;
  /** Where its records come from. */
  readonly source: string;
  readonly description: string;
}

/**
 * Partitions of every default topic unless a declared topic says otherwise: at least the default
 * `scaling.maxReplicas` (5), so a work-sharing consumer group at full scale gives every replica a
 * partition; 6 also splits evenly over 1, 2 or 3 replicas.
 */
export const defaultTopicPartitions = 6;
/** Dead-letter topics are low-volume and read by people, not by scaled consumers. */
export const dlqTopicPartitions = 1;
export const dlqSuffix = '.dlq';

/** Kafka's legal topic characters, starting with a letter or digit (so no internal `__` topics). */
export const topicNamePattern = '^[a-zA-Z0-9][a-zA-Z0-9._-]*$';
/** Kafka allows 249 characters; the `.dlq` suffix must still fit. */
export const maxTopicNameLength = 249 - dlqSuffix.length;

/** The dead-letter topic of `topic`: `<topic>.dlq`. */
export function dlqTopicName(topic: string): string {
  return `${topic}${dlqSuffix}`;
}

/** The MQTT topic devices publish to; the MQTT source connector copies it into `device_data`. */
export const deviceMqttTopic = 'health/device_data';

export const deviceDataTopic = 'device_data';
export const alertsTopic = 'health_alerts';

/** The vital-sign topics the stream processing derives from `device_data`. */
export const vitalTopics = [
  'blood_pressure_device_topic',
  'heart_rate_device_topic',
  'oxygen_saturation_device_topic',
  'temperature_device_topic',
] as const;

const derivedFromDeviceData = (vital: string): string =>
  `${vital} readings split out of \`device_data\`, keyed by deviceId`;

/** The topics every platform has, whatever the claim says. */
export const defaultTopicCatalog: readonly TopicDefinition[] = [
  {
    name: deviceDataTopic,
    role: 'input',
    source: `MQTT \`${deviceMqttTopic}\` via the MQTT source connector (or producers)`,
    description: 'raw device readings, keyed by deviceId',
  },
  {
    name: 'blood_pressure_device_topic',
    role: 'derived',
    source: 'stream processing of `device_data`',
    description: derivedFromDeviceData('systolic/diastolic'),
  },
  {
    name: 'heart_rate_device_topic',
    role: 'derived',
    source: 'stream processing of `device_data`',
    description: derivedFromDeviceData('heart rate'),
  },
  {
    name: 'oxygen_saturation_device_topic',
    role: 'derived',
    source: 'stream processing of `device_data`',
    description: derivedFromDeviceData('oxygen saturation'),
  },
  {
    name: 'temperature_device_topic',
    role: 'derived',
    source: 'stream processing of `device_data`',
    description: derivedFromDeviceData('body temperature'),
  },
  {
    name: alertsTopic,
    role: 'derived',
    source: 'applications whose alert rules trip on the vital topics',
    description: 'health alerts, keyed by deviceId',
  },
];
