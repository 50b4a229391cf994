// The live dashboard: connects to the service's WebSocket hub, draws each device's vitals and
// lists alerts as they arrive. Plain ES modules served by the service; no build step, no CDN.
import {
  createDashboardState,
  formatValue,
  grantOf,
  metricLabels,
  metricOrder,
  parseFragment,
  subscriptionsFor,
} from './dashboard-state.js';
import { openLiveConnection } from './live-connection.js';
import { drawSparkline } from './sparkline.js';

const $ = (testId) => document.querySelector(`[data-testid="${testId}"]`);
const tokenKey = 'rtp-dashboard-token';

async function start() {
  const config = await (await fetch('/dashboard/config.json')).json();
  const fragment = parseFragment(location.hash);
  if (fragment.token !== undefined) {
    sessionStorage.setItem(tokenKey, fragment.token);
    // Keep the token out of the address bar (and out of bookmarks and screen shares).
    history.replaceState(null, '', location.pathname + location.search);
  }
  const device = fragment.device;
  $('device-filter').value = device ?? '';
  $('device-filter-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = $('device-filter').value.trim();
    location.hash = chosen === '' ? '' : `device=${encodeURIComponent(chosen)}`;
    location.reload();
  });

  const token = sessionStorage.getItem(tokenKey) ?? undefined;
  if (config.auth === 'jwt' && token === undefined) {
    askForToken();
    setStatus('unauthorized', 'a token is needed');
    return;
  }

  const state = createDashboardState({ rules: config.alertRules });
  const boundsOf = (metric) => {
    const rule = config.alertRules.find((r) => r.metric === metric);
    return { min: rule?.min, max: rule?.max };
  };
  const alertsTopic = config.alertsTopic;
  const vitalTopics = new Set(Object.values(config.vitalTopics));
  const dirty = new Set();
  let alertsDirty = false;
  let scheduled = false;

  const render = () => {
    scheduled = false;
    for (const deviceId of dirty) renderDevice(state, deviceId, config, boundsOf);
    dirty.clear();
    if (alertsDirty) renderAlerts(state.alerts());
    alertsDirty = false;
    const stats = state.stats();
    $('device-count').textContent = String(stats.devices);
    $('frames-received').textContent = String(stats.frames);
    $('devices-empty').hidden = stats.devices > 0;
  };
  // At most ten renders a second, however many frames arrive (a timer, not requestAnimationFrame,
  // so a page that is not painted, e.g. headless, still updates its DOM).
  const schedule = () => {
    if (!scheduled) {
      scheduled = true;
      setTimeout(render, 100);
    }
  };

  const authHeaders = token === undefined ? {} : { authorization: `Bearer ${token}` };
  // What the token grants decides what the page subscribes to (the server enforces it).
  const grant = config.auth === 'jwt' ? grantOf(token, config.accessClaim) : undefined;
  const isTokenRefused = async () => {
    try {
      const response = await fetch('/api/alerts?limit=1', { headers: authHeaders });
      if (response.status !== 401 && response.status !== 403) return false;
      const body = await response.json().catch(() => ({}));
      showNotice(`${body.code ?? response.status}: ${body.message ?? 'the token was refused'}`);
      return true;
    } catch {
      return false; // the service is down, not the token
    }
  };

  // Alerts raised before the page opened (REST, same token).
  try {
    const query = new URLSearchParams({ limit: '20', ...(device ? { deviceId: device } : {}) });
    const response = await fetch(`/api/alerts?${query}`, { headers: authHeaders });
    if (response.ok) {
      for (const alert of (await response.json()).alerts) state.applyAlert(alert);
      alertsDirty = true;
      schedule();
    } else if (response.status === 401) {
      forgetToken('the service refused the token');
      return;
    }
    // 403 (the token does not grant the alerts topic): the live feed may still be granted.
  } catch {
    // The live feed still works; the history is a convenience.
  }

  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  openLiveConnection({
    url: `${scheme}://${location.host}${config.wsPath}`,
    token,
    subscriptions: subscriptionsFor(
      config,
      device,
      config.auth === 'jwt' ? (grant ?? { devices: [], topics: [] }) : undefined,
    ),
    isTokenRefused: config.auth === 'jwt' ? isTokenRefused : undefined,
    onState: (next, detail) => {
      setStatus(next, detail);
      if (next === 'unauthorized') forgetToken(detail);
    },
    onFrame: (frame) => {
      if (frame.type === 'data' && vitalTopics.has(frame.topic)) {
        const changed = state.applyVital(frame.data);
        if (changed !== undefined) dirty.add(changed);
      } else if (frame.type === 'data' && frame.topic === alertsTopic) {
        alertsDirty = state.applyAlert(frame.data) || alertsDirty;
      } else if (frame.type === 'gap') {
        state.applyGap(frame);
      } else if (frame.type === 'error') {
        showNotice(`${frame.code}: ${frame.message}`);
      }
      schedule();
    },
  });
}

function renderDevice(state, deviceId, config, boundsOf) {
  const device = state.device(deviceId);
  if (device === undefined) return;
  const grid = $('device-grid');
  let card = grid.querySelector(`[data-device-id="${CSS.escape(deviceId)}"]`);
  if (card === null) {
    card = document.getElementById('device-card').content.firstElementChild.cloneNode(true);
    card.dataset.deviceId = deviceId;
    card.querySelector('[data-testid="device-id"]').textContent = deviceId;
    const cards = [...grid.children];
    const before = cards.find((c) => c.dataset.deviceId.localeCompare(deviceId) > 0);
    grid.insertBefore(card, before ?? null);
  }
  card.classList.toggle('alerting', state.isAlerting(deviceId));
  const updated = card.querySelector('[data-testid="device-updated"]');
  updated.dateTime = new Date(device.updatedAt).toISOString();
  updated.textContent = new Date(device.updatedAt).toLocaleTimeString();
  const metrics = card.querySelector('.metrics');
  for (const metric of metricOrder) {
    const current = device.metrics[metric];
    if (current === undefined) continue;
    let row = metrics.querySelector(`[data-metric="${metric}"]`);
    if (row === null) {
      row = document.getElementById('metric-row').content.firstElementChild.cloneNode(true);
      row.dataset.metric = metric;
      for (const el of row.querySelectorAll('[data-testid]')) el.dataset.metric = metric;
      row.querySelector('[data-testid="vital-label"]').textContent = metricLabels[metric];
      row.querySelector('[data-testid="vital-unit"]').textContent =
        config.metrics[metric]?.unit ?? '';
      const after = [...metrics.children].find(
        (r) => metricOrder.indexOf(r.dataset.metric) > metricOrder.indexOf(metric),
      );
      metrics.insertBefore(row, after ?? null);
    }
    row.classList.toggle('breach', current.breach);
    row.querySelector('[data-testid="vital-value"]').textContent = formatValue(current.value);
    drawSparkline(row.querySelector('canvas'), current.points, boundsOf(metric));
  }
}

function renderAlerts(alerts) {
  const list = $('alerts-list');
  list.replaceChildren(
    ...alerts.map((alert) => {
      const item = document.createElement('li');
      item.dataset.testid = 'alert-item';
      item.dataset.alertId = alert.id;
      item.dataset.deviceId = alert.deviceId;
      item.dataset.severity = alert.severity;
      const title = document.createElement('strong');
      title.textContent = `${alert.deviceId} · ${alert.severity}`;
      const text = document.createElement('div');
      text.textContent = alert.message;
      const time = document.createElement('time');
      time.dateTime = alert.raisedAt;
      time.textContent = new Date(alert.raisedAt).toLocaleTimeString();
      item.append(title, text, time);
      return item;
    }),
  );
  $('alerts-empty').hidden = alerts.length > 0;
}

function setStatus(state, detail) {
  const status = $('connection-status');
  status.dataset.state = state;
  status.textContent = detail === undefined ? state : `${state}: ${detail}`;
}

function showNotice(text) {
  const notice = $('notice');
  notice.textContent = text;
  notice.hidden = false;
}

function forgetToken(reason) {
  sessionStorage.removeItem(tokenKey);
  showNotice(`Not connected: ${reason ?? 'the token was refused'}.`);
  askForToken();
}

function askForToken() {
  const form = $('token-form');
  form.hidden = false;
  form.addEventListener(
    'submit',
    (event) => {
      event.preventDefault();
      const value = $('token-input').value.trim();
      if (value === '') return;
      sessionStorage.setItem(tokenKey, value);
      location.reload();
    },
    { once: true },
  );
}

start().catch((error) => {
  setStatus('disconnected', 'the dashboard failed to start');
  showNotice(String(error));
});
