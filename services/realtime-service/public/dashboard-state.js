// The dashboard's state, without the DOM: what the page shows, updated from hub frames.
// Pure module (no browser API), so it is unit-tested in Node.

/** Labels of the metrics, in display order. */
export const metricLabels = {
  heartRate: 'Heart rate',
  systolic: 'Systolic',
  diastolic: 'Diastolic',
  oxygenSaturation: 'SpO₂',
  temperature: 'Temperature',
};

export const metricOrder = Object.keys(metricLabels);

/**
 * @typedef {{ t: number, v: number }} Point
 * @typedef {{ value: number, points: Point[], breach: boolean }} MetricState
 * @typedef {{ deviceId: string, updatedAt: number, metrics: Record<string, MetricState> }} DeviceState
 * @typedef {{ id: string, deviceId: string, ruleId: string, metric: string, value: number,
 *   threshold: number, direction: 'below' | 'above', severity: string, message: string,
 *   recordedAt: string, raisedAt: string }} AlertDto
 */

/**
 * @param {{ maxPoints?: number, maxAlerts?: number, maxDevices?: number,
 *   rules?: { metric: string, min?: number, max?: number }[] }} [options]
 */
export function createDashboardState(options = {}) {
  const maxPoints = options.maxPoints ?? 60;
  const maxAlerts = options.maxAlerts ?? 50;
  const maxDevices = options.maxDevices ?? 200;
  const rules = options.rules ?? [];
  /** @type {Map<string, DeviceState>} */
  const devices = new Map();
  /** @type {AlertDto[]} */
  let alerts = [];
  const alertIds = new Set();
  let frames = 0;
  let dropped = 0;

  const outOfBounds = (metric, value) =>
    rules.some(
      (rule) =>
        rule.metric === metric &&
        ((rule.min !== undefined && value < rule.min) ||
          (rule.max !== undefined && value > rule.max)),
    );

  return {
    /** A `data` frame of a vital topic (`VitalDto`). Returns the device id it changed, if any. */
    applyVital(vital) {
      frames += 1;
      if (!vital || typeof vital.deviceId !== 'string' || typeof vital.values !== 'object')
        return undefined;
      const t = Date.parse(vital.recordedAt);
      if (!Number.isFinite(t)) return undefined;
      let device = devices.get(vital.deviceId);
      if (device === undefined) {
        if (devices.size >= maxDevices) return undefined;
        device = { deviceId: vital.deviceId, updatedAt: t, metrics: {} };
        devices.set(vital.deviceId, device);
      }
      device.updatedAt = Math.max(device.updatedAt, t);
      for (const [metric, value] of Object.entries(vital.values)) {
        if (typeof value !== 'number' || !Number.isFinite(value)) continue;
        const state = (device.metrics[metric] ??= { value, points: [], breach: false });
        const last = state.points.at(-1);
        if (last !== undefined && last.t > t) continue; // an older measurement: keep the line ordered
        state.points.push({ t, v: value });
        if (state.points.length > maxPoints)
          state.points.splice(0, state.points.length - maxPoints);
        state.value = value;
        state.breach = outOfBounds(metric, value);
      }
      return vital.deviceId;
    },

    /** A `data` frame of the alerts topic (`AlertDto`), or one from `GET /api/alerts`. */
    applyAlert(alert) {
      frames += 1;
      if (!alert || typeof alert.id !== 'string' || alertIds.has(alert.id)) return false;
      alertIds.add(alert.id);
      alerts = [alert, ...alerts]
        .sort((a, b) => Date.parse(b.raisedAt) - Date.parse(a.raisedAt))
        .slice(0, maxAlerts);
      return true;
    },

    /** A `gap` frame: the hub dropped frames for this client (it read too slowly). */
    applyGap(gap) {
      dropped += typeof gap?.dropped === 'number' ? gap.dropped : 0;
    },

    devices() {
      return [...devices.values()].sort((a, b) => a.deviceId.localeCompare(b.deviceId));
    },

    device(deviceId) {
      return devices.get(deviceId);
    },

    alerts() {
      return alerts;
    },

    /** Whether a device has a metric out of bounds right now. */
    isAlerting(deviceId) {
      const device = devices.get(deviceId);
      return device !== undefined && Object.values(device.metrics).some((m) => m.breach);
    },

    stats() {
      return { frames, dropped, devices: devices.size, alerts: alerts.length };
    },
  };
}

/** Reads `#token=…&device=…` (the fragment never reaches the server or its logs). */
export function parseFragment(hash) {
  const params = new URLSearchParams(String(hash ?? '').replace(/^#/, ''));
  const token = params.get('token') ?? undefined;
  const device = params.get('device') ?? undefined;
  return {
    token: token === '' ? undefined : token,
    device: device === '' ? undefined : device,
  };
}

/**
 * What a token grants, read from its payload (`{ devices: "*" | string[], topics: "*" | string[] }`),
 * or undefined when it has no readable claim. The page does not verify the token - the server does
 * and refuses what is not granted - it only asks for what the token can get.
 */
export function grantOf(token, claim) {
  try {
    const payload = String(token).split('.')[1];
    const base64 = payload.replaceAll('-', '+').replaceAll('_', '/');
    const json = decodeURIComponent(
      [...globalThis.atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='))]
        .map((c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
        .join(''),
    );
    const grant = JSON.parse(json)[claim];
    if (typeof grant !== 'object' || grant === null) return undefined;
    const list = (value) => (value === '*' ? '*' : Array.isArray(value) ? value.map(String) : []);
    return { devices: list(grant.devices), topics: list(grant.topics) };
  } catch {
    return undefined;
  }
}

/**
 * The subscribe messages of the hub protocol for a scope: every vital topic and the alerts topic,
 * filtered by device when one is chosen. With a grant (auth on), only granted topics, and one
 * subscription per granted device unless the grant says every device (`"*"`); without one (auth
 * disabled) every topic, unfiltered.
 */
export function subscriptionsFor(config, device, grant) {
  const topics = [...Object.values(config.vitalTopics), config.alertsTopic].filter(
    (topic) => grant === undefined || grant.topics === '*' || grant.topics.includes(topic),
  );
  const everyDevice = grant === undefined || grant.devices === '*';
  const devices =
    device !== undefined
      ? [device]
      : everyDevice
        ? [undefined]
        : [...new Set(grant.devices)].sort();
  return topics.flatMap((topic) =>
    devices.map((deviceId) => ({
      type: 'subscribe',
      topic,
      ...(deviceId === undefined ? {} : { filter: { deviceId } }),
      id:
        deviceId === undefined || device !== undefined
          ? `sub:${topic}`
          : `sub:${topic}:${deviceId}`,
    })),
  );
}

/** A number for display: integers as they are, others with one decimal. */
export function formatValue(value) {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
