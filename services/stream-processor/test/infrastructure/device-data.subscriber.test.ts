import { describe, expect, it } from '@jest/globals';
import { healthErrors } from '@realtime-platform/health-domain';
import { vitalTopics } from '@realtime-platform/platform-contract';
import {
  SchemaRegistryClient,
  deadLetterHeaders,
  deadLetterHeadersFor,
  type BatchHandler,
  type BatchResult,
  type ConsumedRecord,
  type MessageBus,
  type SubscribeOptions,
  type Subscription,
} from '@realtime-platform/realtime-sdk';
import { SplitReadingsUseCase } from '../../src/application/split-readings.use-case.js';
import { DeviceDataSubscriber } from '../../src/infrastructure/device-data.subscriber.js';
import { vitalValueCodecs } from '../../src/infrastructure/vital-value.codecs.js';
import { payloadOf, reading } from '@realtime-platform/testkit';

/** A MessageBus that records what was subscribed, so the batch handler can be called directly. */
class RecordingBus implements Pick<MessageBus, 'subscribe'> {
  options: SubscribeOptions<Buffer> | undefined;
  async subscribe<T>(options: SubscribeOptions<T>): Promise<Subscription> {
    this.options = options as unknown as SubscribeOptions<Buffer>;
    return {} as Subscription;
  }
}

const noMetrics = { readingsSplit() {}, readingRejected() {}, fieldsIgnored() {} };

const record = (value: Buffer, offset: number): ConsumedRecord<Buffer> => ({
  topic: 'device_data',
  partition: 0,
  offset: String(offset),
  key: 'device-1',
  value,
  headers: {},
  timestamp: 1_767_225_600_900,
});

async function subscribed(): Promise<{
  options: SubscribeOptions<Buffer>;
  handle: BatchHandler<Buffer>;
}> {
  const bus = new RecordingBus();
  const codecs = vitalValueCodecs('json', new SchemaRegistryClient({ url: 'http://127.0.0.1:9' }));
  await new DeviceDataSubscriber(
    bus as unknown as MessageBus,
    new SplitReadingsUseCase(noMetrics),
    codecs,
    {
      topics: ['device_data'],
    },
  ).start();
  const options = bus.options as SubscribeOptions<Buffer>;
  return { options, handle: options.batchHandler as BatchHandler<Buffer> };
}

describe('DeviceDataSubscriber', () => {
  it('should subscribe in shared mode with a batch handler and raw bytes (the use case validates)', async () => {
    const { options } = await subscribed();
    expect(options).toMatchObject({ topics: ['device_data'], mode: 'shared', fromBeginning: true });
    expect(options.codec.name).toBe('buffer');
    expect(options.handler).toBeUndefined();
  });

  it('should hand the four vital topics and the rejections to the SDK as one batch result', async () => {
    const { handle } = await subscribed();
    const result = (await handle(
      [
        record(payloadOf(reading({ deviceId: 'device-1' })), 10),
        record(payloadOf(reading({ systolic: 70, diastolic: 90 })), 11),
      ],
      { attempt: 1, assignment: 1 },
    )) as BatchResult;
    expect(result.outputs?.map((output) => output.topic)).toEqual([...vitalTopics]);
    for (const output of result.outputs ?? []) {
      expect(output.records).toHaveLength(1);
      expect(output.records[0]).toMatchObject({ key: 'device-1', timestamp: 1_767_225_600_900 });
      // RTP_VALUE_FORMAT=json: the value is the record as a JSON object, fields in SELECT order.
      const json = (
        await output.codec.encode(output.records[0]?.value, { topic: output.topic })
      ).toString();
      expect(Object.keys(JSON.parse(json) as object)[0]).toBe('deviceId');
    }
    expect(result.rejected).toHaveLength(1);
    const [rejection] = result.rejected ?? [];
    expect(rejection?.index).toBe(1);
    // What the SDK's DLQ writes for it: the health code of the first problem and every reason.
    const headers = deadLetterHeadersFor({
      reason: 'handler',
      error: rejection?.error,
      topic: 'device_data',
      partition: 0,
      offset: '11',
      timestamp: '0',
      groupId: 'stream-processor',
      attempts: 1,
      retriable: false,
    });
    expect(headers[deadLetterHeaders.errorCode]).toBe(healthErrors.BLOOD_PRESSURE_INVERTED.code);
    expect(headers[deadLetterHeaders.errorMessage]).toBe(
      'systolic 70 must be greater than diastolic 90',
    );
  });

  it('should leave out topics without records (a batch of rejections only)', async () => {
    const { handle } = await subscribed();
    const result = (await handle([record(Buffer.from('not json'), 1)], {
      attempt: 1,
      assignment: 1,
    })) as BatchResult;
    expect(result.outputs).toEqual([]);
    expect(result.rejected?.map((r) => r.index)).toEqual([0]);
  });
});
