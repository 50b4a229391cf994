import { describe, expect, it } from '@jest/globals';
import { bridgeErrors } from '../../../src/bridge.errors.js';
import { loadBridgeSettings } from '../../../src/infrastructure/config/service-config.js';

describe('loadBridgeSettings', () => {
  it("should default to the contract's topics, a plain subscription and session defaults", () => {
    expect(loadBridgeSettings({})).toEqual({
      mqttTopic: 'health/device_data',
      sharedGroup: undefined,
      subscriptions: ['health/device_data', 'health/device_data/+'],
      deviceTopicPrefix: 'health/device_data/',
      outputTopic: 'device_data',
      deadLetterTopic: 'device_data.dlq',
      sessionExpirySeconds: 3600,
      receiveMaximum: 10_000,
      maxFutureSkewMs: 300_000,
      qos0QueueLimit: 10_000,
    });
  });

  it('should read what the chart sets (builtin.yaml) and subscribe to the shared subscription', () => {
    expect(
      loadBridgeSettings({
        RTP_MQTT_TOPIC: 'health/device_data',
        RTP_MQTT_SHARED_GROUP: 'health-data-mqtt-bridge',
        RTP_OUTPUT_TOPIC: 'device_data',
        RTP_MQTT_SESSION_EXPIRY_SECONDS: '86400',
        RTP_MQTT_RECEIVE_MAXIMUM: '2000',
        RTP_READING_MAX_FUTURE_SKEW_MS: '60000',
        RTP_MQTT_QOS0_QUEUE_LIMIT: '500',
      }),
    ).toMatchObject({
      qos0QueueLimit: 500,
      subscriptions: [
        '$share/health-data-mqtt-bridge/health/device_data',
        '$share/health-data-mqtt-bridge/health/device_data/+',
      ],
      deadLetterTopic: 'device_data.dlq',
      sessionExpirySeconds: 86400,
      receiveMaximum: 2000,
      maxFutureSkewMs: 60_000,
    });
  });

  it('should refuse a topic with wildcards (device topics are derived from it)', () => {
    expect(() => loadBridgeSettings({ RTP_MQTT_TOPIC: 'health/+' })).toThrow(
      expect.objectContaining({ code: bridgeErrors.SETTINGS_INVALID.code }),
    );
  });

  it('should name the DLQ after a custom output topic', () => {
    expect(loadBridgeSettings({ RTP_OUTPUT_TOPIC: 'ward_7_readings' }).deadLetterTopic).toBe(
      'ward_7_readings.dlq',
    );
  });

  it('should report every malformed variable at once', () => {
    expect(() =>
      loadBridgeSettings({
        RTP_MQTT_TOPIC: '$share/x/health',
        RTP_MQTT_SHARED_GROUP: 'a/b',
        RTP_OUTPUT_TOPIC: 'bad topic',
        RTP_MQTT_SESSION_EXPIRY_SECONDS: '-1',
        RTP_MQTT_RECEIVE_MAXIMUM: '70000',
        RTP_MQTT_QOS0_QUEUE_LIMIT: '0',
      }),
    ).toThrow(
      expect.objectContaining({
        code: bridgeErrors.SETTINGS_INVALID.code,
        message: expect.stringMatching(
          /RTP_MQTT_TOPIC[\s\S]*RTP_MQTT_SHARED_GROUP[\s\S]*RTP_OUTPUT_TOPIC[\s\S]*RTP_MQTT_SESSION_EXPIRY_SECONDS[\s\S]*RTP_MQTT_RECEIVE_MAXIMUM[\s\S]*RTP_MQTT_QOS0_QUEUE_LIMIT/,
        ),
      }),
    );
  });
});
