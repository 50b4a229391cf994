import { describe, expect, it } from '@jest/globals';
import { drillPassed, expectedAlertIds, formatDrillTable, type DrillResult } from '../src/index.js';

const reading = (deviceId: string, timestamp: number, breach: boolean) => ({
  id: `${deviceId}@${timestamp}`,
  deviceId,
  timestamp,
  breach,
  sentAt: timestamp,
});

describe('expectedAlertIds', () => {
  it('expects one alert per breach episode per device, in time order, whatever the arrival order', () => {
    const delivered = [
      reading('d-1', 3, true),
      reading('d-1', 1, false),
      reading('d-1', 2, true),
      reading('d-1', 4, false),
      reading('d-1', 5, true),
      reading('d-2', 9, true),
    ];
    expect([...expectedAlertIds(delivered)].sort()).toEqual([
      'heart-rate/2/d-1',
      'heart-rate/5/d-1',
      'heart-rate/9/d-2',
    ]);
  });

  it('expects nothing for a device whose breach never arrived', () => {
    expect(expectedAlertIds([reading('d-1', 1, false)]).size).toBe(0);
  });
});

const result = (overrides: Partial<DrillResult> = {}): DrillResult => ({
  fault: 'kafka',
  what: 'kill -9 Kafka',
  outageMs: 20_000,
  sent: 1000,
  acknowledged: 1000,
  delivered: 1000,
  lost: 0,
  lostIds: [],
  duplicatesIn: 3,
  duplicatesOut: 0,
  deadLettered: 0,
  alertsExpected: 100,
  alertsStored: 100,
  alertsMissing: [],
  alertsUnexpected: [],
  alertsUnpublished: 0,
  recoverySeconds: 4.25,
  ...overrides,
});

describe('formatDrillTable', () => {
  it('prints one row per fault with the counts and the recovery time', () => {
    const table = formatDrillTable([
      result(),
      result({ fault: 'mosquitto', recoverySeconds: undefined }),
    ]);
    const [header, , kafka, mosquitto] = table.split('\n');
    expect(header).toMatch(
      /^\| fault +\| outage s \| sent \| acked \| delivered \| lost \| dup in\/out \|/,
    );
    expect(kafka).toMatch(
      /^\| kafka +\| 20 +\| 1000 \| 1000 +\| 1000 +\| 0 +\| 3\/0 +\| 0 +\| 100\/100 +\| 0\/0 +\| 4\.3 +\|$/,
    );
    expect(mosquitto).toContain('never');
  });
});

describe('drillPassed', () => {
  it('fails a drill that lost a reading, dead-lettered one, or missed or doubled an alert', () => {
    expect(drillPassed(result())).toBe(true);
    expect(drillPassed(result({ lost: 1 }))).toBe(false);
    expect(drillPassed(result({ deadLettered: 1 }))).toBe(false);
    expect(drillPassed(result({ alertsMissing: ['x'] }))).toBe(false);
    expect(drillPassed(result({ alertsUnexpected: ['x'] }))).toBe(false);
  });
});
