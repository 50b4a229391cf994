import { describe, expect, it } from '@jest/globals';
import {
  SchemaRegistryClient,
  createLogger,
  sdkErrors,
  type AvroCodec,
} from '@realtime-platform/realtime-sdk';
import { processorErrors } from '../../src/processor.errors.js';
import { setUpVitalSubjects } from '../../src/infrastructure/vital-subjects.registrar.js';
import {
  vitalValueCodecs,
  type VitalCodecs,
  type VitalValue,
} from '../../src/infrastructure/vital-value.codecs.js';

const silent = createLogger({ level: 'silent' });

/** Codecs whose `register` answers from a script, and a registry that records compatibility. */
function fakes(script: (topic: string, attempt: number) => Promise<number>) {
  const real = vitalValueCodecs('avro', new SchemaRegistryClient({ url: 'http://127.0.0.1:9' }));
  const attempts = new Map<string, number>();
  const avro = new Map(
    [...real.avro.keys()].map((topic) => [
      topic,
      {
        register: async ({ topic: t }: { topic: string }) => {
          const attempt = (attempts.get(t) ?? 0) + 1;
          attempts.set(t, attempt);
          return script(t, attempt);
        },
      } as unknown as AvroCodec<VitalValue>,
    ]),
  );
  const compatibility: string[] = [];
  const registry = {
    setCompatibility: async (subject: string, level: string) => {
      compatibility.push(`${subject}=${level}`);
    },
  } as unknown as SchemaRegistryClient;
  return { codecs: { ...real, avro } as VitalCodecs, registry, compatibility, attempts };
}

describe('setUpVitalSubjects', () => {
  it('should register each vital schema and set <topic>-value to BACKWARD', async () => {
    const { codecs, registry, compatibility } = fakes(async () => 1);
    await setUpVitalSubjects(codecs, registry, silent);
    expect(compatibility).toEqual([
      'blood_pressure_device_topic-value=BACKWARD',
      'heart_rate_device_topic-value=BACKWARD',
      'oxygen_saturation_device_topic-value=BACKWARD',
      'temperature_device_topic-value=BACKWARD',
    ]);
  });

  it('should wait for a registry that is not up yet (retriable errors)', async () => {
    const { codecs, registry, compatibility, attempts } = fakes(async (_topic, attempt) => {
      if (attempt < 3) throw sdkErrors.SCHEMA_REGISTRY_UNAVAILABLE({ url: 'x', reason: 'down' });
      return 1;
    });
    await setUpVitalSubjects(codecs, registry, silent, { initialDelayMs: 1 });
    expect(compatibility).toHaveLength(4);
    expect(attempts.get('blood_pressure_device_topic')).toBe(3);
  });

  it('should stop at once when the registry refuses a schema (an incompatible earlier version)', async () => {
    const { codecs, registry, compatibility } = fakes(async () => {
      throw sdkErrors.SCHEMA_REGISTRY_REJECTED({ url: 'x', status: 409, reason: 'incompatible' });
    });
    await expect(setUpVitalSubjects(codecs, registry, silent)).rejects.toMatchObject({
      code: processorErrors.SUBJECTS_NOT_READY.code,
      details: expect.objectContaining({
        subject: 'blood_pressure_device_topic-value',
        attempts: 1,
      }),
    });
    expect(compatibility).toEqual([]);
  });

  it('should do nothing for JSON values', async () => {
    const json = vitalValueCodecs('json', new SchemaRegistryClient({ url: 'http://127.0.0.1:9' }));
    await setUpVitalSubjects(json, {} as SchemaRegistryClient, silent);
    expect(json.avro.size).toBe(0);
  });
});
