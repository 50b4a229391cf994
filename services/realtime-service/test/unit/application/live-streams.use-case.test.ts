import { describe, expect, it } from '@jest/globals';
import {
  GetLatestVitalsUseCase,
  StreamLiveAlertUseCase,
  StreamLiveVitalUseCase,
  applicationErrors,
} from '../../../src/application/index.js';
import { Alert, AlertRule, domainErrors } from '../../../src/domain/index.js';
import { InMemoryLatestVitalsStore } from '../../../src/infrastructure/memory/in-memory.latest-vitals.store.js';
import { RecordingLiveFeed } from '../../helpers/in-memory-ports.js';
import { heartRateOf, t0, vital } from '../../helpers/vitals.fixture.js';

describe('StreamLiveVitalUseCase and GetLatestVitalsUseCase', () => {
  it('pushes each vital sign to the live feed and remembers it as the latest', () => {
    const store = new InMemoryLatestVitalsStore();
    const feed = new RecordingLiveFeed();
    const stream = new StreamLiveVitalUseCase(store, feed);
    const latest = new GetLatestVitalsUseCase(store);

    stream.execute(heartRateOf(70, { at: t0 }));
    stream.execute(vital('oxygen_saturation', { oxygenSaturation: 97 }, { at: t0 + 1 }));
    stream.execute(heartRateOf(74, { at: t0 + 2 }));

    expect(feed.vitals.map((v) => v.values)).toEqual([
      { heartRate: 70 },
      { oxygenSaturation: 97 },
      { heartRate: 74 },
    ]);
    const device = latest.execute('device-1');
    expect(device.latestOf('heart_rate')?.valueOf('heartRate')).toBe(74);
    expect(device.latestOf('oxygen_saturation')?.valueOf('oxygenSaturation')).toBe(97);
  });

  it('answers DEVICE_NOT_FOUND for a device it has not seen and DEVICE_ID_INVALID for a blank id', () => {
    const latest = new GetLatestVitalsUseCase(new InMemoryLatestVitalsStore());
    expect(() => latest.execute('nobody')).toThrow(
      expect.objectContaining({ code: applicationErrors.DEVICE_NOT_FOUND.code }),
    );
    expect(() => latest.execute(' ')).toThrow(
      expect.objectContaining({ code: domainErrors.DEVICE_ID_INVALID.code }),
    );
  });

  it('forgets the least recently updated devices beyond its bound', () => {
    const store = new InMemoryLatestVitalsStore(2);
    for (const deviceId of ['a', 'b', 'c']) store.record(heartRateOf(70, { deviceId }));
    expect(store.size).toBe(2);
    expect(store.latestOf('a' as never)).toBeUndefined();
  });

  it('reports the silence of the device that sent nothing for the longest time (0 with no device)', () => {
    let now = 1_000;
    const store = new InMemoryLatestVitalsStore(10, { now: () => now });
    expect(store.longestSilenceMs()).toBe(0);
    store.record(heartRateOf(70, { deviceId: 'a' }));
    now = 5_000;
    store.record(heartRateOf(70, { deviceId: 'b' }));
    now = 65_000;
    expect(store.longestSilenceMs()).toBe(64_000);
    // a reports again: b (60 s) is now the most silent
    store.record(heartRateOf(71, { deviceId: 'a' }));
    expect(store.longestSilenceMs()).toBe(60_000);
  });
});

describe('StreamLiveAlertUseCase', () => {
  it('pushes alerts from the alerts topic to the live feed', () => {
    const feed = new RecordingLiveFeed();
    const reading = heartRateOf(190);
    const rule = AlertRule.create({ id: 'hr', metric: 'heartRate', max: 130 });
    const alert = Alert.raise(rule.check(reading)!, reading, t0);
    new StreamLiveAlertUseCase(feed).execute(alert);
    expect(feed.alerts).toEqual([alert]);
  });
});
