import { describe, expect, it } from '@jest/globals';
import { readProcessorSettings } from '../../../src/infrastructure/config/service-config.js';
import { processorErrors } from '../../../src/processor.errors.js';

describe('readProcessorSettings', () => {
  it('should default to device_data, shared mode and Avro values', () => {
    expect(readProcessorSettings({})).toEqual({
      topics: ['device_data'],
      valueFormat: 'avro',
      maxFutureSkewMs: 300_000,
    });
  });

  it('should read RTP_TOPICS, RTP_CONSUMER_MODE=shared and RTP_VALUE_FORMAT=json', () => {
    expect(
      readProcessorSettings({
        RTP_TOPICS: 'device_data, ward_7_device_data',
        RTP_CONSUMER_MODE: 'shared',
        RTP_VALUE_FORMAT: 'json',
        RTP_READING_MAX_FUTURE_SKEW_MS: '60000',
      }),
    ).toEqual({
      topics: ['device_data', 'ward_7_device_data'],
      valueFormat: 'json',
      maxFutureSkewMs: 60_000,
    });
  });

  it('should report every problem at once with a coded error', () => {
    let thrown: unknown;
    try {
      readProcessorSettings({
        RTP_TOPICS: 'device_data.dlq,bad topic',
        RTP_CONSUMER_MODE: 'broadcast',
        RTP_VALUE_FORMAT: 'protobuf',
        RTP_READING_MAX_FUTURE_SKEW_MS: '-5',
      });
    } catch (error) {
      thrown = error;
    }
    expect(processorErrors.SETTINGS_INVALID.is(thrown)).toBe(true);
    const message = (thrown as Error).message;
    expect(message).toContain('"device_data.dlq" is not an input topic name');
    expect(message).toContain('"bad topic" is not an input topic name');
    expect(message).toContain('RTP_CONSUMER_MODE must be "shared"');
    expect(message).toContain('RTP_VALUE_FORMAT must be one of avro, json, got "protobuf"');
    expect(message).toContain('RTP_READING_MAX_FUTURE_SKEW_MS must be an integer');
  });
});
