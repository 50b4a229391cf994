import { describe, expect, it } from '@jest/globals';
import {
  createDashboardState,
  formatValue,
  grantOf,
  parseFragment,
  subscriptionsFor,
} from '../../../public/dashboard-state.js';
import { valueRange } from '../../../public/sparkline.js';

const config = {
  vitalTopics: {
    heart_rate: 'heart_rate_device_topic',
    blood_pressure: 'blood_pressure_device_topic',
  },
  alertsTopic: 'health_alerts',
};

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, seconds)).toISOString();
const hr = (deviceId: string, value: number, seconds: number) => ({
  deviceId,
  kind: 'heart_rate',
  values: { heartRate: value },
  recordedAt: at(seconds),
});

describe('dashboard state (public/dashboard-state.js)', () => {
  it('keeps the current value and the recent points of each metric of each device', () => {
    const state = createDashboardState({
      maxPoints: 3,
      rules: [{ metric: 'heartRate', max: 130 }],
    });
    for (const [i, bpm] of [70, 72, 74, 140].entries()) state.applyVital(hr('bed-1', bpm, i));
    const metric = state.device('bed-1')?.metrics.heartRate;
    expect(metric?.value).toBe(140);
    expect(metric?.points.map((p: { v: number }) => p.v)).toEqual([72, 74, 140]);
    expect(metric?.breach).toBe(true);
    expect(state.isAlerting('bed-1')).toBe(true);
  });

  it('lists devices in order and ignores an older measurement and malformed frames', () => {
    const state = createDashboardState();
    state.applyVital(hr('b', 70, 5));
    state.applyVital(hr('a', 70, 5));
    state.applyVital(hr('a', 99, 1));
    expect(state.applyVital({ nonsense: true })).toBeUndefined();
    expect(state.devices().map((d: { deviceId: string }) => d.deviceId)).toEqual(['a', 'b']);
    expect(state.device('a')?.metrics.heartRate?.value).toBe(70);
  });

  it('keeps alerts newest first, once each', () => {
    const state = createDashboardState({ maxAlerts: 2 });
    const alert = (id: string, s: number) => ({ id, deviceId: 'd', raisedAt: at(s) });
    expect(state.applyAlert(alert('x', 1))).toBe(true);
    expect(state.applyAlert(alert('x', 1))).toBe(false);
    state.applyAlert(alert('y', 3));
    state.applyAlert(alert('z', 2));
    expect(state.alerts().map((a: { id: string }) => a.id)).toEqual(['y', 'z']);
  });

  it('subscribes to every vital topic and the alerts topic, per device or for all', () => {
    expect(subscriptionsFor(config, undefined)).toEqual([
      { type: 'subscribe', topic: 'heart_rate_device_topic', id: 'sub:heart_rate_device_topic' },
      {
        type: 'subscribe',
        topic: 'blood_pressure_device_topic',
        id: 'sub:blood_pressure_device_topic',
      },
      { type: 'subscribe', topic: 'health_alerts', id: 'sub:health_alerts' },
    ]);
    expect(subscriptionsFor(config, 'bed-1').map((m: { filter?: unknown }) => m.filter)).toEqual([
      { deviceId: 'bed-1' },
      { deviceId: 'bed-1' },
      { deviceId: 'bed-1' },
    ]);
  });

  it('subscribes only to what the token grants: per granted device, or per topic for "*"', () => {
    const listed = {
      devices: ['bed-2', 'bed-1'],
      topics: ['heart_rate_device_topic', 'health_alerts'],
    };
    expect(
      subscriptionsFor(config, undefined, listed).map(
        (m: { topic: string; filter?: { deviceId: string } }) => [m.topic, m.filter?.deviceId],
      ),
    ).toEqual([
      ['heart_rate_device_topic', 'bed-1'],
      ['heart_rate_device_topic', 'bed-2'],
      ['health_alerts', 'bed-1'],
      ['health_alerts', 'bed-2'],
    ]);
    expect(
      subscriptionsFor(config, undefined, { devices: '*', topics: ['health_alerts'] }),
    ).toEqual([{ type: 'subscribe', topic: 'health_alerts', id: 'sub:health_alerts' }]);
    expect(subscriptionsFor(config, undefined, { devices: [], topics: '*' })).toEqual([]);
  });

  it('reads the grant from the token payload (base64url, UTF-8), and nothing from a token without one', () => {
    const claim = 'https://realtime-platform/access';
    const payload = { sub: 'nurse', [claim]: { devices: ['bett-ü'], topics: '*' } };
    const encoded = Buffer.from(JSON.stringify(payload)).toString('base64url');
    expect(grantOf(`h.${encoded}.s`, claim)).toEqual({ devices: ['bett-ü'], topics: '*' });
    const without = Buffer.from(JSON.stringify({ sub: 'x' })).toString('base64url');
    expect(grantOf(`h.${without}.s`, claim)).toBeUndefined();
    expect(grantOf('not-a-jwt', claim)).toBeUndefined();
  });

  it('reads the token and the device from the URL fragment', () => {
    expect(parseFragment('#token=abc.def.ghi&device=bed%201')).toEqual({
      token: 'abc.def.ghi',
      device: 'bed 1',
    });
    expect(parseFragment('')).toEqual({ token: undefined, device: undefined });
  });

  it('formats values and never draws a flat line on a zero-height axis', () => {
    expect(formatValue(72)).toBe('72');
    expect(formatValue(36.84)).toBe('36.8');
    const { lo, hi } = valueRange([{ t: 0, v: 5 }]);
    expect(hi).toBeGreaterThan(lo);
    expect(valueRange([{ t: 0, v: 72 }], [40, 130])).toMatchObject({
      lo: expect.any(Number),
      hi: expect.any(Number),
    });
  });
});
