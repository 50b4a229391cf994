import { describe, expect, it } from '@jest/globals';
import { DeviceVitals } from '../../../src/domain/index.js';
import { heartRateOf, t0, vital } from '../../helpers/vitals.fixture.js';

describe('DeviceVitals', () => {
  it('keeps the latest vital sign of each kind', () => {
    const device = DeviceVitals.of(heartRateOf(70, { at: t0 }))
      .withVital(vital('temperature', { temperature: 36.8 }, { at: t0 + 10 }))
      .withVital(heartRateOf(75, { at: t0 + 20 }));
    expect(device.vitals().map((v) => [v.kind, v.values])).toEqual([
      ['heart_rate', { heartRate: 75 }],
      ['temperature', { temperature: 36.8 }],
    ]);
    expect(device.updatedAt).toBe(t0 + 20);
  });

  it('ignores a measurement older than the one it holds', () => {
    const device = DeviceVitals.of(heartRateOf(75, { at: t0 + 20 })).withVital(
      heartRateOf(70, { at: t0 }),
    );
    expect(device.latestOf('heart_rate')?.valueOf('heartRate')).toBe(75);
  });

  it('ignores vital signs of other devices', () => {
    const device = DeviceVitals.of(heartRateOf(75));
    expect(device.withVital(heartRateOf(90, { deviceId: 'other', at: t0 + 1 }))).toBe(device);
  });
});
