import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { localInfraErrors, pollUntil, PrometheusServer } from '../src/index.js';
import { freePort } from '../src/free-port.js';

/** A /metrics endpoint whose gauge the test sets, and that can stop answering. */
let gauge = 0;
let endpoint: Server;
let port: number;
let prometheus: PrometheusServer;

/** Reads until `done` (or 30 s), polling every 250 ms: Prometheus scrapes and evaluates on its own clock. */
const eventually = <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> =>
  pollUntil(read, done, { timeoutMs: 30_000, intervalMs: 250 });

beforeAll(async () => {
  port = await freePort();
  endpoint = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(`# TYPE test_queue_depth gauge\ntest_queue_depth ${gauge}\n`);
  });
  await new Promise<void>((resolve) => endpoint.listen(port, '127.0.0.1', resolve));
  prometheus = await PrometheusServer.start({
    targets: [{ job: 'fixture', address: `127.0.0.1:${port}`, labels: { component: 'fixture' } }],
    ruleFiles: [
      JSON.stringify({
        groups: [
          {
            name: 'fixture',
            rules: [
              { alert: 'QueueDeep', expr: 'test_queue_depth > 10', labels: { severity: 'x' } },
            ],
          },
        ],
      }),
    ],
  });
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  endpoint?.closeAllConnections();
  await new Promise((resolve) => endpoint?.close(resolve));
});

describe('PrometheusServer (real Prometheus)', () => {
  it('scrapes its targets with their labels', async () => {
    const up = await eventually(
      () => prometheus.query('up{job="fixture"}'),
      (samples) => samples.length > 0,
    );
    expect(up).toEqual([
      expect.objectContaining({
        metric: expect.objectContaining({ component: 'fixture', job: 'fixture' }) as unknown,
        value: [expect.any(Number), '1'],
      }),
    ]);
  });

  it('loads the rule files and fires an alert when its condition holds, not before', async () => {
    expect(await prometheus.alertingRules()).toEqual(['QueueDeep']);
    expect(await prometheus.alerts()).toEqual([]);
    gauge = 50;
    const alerts = await eventually(
      () => prometheus.alerts(),
      (list) => list.some((alert) => alert.state === 'firing'),
    );
    expect(alerts).toEqual([
      expect.objectContaining({
        state: 'firing',
        labels: expect.objectContaining({
          alertname: 'QueueDeep',
          component: 'fixture',
        }) as unknown,
      }),
    ]);
  });

  it('refuses a bad query with a coded error', async () => {
    await expect(prometheus.query('sum(')).rejects.toMatchObject({
      code: localInfraErrors.API_FAILED.code,
    });
  });
});
