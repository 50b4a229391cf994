import { describe, expect, it } from '@jest/globals';
import { healthErrors } from '@realtime-platform/health-domain';
import { bridgeErrors } from '../../src/bridge.errors.js';
import { defaultReadingRoutePolicy, routeReading } from '../../src/domain/reading-route.policy.js';
import { payloadOf, reading } from '@realtime-platform/testkit';

describe('routeReading', () => {
  it('should forward a valid reading keyed by its deviceId (WITHKEY(deviceId))', () => {
    const route = routeReading(payloadOf(reading({ deviceId: 'wearable-7' })));
    expect(route).toEqual({
      kind: 'forward',
      key: 'wearable-7',
      reading: reading({ deviceId: 'wearable-7' }),
      ignoredFields: [],
    });
  });

  it('should drop fields HealthData does not know from the forwarded reading', () => {
    const route = routeReading(payloadOf({ ...reading(), firmware: '2.1' }));
    expect(route).toMatchObject({ kind: 'forward', ignoredFields: ['firmware'] });
    expect(route.kind === 'forward' && Object.keys(route.reading)).not.toContain('firmware');
  });

  it('should dead-letter a payload that is not JSON with the health domain code and the raw bytes', () => {
    const payload = Buffer.from('{"deviceId": "d1", ');
    const route = routeReading(payload);
    expect(route).toMatchObject({
      kind: 'dead-letter',
      key: undefined,
      reasonCode: healthErrors.PAYLOAD_MALFORMED_JSON.code,
      payload,
      payloadBytes: payload.length,
    });
  });

  it('should dead-letter an implausible value keyed by the deviceId it still has', () => {
    const route = routeReading(payloadOf(reading({ deviceId: 'd9', heartRate: 400 })));
    expect(route).toMatchObject({
      kind: 'dead-letter',
      key: 'd9',
      reasonCode: healthErrors.FIELD_OUT_OF_RANGE.code,
    });
    expect(route.kind === 'dead-letter' && route.reason).toContain('heartRate 400');
  });

  it('should dead-letter a reading with a missing field, naming the field', () => {
    const { systolic: _systolic, ...rest } = reading();
    const route = routeReading(payloadOf(rest));
    expect(route).toMatchObject({
      kind: 'dead-letter',
      reasonCode: healthErrors.FIELD_MISSING.code,
    });
    expect(route.kind === 'dead-letter' && route.reason).toContain('systolic is required');
  });

  it('should not parse an oversized payload and should cut its dead-letter value', () => {
    const payload = Buffer.alloc(100, 0x20);
    const route = routeReading(payload, {
      ...defaultReadingRoutePolicy,
      maxPayloadBytes: 50,
      maxDeadLetterPayloadBytes: 10,
    });
    expect(route).toMatchObject({
      kind: 'dead-letter',
      reasonCode: bridgeErrors.PAYLOAD_TOO_LARGE.code,
      payloadBytes: 100,
    });
    expect(route.kind === 'dead-letter' && route.payload.length).toBe(10);
  });

  it('should never throw, whatever the bytes', () => {
    for (const bytes of [[0xff, 0xfe], [0x00], [], [0x5b, 0x5d], [0x6e, 0x75, 0x6c, 0x6c]]) {
      expect(routeReading(Buffer.from(bytes)).kind).toBe('dead-letter');
    }
  });

  it('should dead-letter a reading stamped beyond the allowed clock skew, keyed by its device', () => {
    const future = Date.now() + 10 * 60_000;
    const route = routeReading(payloadOf(reading({ deviceId: 'd3', timestamp: future })));
    expect(route).toMatchObject({
      kind: 'dead-letter',
      key: 'd3',
      reasonCode: healthErrors.TIMESTAMP_IN_FUTURE.code,
    });
    // A wider skew (RTP_READING_MAX_FUTURE_SKEW_MS) lets it through.
    const lenient = routeReading(payloadOf(reading({ deviceId: 'd3', timestamp: future })), {
      ...defaultReadingRoutePolicy,
      maxFutureSkewMs: 15 * 60_000,
    });
    expect(lenient.kind).toBe('forward');
  });

  it('should dead-letter a confusable device id without using it as the key', () => {
    const route = routeReading(payloadOf(reading({ deviceId: 'bed-\u0430' })));
    expect(route).toMatchObject({
      kind: 'dead-letter',
      key: undefined,
      reasonCode: healthErrors.DEVICE_ID_INVALID.code,
    });
  });

  it("should forward a reading on a device's own topic only when it names that device", () => {
    const own = routeReading(
      payloadOf(reading({ deviceId: 'monitor-7' })),
      defaultReadingRoutePolicy,
      'health/device_data/monitor-7',
    );
    expect(own).toMatchObject({ kind: 'forward', key: 'monitor-7' });
    const forged = routeReading(
      payloadOf(reading({ deviceId: 'monitor-8' })),
      defaultReadingRoutePolicy,
      'health/device_data/monitor-7',
    );
    expect(forged).toMatchObject({
      kind: 'dead-letter',
      key: 'monitor-7',
      reasonCode: bridgeErrors.DEVICE_ID_MISMATCH.code,
    });
    expect(forged.kind === 'dead-letter' && forged.reason).toContain('"monitor-8"');
  });

  it("should take any deviceId on the gateways' topic, and key an invalid payload on a device topic by that device", () => {
    expect(
      routeReading(
        payloadOf(reading({ deviceId: 'x' })),
        defaultReadingRoutePolicy,
        'health/device_data',
      ),
    ).toMatchObject({ kind: 'forward', key: 'x' });
    expect(
      routeReading(
        Buffer.from('{"deviceId":"other"'),
        defaultReadingRoutePolicy,
        'health/device_data/monitor-7',
      ),
    ).toMatchObject({ kind: 'dead-letter', key: 'monitor-7' });
  });
});
