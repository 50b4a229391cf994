import { vitalTopics } from '@realtime-platform/platform-contract';
import type { VitalKind } from '../../domain/index.js';
import type { VitalTopic } from '../config/service-config.js';

/*
 * Which vital sign each topic carries. Topic names come from the contract; each is picked by
 * position and pinned by its type, so a reordered contract stops this from compiling.
 */
const bloodPressureTopic: Extract<VitalTopic, `blood_pressure_${string}`> = vitalTopics[0];
const heartRateTopic: Extract<VitalTopic, `heart_rate_${string}`> = vitalTopics[1];
const oxygenSaturationTopic: Extract<VitalTopic, `oxygen_saturation_${string}`> = vitalTopics[2];
const temperatureTopic: Extract<VitalTopic, `temperature_${string}`> = vitalTopics[3];

export const kindOfTopic: Readonly<Record<VitalTopic, VitalKind>> = {
  [bloodPressureTopic]: 'blood_pressure',
  [heartRateTopic]: 'heart_rate',
  [oxygenSaturationTopic]: 'oxygen_saturation',
  [temperatureTopic]: 'temperature',
};

export const topicOfKind: Readonly<Record<VitalKind, VitalTopic>> = {
  blood_pressure: bloodPressureTopic,
  heart_rate: heartRateTopic,
  oxygen_saturation: oxygenSaturationTopic,
  temperature: temperatureTopic,
};

export function isVitalTopic(topic: string): topic is VitalTopic {
  return (vitalTopics as readonly string[]).includes(topic);
}
