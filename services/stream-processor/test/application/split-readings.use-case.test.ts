import { describe, expect, it } from '@jest/globals';
import { healthErrors } from '@realtime-platform/health-domain';
import { vitalTopics } from '@realtime-platform/platform-contract';
import type { ProcessorMetricsPort } from '../../src/application/ports/processor-metrics.port.js';
import { SplitReadingsUseCase } from '../../src/application/split-readings.use-case.js';
import { payloadOf, reading } from '@realtime-platform/testkit';

class FakeMetrics implements ProcessorMetricsPort {
  split = 0;
  ignored = 0;
  readonly rejected: string[] = [];
  readingsSplit(count: number): void {
    this.split += count;
  }
  readingRejected(reasonCode: string): void {
    this.rejected.push(reasonCode);
  }
  fieldsIgnored(count: number): void {
    this.ignored += count;
  }
}

const incoming = (value: Buffer, timestamp = 1_767_225_600_500) => ({
  value,
  timestamp,
  headers: {},
});

describe('SplitReadingsUseCase', () => {
  it('should split every valid reading into the four topics, in input order, and reject the others with their reasons', () => {
    const metrics = new FakeMetrics();
    const useCase = new SplitReadingsUseCase(metrics);
    const batch = [
      incoming(payloadOf(reading({ deviceId: 'a', timestamp: 1_767_225_600_001 }))),
      incoming(Buffer.from('{"deviceId": "b", oops')),
      incoming(payloadOf(reading({ deviceId: 'c', heartRate: 400 }))),
      incoming(payloadOf({ ...reading({ deviceId: 'd' }), firmware: '2.1' })),
      incoming(Buffer.from([0xff, 0xfe, 0x00])),
      incoming(payloadOf({ deviceId: 'e' })),
    ];
    const { outputs, rejected } = useCase.execute(batch);

    expect([...outputs.keys()]).toEqual([...vitalTopics]);
    for (const topic of vitalTopics) {
      expect(outputs.get(topic)?.map((output) => output.key)).toEqual(['a', 'd']);
    }
    expect(outputs.get('heart_rate_device_topic')?.[0]).toEqual({
      topic: 'heart_rate_device_topic',
      key: 'a',
      value: {
        deviceId: 'a',
        value: 72,
        latitude: 52.52,
        longitude: 13.405,
        createdTime: 1_767_225_600_001,
      },
      timestamp: 1_767_225_600_500,
      headers: {},
    });
    expect(rejected.map(({ index, reasonCode }) => ({ index, reasonCode }))).toEqual([
      { index: 1, reasonCode: healthErrors.PAYLOAD_MALFORMED_JSON.code },
      { index: 2, reasonCode: healthErrors.FIELD_OUT_OF_RANGE.code },
      { index: 4, reasonCode: healthErrors.PAYLOAD_NOT_UTF8.code },
      { index: 5, reasonCode: healthErrors.FIELD_MISSING.code },
    ]);
    expect(rejected[1]?.reason).toBe('heartRate 400 is outside 20..300 bpm');
    // Every problem of a reading is kept, not only the first.
    expect(rejected[3]?.errors).toHaveLength(8);
    expect(rejected[3]?.reason).toMatch(/^timestamp is required; heartRate is required; /);

    expect(metrics.split).toBe(2);
    expect(metrics.ignored).toBe(1);
    expect(metrics.rejected).toEqual(rejected.map((r) => r.reasonCode));
  });

  it('should answer four empty topics and no rejection for an empty batch', () => {
    const metrics = new FakeMetrics();
    const { outputs, rejected } = new SplitReadingsUseCase(metrics).execute([]);
    expect([...outputs.values()]).toEqual([[], [], [], []]);
    expect(rejected).toEqual([]);
    expect(metrics.split).toBe(0);
  });

  it('should reject a reading stamped beyond the allowed skew of its clock, and a confusable device id', () => {
    const now = 1_767_225_600_000;
    const metrics = new FakeMetrics();
    const useCase = new SplitReadingsUseCase(metrics, { maxFutureSkewMs: 60_000, now: () => now });
    const { outputs, rejected } = useCase.execute([
      incoming(payloadOf(reading({ deviceId: 'late', timestamp: now + 60_000 }))),
      incoming(payloadOf(reading({ deviceId: 'early', timestamp: now + 60_001 }))),
      incoming(payloadOf(reading({ deviceId: 'bed-\u202e7' }))),
    ]);
    expect(outputs.get('heart_rate_device_topic')?.map((output) => output.key)).toEqual(['late']);
    expect(rejected.map(({ index, reasonCode }) => ({ index, reasonCode }))).toEqual([
      { index: 1, reasonCode: healthErrors.TIMESTAMP_IN_FUTURE.code },
      { index: 2, reasonCode: healthErrors.DEVICE_ID_INVALID.code },
    ]);
  });
});
