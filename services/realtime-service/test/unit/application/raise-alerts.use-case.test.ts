import { describe, expect, it } from '@jest/globals';
import { RaiseAlertsUseCase } from '../../../src/application/index.js';
import { AlertPolicy, createAlertRules, defaultAlertRules } from '../../../src/domain/index.js';
import {
  InMemoryAlertRepository,
  InMemoryAlertRuleStateStore,
  ManualClock,
  RecordingAlertPublisher,
} from '../../helpers/in-memory-ports.js';
import { heartRateOf, t0, vital } from '../../helpers/vitals.fixture.js';

function setup(ruleState = new InMemoryAlertRuleStateStore()) {
  const repository = new InMemoryAlertRepository();
  const publisher = new RecordingAlertPublisher();
  const clock = new ManualClock(t0 + 50);
  const useCase = new RaiseAlertsUseCase(
    new AlertPolicy(createAlertRules(defaultAlertRules)),
    repository,
    publisher,
    ruleState,
    clock,
  );
  return { repository, publisher, ruleState, clock, useCase };
}

describe('RaiseAlertsUseCase', () => {
  it('stores and publishes an alert when a rule trips', async () => {
    const { repository, publisher, useCase } = setup();
    const [alert] = await useCase.execute(heartRateOf(190));
    expect(alert?.toProps()).toMatchObject({ ruleId: 'heart-rate', value: 190, raisedAt: t0 + 50 });
    expect([...repository.alerts.keys()]).toEqual([alert?.id]);
    expect(publisher.published).toEqual([alert]);
  });

  it('answers a reading that trips and clears nothing at once (no promise), one that trips with a promise', async () => {
    const { repository, useCase } = setup();
    expect(useCase.execute(heartRateOf(72))).toEqual([]);
    const tripped = useCase.execute(heartRateOf(190, { at: t0 + 1000 }));
    expect(tripped).toBeInstanceOf(Promise);
    expect(await tripped).toHaveLength(1);
    expect(repository.alerts.size).toBe(1);
  });

  it('raises nothing for values within bounds', async () => {
    const { repository, publisher, useCase } = setup();
    expect(await useCase.execute(heartRateOf(72))).toEqual([]);
    expect(repository.alerts.size).toBe(0);
    expect(publisher.published).toEqual([]);
  });

  it('raises one alert per tripped metric of a blood pressure reading', async () => {
    const { useCase } = setup();
    const alerts = await useCase.execute(
      vital('blood_pressure', { systolic: 200, diastolic: 120 }),
    );
    expect(alerts.map((a) => a.ruleId).sort()).toEqual(['diastolic', 'systolic']);
  });

  it('raises the same alert again when the store failed, so the redelivery is not lost', async () => {
    const { repository, publisher, useCase } = setup();
    repository.failNextSaves = 1;
    await expect(useCase.execute(heartRateOf(190))).rejects.toMatchObject({ retriable: true });
    const [alert] = await useCase.execute(heartRateOf(190));
    expect(alert?.id).toBe(`heart-rate/${t0}/device-1`);
    expect(publisher.published).toHaveLength(1);
  });

  it('publishes after a failed publish without storing twice', async () => {
    const { repository, publisher, useCase } = setup();
    publisher.failNextPublishes = 1;
    await expect(useCase.execute(heartRateOf(190))).rejects.toMatchObject({ retriable: true });
    await useCase.execute(heartRateOf(190));
    expect(repository.alerts.size).toBe(1);
    expect(publisher.published).toHaveLength(1);
  });

  it('does not raise again while the device stays out of range', async () => {
    const { publisher, useCase } = setup();
    await useCase.execute(heartRateOf(190, { at: t0 }));
    await useCase.execute(heartRateOf(195, { at: t0 + 1000 }));
    expect(publisher.published).toHaveLength(1);
  });

  it('persists the trip and the recovery of a rule at the measurement that caused them', async () => {
    const { ruleState, useCase } = setup();
    await useCase.execute(heartRateOf(190, { at: t0 }));
    expect(await ruleState.tripped()).toEqual([{ ruleId: 'heart-rate', deviceId: 'device-1' }]);
    await useCase.execute(heartRateOf(72, { at: t0 + 1000 }));
    expect(await ruleState.tripped()).toEqual([]);
    expect([...ruleState.rows.values()]).toEqual([
      { ruleId: 'heart-rate', deviceId: 'device-1', tripped: false, recordedAt: t0 + 1000 },
    ]);
  });

  it('after a restart with the persisted state, an ongoing breach raises no second alert; a new one after recovery does', async () => {
    const { ruleState, useCase } = setup();
    await useCase.execute(heartRateOf(190, { at: t0 }));
    // A new process: fresh policy, same store; the redelivered and the next readings are ongoing.
    const restarted = setup(ruleState);
    await restarted.useCase.restoreState();
    expect(await restarted.useCase.execute(heartRateOf(190, { at: t0 }))).toEqual([]);
    expect(await restarted.useCase.execute(heartRateOf(196, { at: t0 + 1000 }))).toEqual([]);
    await restarted.useCase.execute(heartRateOf(72, { at: t0 + 2000 }));
    const [again] = await restarted.useCase.execute(heartRateOf(191, { at: t0 + 3000 }));
    expect(again?.id).toBe(`heart-rate/${t0 + 3000}/device-1`);
    expect(restarted.publisher.published).toEqual([again]);
  });

  it('raises the alert again (same id) when persisting the state failed, and stores it once', async () => {
    const { repository, publisher, ruleState, useCase } = setup();
    ruleState.failNextRecords = 1;
    await expect(useCase.execute(heartRateOf(190))).rejects.toMatchObject({ retriable: true });
    const [alert] = await useCase.execute(heartRateOf(190));
    expect(alert?.id).toBe(`heart-rate/${t0}/device-1`);
    expect(repository.alerts.size).toBe(1);
    // At-least-once on the alerts topic, with one id: consumers dedupe by it.
    expect(publisher.published.map((a) => a.id)).toEqual([alert?.id, alert?.id]);
    expect(await ruleState.tripped()).toEqual([{ ruleId: 'heart-rate', deviceId: 'device-1' }]);
  });
});
