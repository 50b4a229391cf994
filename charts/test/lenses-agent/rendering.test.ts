import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { itLintsAndValidatesEachFixture, renderEachFixture } from '../support/fixture-renders.js';
import {
  containerOf,
  envOf,
  renderNotes,
  renderTwoReleases,
  type RenderedChart,
} from '../support/render-chart.js';
import { hardeningProblems } from '../support/workload-hardening.js';

const chart = 'lenses-agent';
const fixtures = ['required', 'fast-data-dev', 'existing-secrets'] as const;

const renders = renderEachFixture(chart, fixtures, { releaseName: 'test' });

const provisioningOf = (render: RenderedChart): Record<string, unknown> =>
  parse(
    render.configMapData('test-lenses-agent-provisioning')['provisioning.yaml'] ?? '',
  ) as Record<string, unknown>;
const agentTemplate = (render: RenderedChart) =>
  render.podTemplate('Deployment', 'test-lenses-agent');
const agentContainer = (render: RenderedChart) =>
  containerOf(agentTemplate(render), 'lenses-agent');

describe('lenses-agent: helm lint and Kubernetes schemas', () => {
  itLintsAndValidatesEachFixture(chart, fixtures, renders, { moreObjectsThan: 0 });

  it('renders the agent, its key Secret and the agent-key Job with namespaced RBAC only', () => {
    expect(renders.required.names().sort()).toEqual([
      'ConfigMap/test-lenses-agent-agent-key-script',
      'ConfigMap/test-lenses-agent-provisioning',
      'Deployment/test-lenses-agent',
      'Job/test-lenses-agent-agent-key-1',
      'Role/test-lenses-agent-agent-key',
      'RoleBinding/test-lenses-agent-agent-key',
      'Secret/test-lenses-agent-agent-key',
      'Secret/test-lenses-agent-postgresql',
      'ServiceAccount/test-lenses-agent',
      'ServiceAccount/test-lenses-agent-agent-key',
    ]);
  });

  it('renders no Job, RBAC or key Secret when the agent key already exists', () => {
    const kinds = renders['existing-secrets'].names().sort();
    expect(kinds).toEqual([
      'ConfigMap/test-lenses-agent-provisioning',
      'Deployment/test-lenses-agent',
      'ServiceAccount/test-lenses-agent',
    ]);
  });
});

describe('lenses-agent: provisioning.yaml', () => {
  // Field by field against Lenses 6 provisioning
  // (https://docs.lenses.io/latest/deployment/configuration/agent/automation): top-level lensesHq,
  // kafka, confluentSchemaRegistry and connect, each a list of {name, version: 1, tags,
  // configuration: {<key>: {value}}}; HQ takes server, port, agentKey and sslEnabled; Kafka
  // kafkaBootstrapServers (with the protocol prefix) and protocol; the Schema Registry
  // schemaRegistryUrls; Connect workers. Lenses' JSON schema for the file only allows the names
  // lenses-hq, kafka and schema-registry for the first three.
  it('holds every connection built from the Kafka, Schema Registry and Connect endpoints', () => {
    expect(provisioningOf(renders['fast-data-dev'])).toEqual({
      lensesHq: [
        {
          name: 'lenses-hq',
          version: 1,
          tags: ['hq'],
          configuration: {
            server: { value: 'health-data-lenses-hq.platform.svc.cluster.local' },
            port: { value: 10000 },
            agentKey: { value: '${LENSESHQ_AGENT_KEY}' },
            sslEnabled: { value: false },
          },
        },
      ],
      kafka: [
        {
          name: 'kafka',
          version: 1,
          tags: ['health', 'demo'],
          configuration: {
            kafkaBootstrapServers: {
              value: ['PLAINTEXT://health-data-kafka:9092', 'PLAINTEXT://health-data-kafka-1:9092'],
            },
            protocol: { value: 'PLAINTEXT' },
          },
        },
      ],
      confluentSchemaRegistry: [
        {
          name: 'schema-registry',
          version: 1,
          tags: ['health'],
          configuration: { schemaRegistryUrls: { value: ['http://health-data-kafka:8081'] } },
        },
      ],
      connect: [
        {
          name: 'health-connect',
          version: 1,
          tags: ['health'],
          configuration: { workers: { value: ['http://health-data-kafka:8083'] } },
        },
      ],
    });
  });

  it('leaves out the Schema Registry and Connect when no URL is given', () => {
    const provisioning = provisioningOf(renders.required);
    expect(Object.keys(provisioning).sort()).toEqual(['kafka', 'lensesHq']);
    expect(provisioning.lensesHq).toEqual([
      {
        name: 'lenses-hq',
        version: 1,
        tags: [],
        configuration: {
          server: { value: 'hq-lenses-hq.lenses.svc.cluster.local' },
          port: { value: 10000 },
          agentKey: { value: '${LENSESHQ_AGENT_KEY}' },
          sslEnabled: { value: false },
        },
      },
    ]);
  });

  it('follows the Kafka protocol and HQ TLS settings', () => {
    const provisioning = provisioningOf(renders['existing-secrets']) as {
      lensesHq: { configuration: { sslEnabled: unknown } }[];
      kafka: { configuration: unknown }[];
    };
    expect(provisioning.lensesHq[0]?.configuration.sslEnabled).toEqual({ value: true });
    expect(provisioning.kafka[0]?.configuration).toEqual({
      kafkaBootstrapServers: { value: ['SSL://kafka-0.kafka:9093'] },
      protocol: { value: 'SSL' },
    });
  });

  it('reaches the agent at LENSES_PROVISIONING_PATH', () => {
    for (const fixture of ['required', 'fast-data-dev'] as const) {
      const template = agentTemplate(renders[fixture]);
      const container = containerOf(template, 'lenses-agent');
      const path = envOf(container, 'LENSES_PROVISIONING_PATH').value;
      const mount = container.volumeMounts?.find((m) => m.mountPath === path);
      const volume = template.spec.volumes?.find((v) => v.name === mount?.name);
      expect(volume?.configMap?.name).toBe('test-lenses-agent-provisioning');
      expect(volume?.configMap?.items).toEqual([
        { key: 'provisioning.yaml', path: 'provisioning.yaml' },
      ]);
    }
    expect(envOf(agentContainer(renders['fast-data-dev']), 'LENSES_PROVISIONING_PATH').value).toBe(
      '/mnt/settings',
    );
  });

  it('is hashed, alone, into checksum/config', () => {
    const text =
      renders.required.configMapData('test-lenses-agent-provisioning')['provisioning.yaml'] ?? '';
    expect(agentTemplate(renders.required).metadata.annotations?.['checksum/config']).toBe(
      createHash('sha256').update(text).digest('hex'),
    );
  });
});

describe('lenses-agent: Deployment', () => {
  it('reads LENSESHQ_AGENT_KEY from the key Secret, without `optional`, so it waits for the key', () => {
    const key = envOf(agentContainer(renders.required), 'LENSESHQ_AGENT_KEY').valueFrom
      ?.secretKeyRef;
    expect(key).toEqual({ name: 'test-lenses-agent-agent-key', key: 'agentKey' });
    expect(
      envOf(agentContainer(renders['existing-secrets']), 'LENSESHQ_AGENT_KEY').valueFrom
        ?.secretKeyRef,
    ).toEqual({
      name: 'my-agent-key',
      key: 'key',
    });
  });

  it('sets the heap, the EULA and PostgreSQL storage in database agent1', () => {
    const container = agentContainer(renders.required);
    const plain = (name: string) => envOf(container, name).value;
    expect(plain('LENSES_HEAP_OPTS')).toBe('-Xmx1536m -Xms512m');
    expect(plain('LENSES_EULA_ACCEPT')).toBe('true');
    expect(plain('LENSES_STORAGE_POSTGRES_HOST')).toBe('test-postgresql');
    expect(plain('LENSES_STORAGE_POSTGRES_PORT')).toBe('5432');
    expect(plain('LENSES_STORAGE_POSTGRES_DATABASE')).toBe('agent1');
    expect(plain('LENSES_STORAGE_POSTGRES_USERNAME')).toBe('lenses');
    expect(envOf(container, 'LENSES_STORAGE_POSTGRES_PASSWORD').valueFrom?.secretKeyRef).toEqual({
      name: 'test-lenses-agent-postgresql',
      key: 'password',
    });
    expect(renders.required.secretData('test-lenses-agent-postgresql').password).toMatch(
      /^[A-Za-z0-9]{32}$/,
    );
    expect(
      envOf(agentContainer(renders['existing-secrets']), 'LENSES_STORAGE_POSTGRES_PASSWORD')
        .valueFrom?.secretKeyRef,
    ).toEqual({
      name: 'agent-database',
      key: 'pw',
    });
    expect(envOf(agentContainer(renders['fast-data-dev']), 'LENSES_HEAP_OPTS').value).toBe(
      '-Xmx1g -Xms256m',
    );
  });

  it('probes liveness and readiness (and startup) on its HTTP port', () => {
    const container = agentContainer(renders.required);
    expect(container.ports).toEqual([{ name: 'http', containerPort: 3030, protocol: 'TCP' }]);
    expect(envOf(container, 'LENSES_PORT').value).toBe('3030');
    for (const probe of [
      container.livenessProbe,
      container.readinessProbe,
      container.startupProbe,
    ]) {
      expect(probe).toMatchObject({ tcpSocket: { port: 'http' } });
    }
  });

  it('is hardened, and so is the agent-key Job', () => {
    for (const fixture of fixtures) {
      expect(hardeningProblems(agentTemplate(renders[fixture]))).toEqual([]);
    }
    expect(
      hardeningProblems(renders.required.podTemplate('Job', 'test-lenses-agent-agent-key-1')),
    ).toEqual([]);
  });

  it('defaults to the pinned GA image lensesio/lenses-agent 6.x and gets no API token', () => {
    expect(agentContainer(renders.required).image).toMatch(
      /^docker\.io\/lensesio\/lenses-agent:6\.\d+\.\d+$/,
    );
    expect(agentTemplate(renders.required).spec.automountServiceAccountToken).toBe(false);
  });
});

describe('lenses-agent: names', () => {
  it('gives two releases in one namespace disjoint objects and HQ environments', async () => {
    const [first, second] = await renderTwoReleases(chart, ['alpha', 'beta'], {
      namespace: 'shared',
      fixtures: ['required'],
    });
    const firstNames = new Set(first.names());
    expect(second.names().filter((name) => firstNames.has(name))).toEqual([]);
    const environment = (render: RenderedChart) => {
      const job = render.only('Job');
      return envOf(
        containerOf(render.podTemplate('Job', job.metadata.name), 'ensure-agent-key'),
        'HQ_ENV_NAME',
      ).value;
    };
    expect([environment(first), environment(second)]).toEqual([
      'alpha-lenses-agent',
      'beta-lenses-agent',
    ]);
  });
});

describe('lenses-agent: NOTES.txt', () => {
  it('says how the key is obtained and how to check it, without printing any secret', async () => {
    const notes = await renderNotes(chart, {
      releaseName: 'test',
      namespace: 'lenses',
      fixtures: ['required'],
    });
    expect(notes).toContain('serves the HQ environment "test-lenses-agent"');
    expect(notes).toContain('kubectl logs --namespace lenses job/test-lenses-agent-agent-key-1');
    expect(notes).toContain('kubectl get secret --namespace lenses test-lenses-agent-agent-key');
    expect(notes).toContain('| base64 -d | wc -c');
  });
});
