import { describe, expect, it } from '@jest/globals';
import {
  ListRecentAlertsUseCase,
  applicationErrors,
  alertFromDto,
  toAlertDto,
} from '../../../src/application/index.js';
import { Alert, AlertRule, domainErrors } from '../../../src/domain/index.js';
import { InMemoryAlertRepository } from '../../helpers/in-memory-ports.js';
import { heartRateOf, t0 } from '../../helpers/vitals.fixture.js';

const rule = AlertRule.create({ id: 'hr', metric: 'heartRate', max: 130 });
const alertAt = (deviceId: string, raisedAt: number) => {
  const reading = heartRateOf(150, { deviceId, at: raisedAt - 10 });
  return Alert.raise(rule.check(reading)!, reading, raisedAt);
};

async function seeded() {
  const repository = new InMemoryAlertRepository();
  for (const [device, at] of [
    ['a', t0],
    ['b', t0 + 1000],
    ['a', t0 + 2000],
  ] as const)
    await repository.save(alertAt(device, at));
  return new ListRecentAlertsUseCase(repository);
}

describe('ListRecentAlertsUseCase', () => {
  it('lists the newest first, 50 by default', async () => {
    const alerts = await (await seeded()).execute();
    expect(alerts.map((a) => a.raisedAt)).toEqual([t0 + 2000, t0 + 1000, t0]);
  });

  it('filters by time and device and honours the limit', async () => {
    const useCase = await seeded();
    expect((await useCase.execute({ since: t0 + 1000 })).map((a) => a.raisedAt)).toEqual([
      t0 + 2000,
      t0 + 1000,
    ]);
    expect((await useCase.execute({ deviceId: 'a' })).map((a) => a.deviceId)).toEqual(['a', 'a']);
    expect(await useCase.execute({ limit: 1 })).toHaveLength(1);
  });

  it('rejects a limit outside 1..500 and a blank device id', async () => {
    const useCase = await seeded();
    expect(() => useCase.execute({ limit: 0 })).toThrow(
      expect.objectContaining({ code: applicationErrors.QUERY_INVALID.code }),
    );
    expect(() => useCase.execute({ limit: 501 })).toThrow(/limit/);
    expect(() => useCase.execute({ deviceId: '' })).toThrow(
      expect.objectContaining({ code: domainErrors.DEVICE_ID_INVALID.code }),
    );
  });
});

describe('AlertDto', () => {
  it('round-trips an alert through its JSON form', () => {
    const alert = alertAt('bed-1', t0 + 123);
    const json = JSON.parse(JSON.stringify(toAlertDto(alert))) as unknown;
    expect(json).toMatchObject({ recordedAt: new Date(t0 + 113).toISOString() });
    expect(alertFromDto(json).toProps()).toEqual(alert.toProps());
  });

  it('rejects malformed alert JSON with ALERT_INVALID', () => {
    expect(() => alertFromDto({ id: 1 })).toThrow(
      expect.objectContaining({ code: domainErrors.ALERT_INVALID.code }),
    );
    expect(() => alertFromDto('nope')).toThrow(/not an object/);
  });
});
