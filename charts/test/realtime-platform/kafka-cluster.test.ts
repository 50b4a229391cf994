// The three-broker Kafka (platform.kafkaBrokers: 3), rendered by the real helm: the brokers and the
// KRaft controllers, their settings against the platform contract, the disruption budgets, the
// anti-affinity, fast-data-dev reduced to the Schema Registry and Connect, and the refusals.
import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  kafkaClusterPorts,
  kafkaControllerCount,
  kafkaControllerNodeIdBase,
  kafkaReplicationSettings,
  kafkaTopicReplicationFactor,
} from '@realtime-platform/platform-contract';
import {
  renderChart,
  renderFailure,
  renderNotes,
  type Container,
  type RenderedChart,
} from '../support/render-chart.js';
import { hardeningProblems } from '../support/workload-hardening.js';
import { workloadsOf } from '../support/workloads.js';

const chart = 'realtime-platform';
const namespace = 'apps';

let cluster: RenderedChart;
let single: RenderedChart;
beforeAll(async () => {
  [cluster, single] = await Promise.all([
    renderChart(chart, { releaseName: 'platform', namespace, fixtures: ['kafka-cluster'] }),
    renderChart(chart, { releaseName: 'platform', namespace, fixtures: ['minimal'] }),
  ]);
});

/** `key=value` lines of a properties file. */
const properties = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

const configFile = (render: RenderedChart, key: string) =>
  properties(
    (
      render.get('ConfigMap', 'health-data-kafka-cluster') as unknown as {
        data: Record<string, string>;
      }
    ).data[key]!,
  );

/** A container or init container of a workload's pod. */
const containerOf = (render: RenderedChart, kind: string, name: string, container: string) => {
  const { spec } = render.podTemplate(kind, name);
  return [...spec.containers, ...(spec.initContainers ?? [])].find(
    (c) => c.name === container,
  ) as Container;
};

const envOf = (container: Container): Record<string, string | undefined> =>
  Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));

interface StatefulSetSpec {
  replicas: number;
  podManagementPolicy?: string;
  serviceName: string;
  selector: { matchLabels: Record<string, string> };
  template: { spec: { affinity?: unknown } };
}
const statefulSet = (render: RenderedChart, name: string) =>
  (render.get('StatefulSet', name) as unknown as { spec: StatefulSetSpec }).spec;

describe('realtime-platform: platform.kafkaBrokers: 3', () => {
  it.each([
    ['health-data-kafka', 'health-data-kafka-headless'],
    ['health-data-kafka-controller', 'health-data-kafka-controller'],
  ])(
    'runs %s as three pods started together, each with a DNS name of headless Service %s',
    (name, headless) => {
      const spec = statefulSet(cluster, name);
      expect(spec).toMatchObject({
        replicas: 3,
        podManagementPolicy: 'Parallel',
        serviceName: headless,
      });
      const service = cluster.get('Service', headless) as unknown as {
        spec: { clusterIP: string; publishNotReadyAddresses: boolean; selector: object };
      };
      // A node is ready only once the quorum exists: the names must resolve before that.
      expect(service.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
      expect(service.spec.selector).toEqual(spec.selector.matchLabels);
    },
  );

  it.each(['health-data-kafka', 'health-data-kafka-controller'])(
    'spreads the pods of %s across nodes (preferred pod anti-affinity on the host name)',
    (name) => {
      const spec = statefulSet(cluster, name);
      expect(spec.template.spec.affinity).toEqual({
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 100,
              podAffinityTerm: {
                topologyKey: 'kubernetes.io/hostname',
                labelSelector: { matchLabels: spec.selector.matchLabels },
              },
            },
          ],
        },
      });
    },
  );

  it("gives the brokers the contract's replication settings: RF 3, min.insync.replicas 2", () => {
    expect(configFile(cluster, 'broker.properties')).toMatchObject(
      Object.fromEntries(
        Object.entries(kafkaReplicationSettings(3)).map(([key, value]) => [key, String(value)]),
      ),
    );
  });

  it("names the contract's controller quorum and ports in both roles' settings", () => {
    const voters = Array.from(
      { length: kafkaControllerCount },
      (_, i) =>
        `${kafkaControllerNodeIdBase + i}@health-data-kafka-controller-${i}.health-data-kafka-controller.${namespace}.svc.cluster.local:${kafkaClusterPorts.controller}`,
    ).join(',');
    const broker = configFile(cluster, 'broker.properties');
    const controller = configFile(cluster, 'controller.properties');
    expect(broker['controller.quorum.voters']).toBe(voters);
    expect(controller['controller.quorum.voters']).toBe(voters);
    expect(broker.listeners).toBe(
      `CLIENT://:9092,EXTERNAL://:19092,REPLICATION://:${kafkaClusterPorts.replication},INTERNAL://127.0.0.1:${kafkaClusterPorts.internal}`,
    );
    expect(controller.listeners).toBe(`CONTROLLER://:${kafkaClusterPorts.controller}`);
    expect(broker).toMatchObject({
      'process.roles': 'broker',
      'inter.broker.listener.name': 'REPLICATION',
      'sasl.mechanism.inter.broker.protocol': 'SCRAM-SHA-512',
      'allow.everyone.if.no.acl.found': 'false',
    });
    expect(controller['process.roles']).toBe('controller');
  });

  it('logs the brokers in to each other with SCRAM as the provisioning principal (JAAS of the REPLICATION listener)', () => {
    const jaas = (render: RenderedChart) =>
      render.secretData('health-data-kafka-auth')['kafka_jaas.conf']!;
    expect(jaas(cluster)).toMatch(
      /replication\.KafkaServer \{\n {2}org\.apache\.kafka\.common\.security\.scram\.ScramLoginModule required username="rtp-admin" password="[^"]+";\n\};/,
    );
    expect(jaas(single)).not.toContain('replication.KafkaServer');
  });

  it('gives every node the same KRaft cluster id, a Kafka Uuid stable across renders', async () => {
    const ids = ['health-data-kafka', 'health-data-kafka-controller'].map(
      (name) =>
        envOf(
          containerOf(
            cluster,
            'StatefulSet',
            name,
            name === 'health-data-kafka' ? 'broker' : 'controller',
          ),
        ).CLUSTER_ID,
    );
    expect(ids[0]).toBe(ids[1]);
    expect(ids[0]).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(Buffer.from(ids[0]!, 'base64url')).toHaveLength(16);
    const again = await renderChart(chart, {
      releaseName: 'platform',
      namespace,
      fixtures: ['kafka-cluster'],
    });
    expect(envOf(containerOf(again, 'StatefulSet', 'health-data-kafka', 'broker')).CLUSTER_ID).toBe(
      ids[0],
    );
  });

  it('lets a disruption take one broker and one controller at most, whatever podDisruptionBudget.maxUnavailable says', async () => {
    const render = await renderChart(chart, {
      releaseName: 'platform',
      namespace,
      fixtures: ['kafka-cluster'],
      values: [{ podDisruptionBudget: { maxUnavailable: 2 } }],
    });
    const budget = (name: string) =>
      (
        render.get('PodDisruptionBudget', name) as unknown as {
          spec: { maxUnavailable: number; selector: object };
        }
      ).spec;
    for (const name of ['health-data-kafka', 'health-data-kafka-controller']) {
      expect(budget(name)).toEqual({
        maxUnavailable: 1,
        selector: statefulSet(render, name).selector,
      });
    }
    expect(budget('health-data-kafka-services').maxUnavailable).toBe(2);
  });

  it('creates every platform topic with the replication factor of three brokers', () => {
    const job = cluster
      .ofKind('Job')
      .find((j) => j.metadata.name.startsWith('health-data-kafka-setup-'))!;
    const topics = containerOf(cluster, 'Job', job.metadata.name, 'topics');
    expect(envOf(topics).REPLICATION_FACTOR).toBe(String(kafkaTopicReplicationFactor(3)));
    const single_ = single
      .ofKind('Job')
      .find((j) => j.metadata.name.startsWith('health-data-kafka-setup-'))!;
    expect(
      envOf(containerOf(single, 'Job', single_.metadata.name, 'topics')).REPLICATION_FACTOR,
    ).toBe('1');
  });

  it('keeps fast-data-dev for the Schema Registry and Connect only, as clients of every broker', () => {
    const services = containerOf(cluster, 'StatefulSet', 'health-data-kafka-services', 'kafka');
    const env = envOf(services);
    const brokers = [0, 1, 2]
      .map(
        (i) =>
          `SASL_PLAINTEXT://health-data-kafka-${i}.health-data-kafka-headless.${namespace}.svc.cluster.local:9092`,
      )
      .join(',');
    expect(env).toMatchObject({
      BROKER_PORT: '0',
      CONNECT_BOOTSTRAP_SERVERS: brokers,
      SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: brokers,
      CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR: '3',
      CONNECT_OFFSET_STORAGE_REPLICATION_FACTOR: '3',
      CONNECT_STATUS_STORAGE_REPLICATION_FACTOR: '3',
      SCHEMA_REGISTRY_KAFKASTORE_TOPIC_REPLICATION_FACTOR: '3',
    });
    expect(env.KAFKA_LISTENERS).toBeUndefined();
    expect(services.ports?.map((port) => port.name)).toEqual(['schema-registry', 'connect']);
    // Its broker is off: the provisioning principal's Secret and the SCRAM hook are not mounted.
    expect(services.volumeMounts?.map((mount) => mount.name)).not.toContain('kafka-user-admin');
    for (const name of ['health-data-schema-registry', 'health-data-kafka-connect']) {
      const selector = (cluster.get('Service', name) as unknown as { spec: { selector: object } })
        .spec.selector;
      expect(selector).toEqual(
        statefulSet(cluster, 'health-data-kafka-services').selector.matchLabels,
      );
    }
    // The kafka Service selects the brokers: one more bootstrap address.
    expect(
      (cluster.get('Service', 'health-data-kafka') as unknown as { spec: { selector: object } })
        .spec.selector,
    ).toEqual(statefulSet(cluster, 'health-data-kafka').selector.matchLabels);
  });

  it('hardens the brokers and controllers (non-root Apache Kafka image, read-only root)', () => {
    const problems = workloadsOf(cluster).flatMap((workload) =>
      hardeningProblems(workload.template).map((p) => `${workload.kind}/${workload.name} ${p}`),
    );
    // Only fast-data-dev's accepted findings (see rendering.test.ts), now on kafka-services.
    expect(problems).toEqual([
      'StatefulSet/health-data-kafka-services container kafka: may run as root (runAsNonRoot is not set)',
      'StatefulSet/health-data-kafka-services container kafka: root filesystem is writable',
      'StatefulSet/health-data-kafka-services container kafka: adds capabilities',
    ]);
    expect(containerOf(cluster, 'StatefulSet', 'health-data-kafka', 'broker').image).toBe(
      'docker.io/apache/kafka:3.9.1',
    );
  });

  it('lets only brokers reach the replication port and only brokers and controllers the quorum port', () => {
    const ingress = (name: string) =>
      (
        cluster.get('NetworkPolicy', name) as unknown as {
          spec: { ingress: { ports: { port: number }[]; from: unknown[] }[] };
        }
      ).spec.ingress;
    const brokerPods = {
      podSelector: { matchLabels: statefulSet(cluster, 'health-data-kafka').selector.matchLabels },
    };
    const controllerPods = {
      podSelector: {
        matchLabels: statefulSet(cluster, 'health-data-kafka-controller').selector.matchLabels,
      },
    };
    expect(ingress('health-data-kafka')).toContainEqual({
      ports: [{ port: kafkaClusterPorts.replication, protocol: 'TCP' }],
      from: [brokerPods],
    });
    expect(ingress('health-data-kafka-controller')).toEqual([
      {
        ports: [{ port: kafkaClusterPorts.controller, protocol: 'TCP' }],
        from: [brokerPods, controllerPods],
      },
    ]);
  });

  it('names the three brokers in NOTES.txt, and none with one broker', async () => {
    const notes = (fixture: string) =>
      renderNotes(chart, { releaseName: 'platform', namespace, fixtures: [fixture] });
    expect(await notes('kafka-cluster')).toContain(
      `Kafka brokers    health-data-kafka-0.health-data-kafka-headless.${namespace}.svc.cluster.local:9092,`,
    );
    expect(await notes('minimal')).not.toContain('Kafka brokers');
  });

  it('renders none of it with one broker (the default)', () => {
    for (const [kind, name] of [
      ['StatefulSet', 'health-data-kafka-controller'],
      ['StatefulSet', 'health-data-kafka-services'],
      ['Service', 'health-data-kafka-headless'],
      ['ConfigMap', 'health-data-kafka-cluster'],
    ] as const) {
      expect(single.find(kind, name)).toBeUndefined();
    }
    expect(containerOf(single, 'StatefulSet', 'health-data-kafka', 'kafka').image).toBe(
      'docker.io/lensesio/fast-data-dev:3.9.0',
    );
  });
});

describe('realtime-platform: platform.kafkaBrokers refusals', () => {
  const failureOf = (values: Record<string, unknown>) =>
    renderFailure(chart, { namespace, fixtures: ['minimal'], values: [values] });

  it('refuses a broker count other than 1 or 3, naming platform.kafkaBrokers', async () => {
    expect(await failureOf({ platform: { kafkaBrokers: 2 } })).toContain(
      "at '/platform/kafkaBrokers': value must be one of 1, 3",
    );
  });

  it('refuses fast-data-dev as the image of three brokers, naming kafka.cluster.image.repository', async () => {
    expect(
      await failureOf({
        platform: { kafkaBrokers: 3 },
        kafka: { cluster: { image: { repository: 'lensesio/fast-data-dev', tag: '3.9.0' } } },
      }),
    ).toContain(
      'kafka.cluster.image.repository: "lensesio/fast-data-dev" cannot be the brokers of platform.kafkaBrokers: 3',
    );
  });

  it('refuses a replication factor below three with three brokers, naming kafka.replicationFactor', async () => {
    expect(
      await failureOf({ platform: { kafkaBrokers: 3 }, kafka: { replicationFactor: 2 } }),
    ).toContain('kafka.replicationFactor: 2 with platform.kafkaBrokers: 3');
  });

  it('refuses a replication factor above the number of brokers, naming kafka.replicationFactor', async () => {
    expect(await failureOf({ kafka: { replicationFactor: 3 } })).toContain(
      'kafka.replicationFactor: 3 is more than the 1 broker(s) of platform.kafkaBrokers',
    );
  });
});
