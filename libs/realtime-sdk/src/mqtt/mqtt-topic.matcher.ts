import { mqttTopicMatchesFilter } from '@realtime-platform/platform-contract';

/**
 * Whether an MQTT topic filter (`+` one level, `#` the rest) matches a topic name: the contract's
 * matcher, the one Mosquitto's ACL rules are checked with too.
 */
export const mqttTopicMatches: (filter: string, topic: string) => boolean = mqttTopicMatchesFilter;
