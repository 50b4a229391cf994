// start-kafka-node.sh, the command of the three-broker Kafka's pods, run for real with the chart's
// rendered settings: its format step is the real Kafka 3.9.1 `kafka-storage format` (which parses
// and validates the whole server configuration: listeners, security protocols, SASL mechanisms, the
// controller quorum), and the server start is replaced by a recorder, since the rendered hosts
// (in-cluster DNS names) do not exist on this machine. The topology itself runs on loopback in
// tools/local-infra/test/kafka-cluster.durability.test.ts.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { kafkaDistribution } from '@realtime-platform/toolchain';
import { chartPath, renderChart, type RenderedChart } from '../support/render-chart.js';
import { runShellScript } from '../support/run-shell-script.js';

const chart = 'realtime-platform';
const namespace = 'apps';
const script = join(chartPath(chart), 'files', 'scripts', 'start-kafka-node.sh');

let render: RenderedChart;
let work: string;
beforeAll(async () => {
  render = await renderChart(chart, {
    releaseName: 'platform',
    namespace,
    fixtures: ['kafka-cluster'],
  });
  work = mkdtempSync(join(tmpdir(), 'rtp-start-kafka-node-'));
  // A Kafka home whose kafka-storage is the real tool and whose server start only records.
  const { classpath, javaBinary } = kafkaDistribution();
  mkdirSync(join(work, 'kafka', 'bin'), { recursive: true });
  const bin = (name: string, body: string) => {
    writeFileSync(join(work, 'kafka', 'bin', name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(work, 'kafka', 'bin', name), 0o755);
  };
  bin(
    'kafka-storage.sh',
    `exec "${javaBinary}" -Xmx128m -cp "${classpath}" kafka.tools.StorageTool "$@"`,
  );
  bin('kafka-server-start.sh', 'echo "server start $*"');
  // The rendered role settings and every principal's mounted Secret, as the pod has them.
  const config = (
    render.get('ConfigMap', 'health-data-kafka-cluster') as unknown as {
      data: Record<string, string>;
    }
  ).data;
  for (const role of ['broker', 'controller']) {
    writeFileSync(join(work, `${role}.properties`), config[`${role}.properties`]!);
  }
  for (const secret of render.ofKind('Secret')) {
    const match = /^health-data-kafka(?:-(\w+))?-secret$/.exec(secret.metadata.name);
    if (!match) continue;
    const data = render.secretData(secret.metadata.name);
    const dir = join(work, 'users', match[1] ?? 'app');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'KAFKA_USERNAME'), data.KAFKA_USERNAME!);
    writeFileSync(join(dir, 'KAFKA_PASSWORD'), data.KAFKA_PASSWORD!);
  }
}, 60_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The env the rendered StatefulSet gives its container, with the pod's paths moved to `work`. */
function podEnv(
  statefulSet: string,
  role: string,
  podName: string,
  dataDir: string,
): Record<string, string> {
  const container = render
    .podTemplate('StatefulSet', statefulSet)
    .spec.containers.find((c) => c.name === role)!;
  const rendered: Record<string, string> = Object.fromEntries(
    (container.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]),
  );
  return {
    ...rendered,
    POD_NAME: podName,
    BASE_CONFIG: join(work, `${role}.properties`),
    DATA_DIR: dataDir,
    USERS_DIR: join(work, 'users'),
    CONFIG_DIR: join(dataDir, '..', 'config'),
    KAFKA_HOME: join(work, 'kafka'),
  };
}

const metaProperties = (dataDir: string) => readFileSync(join(dataDir, 'meta.properties'), 'utf8');

describe('start-kafka-node.sh with the rendered settings', () => {
  it('formats a broker as node <ordinal> of the cluster with its own advertised host, once', async () => {
    const dataDir = join(work, 'broker-2', 'data');
    const env = podEnv('health-data-kafka', 'broker', 'health-data-kafka-2', dataDir);
    const first = await runShellScript(script, env, 60_000);
    expect(first.stderr).not.toMatch(/ERROR|Exception/);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain(`formatted ${dataDir} as node 2 of cluster ${env.CLUSTER_ID}`);
    expect(metaProperties(dataDir)).toContain('node.id=2');
    expect(metaProperties(dataDir)).toContain(`cluster.id=${env.CLUSTER_ID}`);
    const serverProperties = join(dataDir, '..', 'config', 'server.properties');
    const written = readFileSync(serverProperties, 'utf8');
    const host = `health-data-kafka-2.health-data-kafka-headless.${namespace}.svc.cluster.local`;
    expect(written).toContain(
      `advertised.listeners=CLIENT://${host}:9092,EXTERNAL://${host}:19092,REPLICATION://${host}:9094,INTERNAL://127.0.0.1:9093`,
    );
    expect(first.stdout).toContain(`server start ${serverProperties}`);

    // A restart keeps the data: no second format.
    const again = await runShellScript(script, env, 60_000);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).not.toContain('formatted');
  }, 120_000);

  it('formats a controller as node 100 + <ordinal>', async () => {
    const dataDir = join(work, 'controller-1', 'data');
    const env = podEnv(
      'health-data-kafka-controller',
      'controller',
      'health-data-kafka-controller-1',
      dataDir,
    );
    const result = await runShellScript(script, env, 60_000);
    expect(result.stderr).not.toMatch(/ERROR|Exception/);
    expect(result.exitCode).toBe(0);
    expect(metaProperties(dataDir)).toContain('node.id=101');
  }, 120_000);

  it('refuses a pod name without an ordinal, naming it', async () => {
    const dataDir = join(work, 'broken', 'data');
    const env = podEnv('health-data-kafka', 'broker', 'health-data-kafka', dataDir);
    const result = await runShellScript(script, env);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('POD_NAME health-data-kafka does not end in an ordinal');
  });

  it('refuses to format without the contract’s SASL mechanism, naming SASL_MECHANISM', async () => {
    const dataDir = join(work, 'no-mechanism', 'data');
    const { SASL_MECHANISM: _mechanism, ...env } = podEnv(
      'health-data-kafka',
      'broker',
      'health-data-kafka-0',
      dataDir,
    );
    const result = await runShellScript(script, env);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('SASL_MECHANISM is not set');
  });
});
