// Kafka's JMX metrics (metrics.kafka, templates/kafka-metrics.yaml, _kafka-metrics.tpl): one
// Prometheus JMX exporter per JVM of the Kafka pod reading that JVM's loopback JMX, with the
// rules of files/metrics/. Proven on a real Kafka 3.9.1 broker: started with the JMX options the
// chart gives fast-data-dev's JVMs, read by the real exporter (the toolchain's jar) with the
// configuration the chart renders, its scrape carries the series the under-replicated
// partitions alert reads.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import { freePort, JmxExporter, KafkaBroker } from '@realtime-platform/local-infra';
import { jmxExporterDistribution, toolchainManifest } from '@realtime-platform/toolchain';
import {
  chartPath,
  containerOf,
  envOf,
  renderChart,
  type KubernetesObject,
  type RenderedChart,
} from '../support/render-chart.js';
import { runShellScript } from '../support/run-shell-script.js';
import { selects } from '../support/workloads.js';

const chart = 'realtime-platform';
const kafkaMetrics = (extra: Record<string, unknown> = {}) => ({
  metrics: { kafka: { enabled: true, ...extra }, serviceMonitor: { enabled: true } },
});
type Endpoint = { port: string; relabelings: { targetLabel: string; replacement: string }[] };
type Monitor = KubernetesObject & {
  spec: { selector: { matchLabels: Record<string, string> }; podMetricsEndpoints: Endpoint[] };
};

let on: RenderedChart;
let off: RenderedChart;
beforeAll(async () => {
  on = await renderChart(chart, {
    namespace: 'apps',
    fixtures: ['minimal'],
    values: [kafkaMetrics()],
  });
  off = await renderChart(chart, { namespace: 'apps', fixtures: ['minimal'] });
});

describe('metrics.kafka: the exporters beside the broker and Connect', () => {
  it('off by default: no exporter, no JMX port, fast-data-dev’s JMX left ephemeral', () => {
    const pod = off.podTemplate('StatefulSet', 'health-data-kafka');
    expect(pod.spec.containers.map((c) => c.name)).toEqual(['kafka']);
    expect(envOf(containerOf(pod, 'kafka'), 'DISABLE_JMX').value).toBe('1');
    expect(off.find('ConfigMap', 'health-data-kafka-jmx-exporter')).toBeUndefined();
    expect(off.find('PodMonitor', 'health-data-kafka')).toBeUndefined();
  });

  it('runs one exporter per JVM, non-root, on the jar the init container verified', () => {
    const pod = on.podTemplate('StatefulSet', 'health-data-kafka');
    expect(pod.spec.containers.map((c) => c.name)).toEqual([
      'kafka',
      'jmx-exporter-broker',
      'jmx-exporter-connect',
    ]);
    const setup = pod.spec.initContainers!.find((c) => c.name === 'jmx-exporter-setup')!;
    expect(envOf(setup, 'JAR_SHA256').value).toBe(toolchainManifest.jmxExporter.sha256);
    for (const [jvm, port] of [
      ['broker', 9404],
      ['connect', 9405],
    ] as const) {
      const exporter = containerOf(pod, `jmx-exporter-${jvm}`);
      expect(exporter.ports).toEqual([
        { name: `jmx-${jvm}`, containerPort: port, protocol: 'TCP' },
      ]);
      expect(exporter.args?.[0]).toContain(`${port} /etc/jmx-exporter/${jvm}.yaml`);
      expect(exporter.securityContext).toMatchObject({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
      });
    }
  });

  it('gives every Kafka JVM of the pod loopback-only JMX on the ports the exporters read', () => {
    const kafka = containerOf(on.podTemplate('StatefulSet', 'health-data-kafka'), 'kafka');
    expect(envOf(kafka, 'DISABLE_JMX').value).toBe('0');
    expect(envOf(kafka, 'BROKER_JMX_PORT').value).toBe('9581');
    expect(envOf(kafka, 'CONNECT_JMX_PORT').value).toBe('9584');
    for (const variable of [
      'KAFKA_JMX_OPTS',
      'BROKER_JMX_OPTS',
      'CONNECT_JMX_OPTS',
      'SCHEMA_REGISTRY_JMX_OPTS',
    ])
      expect(envOf(kafka, variable).value).toContain(
        '-Dcom.sun.management.jmxremote.host=127.0.0.1',
      );
    const configs = on.configMapData('health-data-kafka-jmx-exporter');
    expect(configs['broker.yaml']).toMatch(/^hostPort: 127\.0\.0\.1:9581\n/);
    expect(configs['connect.yaml']).toMatch(/^hostPort: 127\.0\.0\.1:9584\n/);
  });

  it('the PodMonitor passes the operator’s CRD schema and scrapes both exporters of the Kafka pod', () => {
    const monitor = on.get('PodMonitor', 'health-data-kafka') as Monitor;
    expect(() => new PodMonitor(monitor as never).validate()).not.toThrow();
    const pod = on.podTemplate('StatefulSet', 'health-data-kafka');
    expect(selects(monitor.spec.selector.matchLabels, pod.metadata.labels)).toBe(true);
    const ports = pod.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name));
    expect(monitor.spec.podMetricsEndpoints.map((e) => e.port)).toEqual([
      'jmx-broker',
      'jmx-connect',
    ]);
    for (const endpoint of monitor.spec.podMetricsEndpoints) expect(ports).toContain(endpoint.port);
    expect(
      monitor.spec.podMetricsEndpoints.map((e) =>
        Object.fromEntries(e.relabelings.map((r) => [r.targetLabel, r.replacement])),
      ),
    ).toEqual([
      { platform: 'health-data', component: 'kafka' },
      { platform: 'health-data', component: 'kafka-connect' },
    ]);
  });

  it('admits Prometheus (networkPolicy.metricsIngress) to the exporter ports only', async () => {
    const render = await renderChart(chart, {
      namespace: 'apps',
      fixtures: ['minimal'],
      values: [
        kafkaMetrics(),
        {
          networkPolicy: {
            metricsIngress: [{ namespaceSelector: { matchLabels: { name: 'monitoring' } } }],
          },
        },
      ],
    });
    const policy = render.get('NetworkPolicy', 'health-data-kafka-metrics') as KubernetesObject & {
      spec: { ingress: { ports: { port: number }[]; from: unknown[] }[] };
    };
    expect(policy.spec.ingress).toHaveLength(1);
    expect(policy.spec.ingress[0]!.ports.map((p) => p.port)).toEqual([9404, 9405]);
    expect(policy.spec.ingress[0]!.from).toContainEqual({
      namespaceSelector: { matchLabels: { name: 'monitoring' } },
    });
  });

  it('downloads the toolchain’s exporter: same artifact, version and SHA-256', () => {
    const { groupId, artifactId, version, sha256 } = toolchainManifest.jmxExporter;
    const setup = on
      .podTemplate('StatefulSet', 'health-data-kafka')
      .spec.initContainers!.find((c) => c.name === 'jmx-exporter-setup')!;
    expect(envOf(setup, 'JAR_URL').value).toMatch(
      new RegExp(
        `/${groupId.replaceAll('.', '/')}/${artifactId}/${version}/${artifactId}-${version}\\.jar$`,
      ),
    );
    expect(envOf(setup, 'JAR_SHA256').value).toBe(sha256);
  });
});

describe('metrics.kafka with platform.kafkaBrokers: 3 (Apache Kafka brokers)', () => {
  let cluster: RenderedChart;
  beforeAll(async () => {
    cluster = await renderChart(chart, {
      namespace: 'apps',
      fixtures: ['kafka-cluster'],
      values: [kafkaMetrics()],
    });
  });

  it('gives each broker pod its exporter and the services pod Connect’s, the controllers none', () => {
    const names = (sts: string) =>
      cluster.podTemplate('StatefulSet', sts).spec.containers.map((c) => c.name);
    expect(names('health-data-kafka')).toEqual(['broker', 'jmx-exporter-broker']);
    expect(names('health-data-kafka-services')).toEqual(['kafka', 'jmx-exporter-connect']);
    expect(names('health-data-kafka-controller')).toEqual(['controller']);
    const broker = containerOf(cluster.podTemplate('StatefulSet', 'health-data-kafka'), 'broker');
    expect(envOf(broker, 'SERVER_JMX_PORT').value).toBe('9581');
    expect(envOf(broker, 'KAFKA_JMX_OPTS').value).toContain(
      '-Dcom.sun.management.jmxremote.host=127.0.0.1',
    );
    // JMX_PORT container-wide would make the postStart hook's Kafka tools bind it too.
    expect(broker.env?.some((e) => e.name === 'JMX_PORT')).toBe(false);
  });

  it('one PodMonitor per pod kind, each valid and on a port its pods declare', () => {
    const monitors = cluster
      .ofKind('PodMonitor')
      .filter((m) => m.metadata.name.startsWith('health-data-kafka')) as Monitor[];
    expect(monitors.map((m) => m.metadata.name).sort()).toEqual([
      'health-data-kafka',
      'health-data-kafka-services',
    ]);
    for (const monitor of monitors) {
      expect(() => new PodMonitor(monitor as never).validate()).not.toThrow();
      const pod = cluster.podTemplate('StatefulSet', monitor.metadata.name);
      expect(selects(monitor.spec.selector.matchLabels, pod.metadata.labels)).toBe(true);
      const ports = pod.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => p.name));
      for (const endpoint of monitor.spec.podMetricsEndpoints)
        expect(ports).toContain(endpoint.port);
    }
  });

  it('start-kafka-node.sh hands the JMX port to the server JVM alone', async () => {
    const work = await mkdtemp(join(tmpdir(), 'rtp-jmx-start-'));
    try {
      const kafkaHome = join(work, 'kafka');
      await mkdir(join(kafkaHome, 'bin'), { recursive: true });
      // The data is formatted already (a restart); the server start only records its JMX port.
      await writeFile(
        join(kafkaHome, 'bin', 'kafka-server-start.sh'),
        '#!/bin/sh\necho "server JMX_PORT=${JMX_PORT:-unset}"\n',
        { mode: 0o755 },
      );
      await mkdir(join(work, 'data'), { recursive: true });
      await mkdir(join(work, 'users'), { recursive: true });
      await writeFile(join(work, 'data', 'meta.properties'), 'node.id=0\n');
      await writeFile(
        join(work, 'broker.properties'),
        cluster.configMapData('health-data-kafka-cluster')['broker.properties']!,
      );
      const broker = containerOf(cluster.podTemplate('StatefulSet', 'health-data-kafka'), 'broker');
      const env: Record<string, string> = {
        ...Object.fromEntries(
          (broker.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]),
        ),
        POD_NAME: 'health-data-kafka-0',
        BASE_CONFIG: join(work, 'broker.properties'),
        DATA_DIR: join(work, 'data'),
        CONFIG_DIR: join(work, 'config'),
        USERS_DIR: join(work, 'users'),
        KAFKA_HOME: kafkaHome,
      };
      const script = join(chartPath(chart), 'files', 'scripts', 'start-kafka-node.sh');
      const withPort = await runShellScript(script, env);
      expect(withPort.exitCode).toBe(0);
      expect(withPort.stdout).toContain('server JMX_PORT=9581');
      const { SERVER_JMX_PORT: _port, ...withoutMetrics } = env;
      const without = await runShellScript(script, withoutMetrics);
      expect(without.stdout).toContain('server JMX_PORT=unset');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});

describe('fetch-jmx-exporter.sh (the init container), run for real', () => {
  const script = join(chartPath(chart), 'files', 'scripts', 'fetch-jmx-exporter.sh');
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rtp-jmx-fetch-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('installs the jar when its SHA-256 matches, and keeps it on the next start', async () => {
    const env = {
      JAR_URL: `file://${jmxExporterDistribution().jar}`,
      JAR_SHA256: toolchainManifest.jmxExporter.sha256,
      JAR_PATH: join(dir, 'ok', 'exporter.jar'),
    };
    const first = await runShellScript(script, env);
    expect({ exitCode: first.exitCode, stderr: first.stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect((await stat(env.JAR_PATH)).size).toBe((await stat(jmxExporterDistribution().jar)).size);
    const second = await runShellScript(script, env);
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain('present:');
  });

  it('refuses a jar with another SHA-256 and leaves nothing to run', async () => {
    const jarPath = join(dir, 'bad', 'exporter.jar');
    const result = await runShellScript(script, {
      JAR_URL: `file://${jmxExporterDistribution().jar}`,
      JAR_SHA256: '0'.repeat(64),
      JAR_PATH: jarPath,
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('refusing to run it');
    await expect(stat(jarPath)).rejects.toThrow();
    await expect(stat(`${jarPath}.part`)).rejects.toThrow();
  });
});

describe('the chart’s exporter configuration on a real Kafka broker', () => {
  let broker: KafkaBroker | undefined;
  let exporter: JmxExporter | undefined;
  let scrape: string;

  beforeAll(async () => {
    const jmxPort = await freePort();
    const render = await renderChart(chart, {
      namespace: 'apps',
      fixtures: ['minimal'],
      values: [kafkaMetrics({ jmxPorts: { broker: jmxPort, connect: 9584 } })],
    });
    const kafka = containerOf(render.podTemplate('StatefulSet', 'health-data-kafka'), 'kafka');
    // What kafka-run-class makes of the chart's KAFKA_JMX_OPTS and the broker's JMX_PORT.
    const jvmOptions = [
      ...envOf(kafka, 'KAFKA_JMX_OPTS').value!.split(' '),
      `-Dcom.sun.management.jmxremote.port=${jmxPort}`,
      `-Dcom.sun.management.jmxremote.rmi.port=${jmxPort}`,
    ];
    broker = await KafkaBroker.start({ jvmOptions });
    await broker.createTopics([{ topic: 'metrics-probe', numPartitions: 2 }]);
    exporter = await JmxExporter.start({
      config: render.configMapData('health-data-kafka-jmx-exporter')['broker.yaml']!,
    });
    scrape = await exporter.scrape();
  }, 180_000);

  afterAll(async () => {
    await exporter?.stop();
    await broker?.stop();
  });

  it('serves kafka_server_replicamanager_underreplicatedpartitions (0: every replica in sync)', () => {
    expect(scrape).toMatch(/^kafka_server_replicamanager_underreplicatedpartitions 0\.0$/m);
  });

  it('serves every kafka_ series the Grafana dashboards read', () => {
    const dir = join(chartPath(chart), 'files', 'dashboards');
    const read = new Set(
      readdirSync(dir)
        .filter((file) => file.endsWith('.json'))
        .flatMap((file) => readFileSync(join(dir, file), 'utf8').match(/\bkafka_\w+/g) ?? []),
    );
    expect(read.size).toBeGreaterThan(1);
    expect([...read].filter((series) => !new RegExp(`^${series}[{ ]`, 'm').test(scrape))).toEqual(
      [],
    );
  });

  it('reads the broker without a scrape error, with per-topic and controller series', () => {
    expect(scrape).toMatch(/^jmx_scrape_error 0\.0$/m);
    expect(scrape).toMatch(/^kafka_controller_kafkacontroller_offlinepartitionscount 0\.0$/m);
    expect(scrape).toMatch(/^kafka_log_log_size\{.*topic="metrics-probe".*\} /m);
  });

  it('its JMX port refuses a connection to the machine’s other address (loopback only)', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    expect(external).toBeDefined();
    const port = Number(
      (await readFile(join(exporter!.runDir, 'jmx-exporter.yaml'), 'utf8')).match(
        /hostPort: 127\.0\.0\.1:(\d+)/,
      )![1],
    );
    const connects = (host: string) =>
      new Promise<boolean>((resolve) => {
        const socket = createConnection({ host, port, timeout: 2000 });
        socket.on('connect', () => (socket.destroy(), resolve(true)));
        socket.on('error', () => resolve(false));
        socket.on('timeout', () => (socket.destroy(), resolve(false)));
      });
    expect(await connects('127.0.0.1')).toBe(true);
    expect(await connects(external!.address)).toBe(false);
  });
});
