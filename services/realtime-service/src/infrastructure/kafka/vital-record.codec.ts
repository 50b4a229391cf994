import {
  vitalTopicSchemas,
  type BloodPressureRecord,
  type SingleValueVitalRecord,
} from '@realtime-platform/health-domain';
import {
  avroCodec,
  jsonCodec,
  type AvroSchema,
  type Codec,
  type SchemaRegistryClient,
} from '@realtime-platform/realtime-sdk';
import { VitalSign, type VitalValues } from '../../domain/index.js';
import type { VitalTopic } from '../config/service-config.js';
import { infrastructureErrors } from '../infrastructure.errors.js';
import { isVitalTopic, kindOfTopic } from './vital-topics.js';

/** A value of a vital topic as the stream processing writes it (health-domain schemas). */
export type VitalRecordValue = BloodPressureRecord | SingleValueVitalRecord;

/**
 * Avro values of the four vital topics in the Confluent wire format (the SDK's codec + Schema
 * Registry), one reader schema per topic from @realtime-platform/health-domain. A value starting
 * with `{` is read as JSON with the same field names (the wire format starts with byte 0).
 */
export function vitalRecordCodec(registry: SchemaRegistryClient): Codec<VitalRecordValue> {
  const codecs = new Map<VitalTopic, Codec<VitalRecordValue>>();
  const codecOf = (topic: string): Codec<VitalRecordValue> => {
    if (!isVitalTopic(topic)) throw infrastructureErrors.VITAL_TOPIC_UNKNOWN({ topic });
    let codec = codecs.get(topic);
    if (codec === undefined) {
      // health-domain's schemas are readonly literals; avsc's type wants mutable arrays.
      const schema = vitalTopicSchemas[topic] as unknown as AvroSchema;
      codec = avroCodec<VitalRecordValue>({ registry, schema });
      codecs.set(topic, codec);
    }
    return codec;
  };
  return {
    name: 'avro-vitals',
    encode: (value, context) => codecOf(context.topic).encode(value, context),
    decode(bytes, context) {
      // The stream processor writes Avro by default; with its JSON format (RTP_VALUE_FORMAT=json)
      // the same fields arrive as a JSON object. The domain checks the fields either way.
      if (bytes[0] === openingBrace) return json.decode(bytes, context);
      return codecOf(context.topic).decode(bytes, context);
    },
  };
}

const openingBrace = 0x7b;
const json = jsonCodec<VitalRecordValue>({
  validate: (value): value is VitalRecordValue =>
    typeof value === 'object' && value !== null && !Array.isArray(value),
});

/** The domain's vital sign of a record; throws RTP_ERR_REALTIME_SERVICE_VITAL_SIGN_INVALID. */
export function vitalFromRecord(topic: VitalTopic, record: VitalRecordValue): VitalSign {
  const kind = kindOfTopic[topic];
  let values: VitalValues;
  if (kind === 'blood_pressure') {
    const { systolic, diastolic } = record as BloodPressureRecord;
    values = { systolic, diastolic };
  } else {
    const { value } = record as SingleValueVitalRecord;
    values =
      kind === 'heart_rate'
        ? { heartRate: value }
        : kind === 'oxygen_saturation'
          ? { oxygenSaturation: value }
          : { temperature: value };
  }
  return VitalSign.create({
    deviceId: record.deviceId,
    kind,
    values,
    recordedAt: Number(record.createdTime),
    location: { latitude: record.latitude, longitude: record.longitude },
  });
}

/** The record a vital sign travels as (the inverse of `vitalFromRecord`; producers, tests). */
export function recordFromVital(vital: VitalSign): VitalRecordValue {
  const common = {
    deviceId: vital.deviceId,
    latitude: vital.location.latitude,
    longitude: vital.location.longitude,
    createdTime: vital.recordedAt,
  };
  const v = vital.values;
  switch (vital.kind) {
    case 'blood_pressure':
      return {
        deviceId: common.deviceId,
        systolic: v.systolic as number,
        diastolic: v.diastolic as number,
        latitude: common.latitude,
        longitude: common.longitude,
        createdTime: common.createdTime,
      };
    case 'heart_rate':
      return { ...common, value: v.heartRate as number };
    case 'oxygen_saturation':
      return { ...common, value: v.oxygenSaturation as number };
    case 'temperature':
      return { ...common, value: v.temperature as number };
  }
}
