import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { maxPlatformNameLength, mqttRoleCatalog } from '@realtime-platform/platform-contract';
import { kubernetesProblems } from '@realtime-platform/toolchain';
import { parse } from 'yaml';
import { itLintsAndValidatesEachFixture, renderEachFixture } from '../support/fixture-renders.js';
import {
  containerOf,
  envOf,
  renderChart,
  renderNotes,
  type KubernetesObject,
  type RenderedChart,
} from '../support/render-chart.js';
import { hardeningProblems, isPinnedImage } from '../support/workload-hardening.js';
import { containersOf, selects, workloadsOf } from '../support/workloads.js';

const chart = 'realtime-platform';
const namespace = 'apps';
const fixtures = [
  'minimal',
  'every-option',
  'iot-disabled',
  'grafana',
  'snowflake',
  'lenses',
  'mysql',
  'mongodb',
] as const;

const renders = renderEachFixture(chart, fixtures, { releaseName: 'platform', namespace });

const kindsAndNames = (render: RenderedChart, kind: string) =>
  render
    .ofKind(kind)
    .map((obj) => obj.metadata.name)
    .sort();

describe('realtime-platform: helm lint and Kubernetes schemas', () => {
  itLintsAndValidatesEachFixture(chart, fixtures, renders, { moreObjectsThan: 20 });

  it('keeps every name valid for the longest platform name the contract allows', async () => {
    const name = `p${'x'.repeat(maxPlatformNameLength - 2)}9`;
    const render = await renderChart(chart, {
      releaseName: 'a-release-name-that-is-long-too',
      namespace,
      fixtures: ['every-option'],
      values: [{ platform: { name } }],
    });
    expect(name).toHaveLength(maxPlatformNameLength);
    expect(await kubernetesProblems(render.objects)).toEqual([]);
    // A StatefulSet's name gets an 11-character revision hash in a label: at most 52 characters.
    for (const statefulSet of render.ofKind('StatefulSet')) {
      expect(statefulSet.metadata.name.length).toBeLessThanOrEqual(52);
    }
    // A CronJob's Jobs get an 11-character suffix: at most 52 characters too.
    for (const cronJob of render.ofKind('CronJob')) {
      expect(cronJob.metadata.name.length).toBeLessThanOrEqual(52);
    }
  });
});

describe('realtime-platform: what each claim deploys', () => {
  it('deploys Kafka, PostgreSQL, Mosquitto, Metabase and the built-in services by default', () => {
    const render = renders.minimal;
    expect(kindsAndNames(render, 'StatefulSet')).toEqual([
      // The mqtt-bridge: a StatefulSet, so each replica keeps its name and MQTT session.
      'health-data-bridge',
      'health-data-kafka',
      'health-data-mqtt',
      'health-data-postgresql',
    ]);
    expect(kindsAndNames(render, 'Deployment')).toEqual([
      'health-data-metabase',
      'health-data-stream-processor',
    ]);
    expect(kindsAndNames(render, 'Service')).toEqual([
      'health-data-kafka',
      'health-data-kafka-connect',
      'health-data-metabase',
      'health-data-mqtt',
      'health-data-postgresql',
      'health-data-schema-registry',
    ]);
    expect(kindsAndNames(render, 'Job')).toEqual([
      'health-data-kafka-setup-1',
      'health-data-metabase-setup-1',
    ]);
    expect(kindsAndNames(render, 'CronJob')).toEqual(['health-data-connectors']);
  });

  it.each(['mysql', 'mongodb'] as const)(
    'database: %s deploys its own server for the application database; PostgreSQL stays for Metabase',
    (engine) => {
      const render = renders[engine];
      expect(kindsAndNames(render, 'StatefulSet')).toEqual(
        [
          'health-data-bridge',
          'health-data-kafka',
          `health-data-${engine}`,
          'health-data-mqtt',
          'health-data-postgresql',
        ].sort(),
      );
      expect(kindsAndNames(render, 'Service')).toContain(`health-data-${engine}`);
      // PostgreSQL keeps metabaseappdb, not the application database or its roles.
      const initSql = render.configMapData('health-data-postgresql-init')['init.sql'] ?? '';
      expect(initSql).toContain("'metabaseappdb'");
      expect(initSql).not.toContain("'realtime'");
      const postgres = containerOf(
        render.podTemplate('StatefulSet', 'health-data-postgresql'),
        'postgresql',
      );
      expect(postgres.env?.map((v) => v.name)).not.toContain('APP_DB_PASSWORD');
    },
  );

  it('iot: false removes the broker, its connector and the bridge', () => {
    const render = renders['iot-disabled'];
    expect(render.names().filter((name) => /mqtt/.test(name))).toEqual([
      'Secret/health-data-mqtt-secret',
    ]);
    expect(render.secretData('health-data-mqtt-secret')).toEqual({ MQTT_ENABLED: 'false' });
    expect(render.configMapData('health-data-connectors')).toEqual({});
    const kafka = containerOf(render.podTemplate('StatefulSet', 'health-data-kafka'), 'kafka');
    const mounts = kafka.volumeMounts?.map((mount) => mount.name) ?? [];
    expect(mounts).toContain('data');
    // No MQTT credentials for a connector that does not run, and no bridge principal.
    expect(mounts.filter((name) => /mqtt|connect-secrets|kafka-user-bridge/.test(name))).toEqual(
      [],
    );
  });

  it('visualization: grafana replaces Metabase, its database and its setup Job', () => {
    const render = renders.grafana;
    expect(render.find('Deployment', 'health-data-metabase')).toBeUndefined();
    expect(render.find('Job', 'health-data-metabase-setup-1')).toBeUndefined();
    expect(render.get('Deployment', 'health-data-grafana')).toBeDefined();
    expect(render.get('Service', 'health-data-grafana')).toBeDefined();
    expect(render.configMapData('health-data-postgresql-init')['init.sql']).not.toContain(
      'metabaseappdb',
    );
    const grafana = containerOf(render.podTemplate('Deployment', 'health-data-grafana'), 'grafana');
    // The admin comes from the platform's own Secret, which applications never get.
    expect(envOf(grafana, 'GF_SECURITY_ADMIN_PASSWORD').valueFrom?.secretKeyRef).toEqual({
      name: 'health-data-metabase-admin-secret',
      key: 'DASHBOARD_ADMIN_PASSWORD',
    });
    const datasources = render.configMapData('health-data-grafana-provisioning')[
      'datasources.yaml'
    ];
    expect(datasources).toContain('password: $DB_PASSWORD');
  });

  it.each([
    ['postgres', 'grafana-postgresql-datasource'],
    ['mysql', 'mysql'],
  ] as const)(
    'visualization: grafana with database: %s provisions the application database as data source %s (the claim refuses it with mongodb)',
    async (database, type) => {
      const render = await renderChart(chart, {
        namespace,
        fixtures: ['grafana'],
        values: [{ platform: { database } }],
      });
      const file = parse(
        render.configMapData('health-data-grafana-provisioning')['datasources.yaml'] ?? '',
      ) as { datasources: { type: string; secureJsonData?: { password: string } }[] };
      expect(file.datasources.map((d) => d.type)).toEqual([type]);
      for (const datasource of file.datasources)
        expect(datasource.secureJsonData?.password).toBe('$DB_PASSWORD');
    },
  );

  it('streamProcessing: lenses deploys Lenses HQ + Agent and the SQL Job instead of the services', () => {
    const render = renders.lenses;
    expect(render.find('Deployment', 'health-data-stream-processor')).toBeUndefined();
    expect(render.find('StatefulSet', 'health-data-bridge')).toBeUndefined();
    expect(render.ofKind('HorizontalPodAutoscaler')).toEqual([]);
    expect(kindsAndNames(render, 'Deployment')).toEqual([
      'health-data-lenses-agent',
      'health-data-lenses-hq',
      'health-data-metabase',
    ]);
    expect(render.get('Job', 'health-data-lenses-sql-1')).toBeDefined();
    expect(render.get('Job', 'health-data-lenses-agent-agent-key-1')).toBeDefined();
  });

  it('loads the Lenses subcharts only with streamProcessing: lenses', () => {
    for (const fixture of fixtures.filter((f) => f !== 'lenses')) {
      expect(renders[fixture].names().filter((name) => name.includes('lenses-hq'))).toEqual([]);
    }
  });

  it('scaling drives the autoscaler of the stream processor; the bridge runs builtin.mqttBridge.replicas', () => {
    const autoscalers = renders['every-option'].ofKind('HorizontalPodAutoscaler') as unknown as {
      metadata: { name: string };
      spec: { minReplicas: number; maxReplicas: number; scaleTargetRef: { name: string } };
    }[];
    expect(
      autoscalers.map((hpa) => [
        hpa.metadata.name,
        hpa.spec.scaleTargetRef.name,
        hpa.spec.minReplicas,
        hpa.spec.maxReplicas,
      ]),
    ).toEqual([['health-data-stream-processor', 'health-data-stream-processor', 2, 8]]);
    // Never autoscaled: a replica scaled away would leave its share queued in an orphaned session.
    const bridge = renders['every-option'].get('StatefulSet', 'health-data-bridge') as unknown as {
      spec: { replicas: number };
    };
    expect(bridge.spec.replicas).toBe(1);
    const fixed = renderChart(chart, {
      namespace,
      fixtures: ['every-option'],
      values: [{ builtin: { autoscaling: { enabled: false } } }],
    });
    return fixed.then((render) => {
      expect(render.ofKind('HorizontalPodAutoscaler')).toEqual([]);
      const deployment = render.get('Deployment', 'health-data-stream-processor') as unknown as {
        spec: { replicas: number };
      };
      expect(deployment.spec.replicas).toBe(2);
    });
  });

  it('runs fast-data-dev with the requirements two listeners (now SASL), ADV_HOST = its Service DNS name and a volume', () => {
    const template = renders.minimal.podTemplate('StatefulSet', 'health-data-kafka');
    const kafka = containerOf(template, 'kafka');
    const env = (name: string) => envOf(kafka, name).value;
    const host = `health-data-kafka.${namespace}.svc.cluster.local`;
    expect(kafka.image).toBe('docker.io/lensesio/fast-data-dev:3.9.0');
    expect(env('ADV_HOST')).toBe(host);
    expect(env('KAFKA_LISTENERS')).toBe(
      'CLIENT://:9092,EXTERNAL://:19092,INTERNAL://127.0.0.1:9093,CONTROLLER://:16062',
    );
    expect(env('KAFKA_ADVERTISED_LISTENERS')).toBe(
      `CLIENT://${host}:9092,EXTERNAL://${host}:19092,INTERNAL://127.0.0.1:9093`,
    );
    expect(env('RUNNING_SAMPLEDATA')).toBe('0');
    expect(env('RUNTESTS')).toBe('0');
    expect(kafka.ports?.map((port) => [port.name, port.containerPort])).toEqual([
      ['kafka', 9092],
      ['kafka-external', 19092],
      ['schema-registry', 8081],
      ['connect', 8083],
    ]);
    const statefulSet = renders.minimal.get('StatefulSet', 'health-data-kafka') as unknown as {
      spec: { volumeClaimTemplates: { metadata: { name: string } }[] };
    };
    expect(statefulSet.spec.volumeClaimTemplates.map((claim) => claim.metadata.name)).toEqual([
      'data',
    ]);
    expect(kafka.volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
  });

  it('adds the Snowflake plugin and the credential files to the Kafka pod only with Snowflake', () => {
    const template = renders.snowflake.podTemplate('StatefulSet', 'health-data-kafka');
    const setup = template.spec.initContainers?.find((c) => c.name === 'snowflake-setup');
    expect(envOf(setup!, 'PLUGIN_URL').value).toMatch(/^https:\/\/repo1\.maven\.org\/.+\.jar$/);
    expect(envOf(setup!, 'PLUGIN_SHA256').value).toMatch(/^[a-f0-9]{64}$/);
    const volume = template.spec.volumes?.find((v) => v.name === 'snowflake-credentials');
    expect(volume?.secret?.secretName).toBe('snowflake-keypair');
    expect(containerOf(template, 'kafka').volumeMounts).toContainEqual({
      name: 'data',
      mountPath: '/connectors',
      subPath: 'connect-plugins',
    });
    expect(
      renders.minimal.podTemplate('StatefulSet', 'health-data-kafka').spec.initContainers,
    ).toBeUndefined();
  });
});

describe('realtime-platform: the broker is the iot-broker chart', () => {
  it('renders the same broker as the iot-broker chart installed alone with the same users', async () => {
    const users = [
      { username: 'ward-7-monitor', passwordSecretRef: { name: 'ward-devices', key: 'ward-7' } },
    ];
    const [umbrella, alone] = await Promise.all([
      renderChart(chart, {
        releaseName: 'platform',
        namespace,
        fixtures: ['minimal'],
        values: [{ platform: { mqttUsers: users } }],
      }),
      renderChart('iot-broker', {
        releaseName: 'platform',
        namespace,
        values: [{ name: 'health-data', auth: { users } }],
      }),
    ]);
    const withoutChecksums = (render: RenderedChart) => {
      const statefulSet = structuredClone(
        render.get('StatefulSet', 'health-data-mqtt'),
      ) as unknown as {
        spec: { template: { metadata: { annotations?: Record<string, string> } } };
      };
      // The roles' users are random per render, and their Secrets' data is hashed into
      // checksum/passwd; the Secrets are compared below.
      delete statefulSet.spec.template.metadata.annotations?.['checksum/passwd'];
      return statefulSet;
    };
    expect(withoutChecksums(umbrella)).toEqual(withoutChecksums(alone));
    for (const kind of ['Service', 'NetworkPolicy', 'ServiceAccount']) {
      expect(umbrella.get(kind, 'health-data-mqtt')).toEqual(alone.get(kind, 'health-data-mqtt'));
    }
    expect(umbrella.configMapData('health-data-mqtt-config')).toEqual(
      alone.configMapData('health-data-mqtt-config'),
    );
    // The roles' users are generated per render: compare everything else, and their form.
    const withoutUser = (data: Record<string, string>) => ({
      ...data,
      MQTT_USERNAME: data.MQTT_USERNAME?.replace(/-[a-z0-9]{8}$/, '-<generated>'),
      MQTT_PASSWORD: data.MQTT_PASSWORD?.replace(/^[A-Za-z0-9]{32}$/, '<generated>'),
    });
    for (const secret of [
      'health-data-mqtt-secret',
      'health-data-mqtt-bridge-secret',
      'health-data-mqtt-gateway-secret',
    ]) {
      expect(withoutUser(umbrella.secretData(secret))).toEqual(
        withoutUser(alone.secretData(secret)),
      );
    }
    // No hash is rendered: the pod hashes every user's password from the roles' Secrets (above)
    // and the devices' (the StatefulSets, init container and its projected volumes included, are
    // equal above). The rendered Secret holds the ACL alone.
    expect(Object.keys(umbrella.secretData('health-data-mqtt-passwd'))).toEqual(['acl']);
    const rolesOf = (render: RenderedChart) =>
      render
        .podTemplate('StatefulSet', 'health-data-mqtt')
        .spec.initContainers?.[0]?.env?.find((variable) => variable.name === 'ROLES')?.value;
    expect(rolesOf(umbrella)).toBe(mqttRoleCatalog.map((role) => role.role).join(' '));
    const devicesOf = (render: RenderedChart) =>
      render
        .podTemplate('StatefulSet', 'health-data-mqtt')
        .spec.initContainers?.[0]?.env?.find((variable) => variable.name === 'DEVICES')?.value;
    expect(devicesOf(umbrella)).toBe(users.map((u) => u.username).join(' '));
  });
});

describe('realtime-platform: workloads', () => {
  it.each(fixtures)('pins every image (no latest, no missing tag) (%s values)', (fixture) => {
    const images = workloadsOf(renders[fixture]).flatMap((workload) =>
      containersOf(workload.template).map((container) => container.image),
    );
    expect(images.length).toBeGreaterThan(5);
    expect(images.filter((image) => !isPinnedImage(image))).toEqual([]);
  });

  it.each(fixtures)(
    'gives every long-running container liveness and readiness probes (%s values)',
    (fixture) => {
      const missing = workloadsOf(renders[fixture])
        .filter((workload) => workload.longRunning)
        .flatMap((workload) =>
          workload.template.spec.containers
            .filter((container) => !container.livenessProbe || !container.readinessProbe)
            .map((container) => `${workload.kind}/${workload.name} ${container.name}`),
        );
      expect(missing).toEqual([]);
    },
  );

  it('probes Metabase on /api/health and the built-in services on /health/live and /health/ready', () => {
    const metabase = containerOf(
      renders.minimal.podTemplate('Deployment', 'health-data-metabase'),
      'metabase',
    );
    for (const probe of [metabase.livenessProbe, metabase.readinessProbe, metabase.startupProbe]) {
      expect(probe).toMatchObject({ httpGet: { path: '/api/health', port: 'http' } });
    }
    for (const [kind, workload, name] of [
      ['StatefulSet', 'health-data-bridge', 'mqtt-bridge'],
      ['Deployment', 'health-data-stream-processor', 'stream-processor'],
    ] as const) {
      const container = containerOf(renders.minimal.podTemplate(kind, workload), name);
      expect(container.livenessProbe).toMatchObject({ httpGet: { path: '/health/live' } });
      expect(container.readinessProbe).toMatchObject({ httpGet: { path: '/health/ready' } });
      // One port: the SDK serves /metrics next to the health endpoints.
      expect(container.ports?.map((port) => port.name)).toEqual(['http']);
    }
  });

  it('probes MySQL and MongoDB from inside the pod: mysqladmin ping on the socket, mongosh ping', () => {
    const mysql = containerOf(
      renders.mysql.podTemplate('StatefulSet', 'health-data-mysql'),
      'mysql',
    );
    const mongodb = containerOf(
      renders.mongodb.podTemplate('StatefulSet', 'health-data-mongodb'),
      'mongodb',
    );
    for (const probe of [mysql.livenessProbe, mysql.readinessProbe, mysql.startupProbe]) {
      expect(probe).toMatchObject({
        exec: {
          command: [
            'mysqladmin',
            '--protocol=socket',
            '--socket=/var/run/mysqld/mysqld.sock',
            'ping',
          ],
        },
      });
    }
    for (const probe of [mongodb.livenessProbe, mongodb.readinessProbe, mongodb.startupProbe]) {
      expect(probe).toMatchObject({
        exec: { command: ['mongosh', '--quiet', '--norc', '--eval', "db.adminCommand('ping').ok"] },
      });
    }
    // Authentication on, and the root user only from its own Secret.
    expect(mongodb.args).toContain('--auth');
    const rootEnv = mongodb.env?.filter((v) => v.name.startsWith('MONGO_INITDB_ROOT_'));
    expect(rootEnv?.map((v) => v.valueFrom?.secretKeyRef?.name)).toEqual([
      'health-data-mongodb-admin-secret',
      'health-data-mongodb-admin-secret',
    ]);
  });

  it.each(['mysql', 'mongodb'] as const)(
    'keeps the %s data on a PersistentVolumeClaim and generates its credentials',
    (engine) => {
      const statefulSet = renders[engine].find(
        'StatefulSet',
        `health-data-${engine}`,
      ) as unknown as {
        spec: { volumeClaimTemplates?: { metadata: { name: string } }[] };
      };
      expect(statefulSet.spec.volumeClaimTemplates?.map((c) => c.metadata.name)).toEqual(['data']);
      const admin = renders[engine].secretData(`health-data-${engine}-admin-secret`);
      for (const value of Object.values(admin)) expect(value).toMatch(/^[A-Za-z0-9_]{12,}$/);
    },
  );

  it.each(fixtures)(
    'hardens every pod; only fast-data-dev starts as root with a writable root (%s values)',
    (fixture) => {
      const problems = workloadsOf(renders[fixture]).flatMap((workload) =>
        hardeningProblems(workload.template).map((p) => `${workload.kind}/${workload.name} ${p}`),
      );
      // fast-data-dev's entrypoint writes its configuration as root, then runs the JVMs as nobody:
      // exactly these three findings, for exactly that container, are accepted (values.yaml).
      expect(problems).toEqual([
        'StatefulSet/health-data-kafka container kafka: may run as root (runAsNonRoot is not set)',
        'StatefulSet/health-data-kafka container kafka: root filesystem is writable',
        'StatefulSet/health-data-kafka container kafka: adds capabilities',
      ]);
      const kafka = containerOf(
        renders[fixture].podTemplate('StatefulSet', 'health-data-kafka'),
        'kafka',
      );
      expect(kafka.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        capabilities: {
          drop: ['ALL'],
          add: ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID'],
        },
      });
    },
  );

  it.each(fixtures)('mounts no ServiceAccount token in any pod (%s values)', (fixture) => {
    const mounted = workloadsOf(renders[fixture])
      .filter((workload) => workload.template.spec.automountServiceAccountToken !== false)
      .map((workload) => `${workload.kind}/${workload.name}`);
    // The Lenses Agent's agent-key Job is the one pod that talks to the API (to store the key).
    expect(mounted.filter((name) => !name.includes('agent-key'))).toEqual([]);
  });

  it("injects exactly the five Secrets into the built-in services, in the contract order, each with its own Kafka principal, the bridge's own MQTT user in the mqtt slot", () => {
    const names = (principal: string) => [
      'health-data-mqtt-secret',
      `health-data-kafka-${principal}-secret`,
      'health-data-db-secret',
      'health-data-metabase-secret',
      'health-data-lenses-secret',
    ];
    const envFromOf = (kind: string, workload: string, name: string) =>
      (
        containerOf(renders.minimal.podTemplate(kind, workload), name) as {
          envFrom?: { secretRef?: { name: string; optional?: boolean } }[];
        }
      ).envFrom;
    expect(envFromOf('Deployment', 'health-data-stream-processor', 'stream-processor')).toEqual(
      names('stream').map((secret) => ({ secretRef: { name: secret } })),
    );
    // The bridge reads readings with the bridge role, never the applications' user.
    expect(envFromOf('StatefulSet', 'health-data-bridge', 'mqtt-bridge')).toEqual(
      ['health-data-mqtt-bridge-secret', ...names('bridge').slice(1)].map((secret) => ({
        secretRef: { name: secret },
      })),
    );
  });

  it('hashes the rendered configuration into checksum/config, and only that', () => {
    const render = renders.minimal;
    const mosquitto = render.podTemplate('StatefulSet', 'health-data-mqtt');
    const config = render.configMapData('health-data-mqtt-config')['mosquitto.conf'] ?? '';
    const files = render.secretData('health-data-mqtt-passwd');
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(mosquitto.metadata.annotations?.['checksum/config']).toBe(sha(config));
    // The roles' Secrets' data (keys sorted, as Helm's toJson writes it), one line each: a
    // rotated MQTT password restarts the broker, whose init container hashes it.
    const roleSecrets = mqttRoleCatalog
      .map((role) => {
        const data = render.secretData(`health-data-${role.secretSuffix}`);
        const sorted = Object.fromEntries(
          Object.entries(data).sort(([a], [b]) => (a < b ? -1 : 1)),
        );
        return `${JSON.stringify(sorted)}\n`;
      })
      .join('');
    // The devices' Secret references too: a device added or moved restarts the broker.
    const devices = (
      mosquitto.spec.volumes as { name: string; projected?: { sources: unknown[] } }[]
    ).find((volume) => volume.name === 'devices')?.projected?.sources;
    expect(mosquitto.metadata.annotations?.['checksum/passwd']).toBe(
      sha(`${roleSecrets}\n${files.acl ?? ''}\n${JSON.stringify(devices)}`),
    );
    // PostgreSQL provisions itself at start (init.sql) and runs pg_hba.conf: either changes it.
    const postgresql = render.podTemplate('StatefulSet', 'health-data-postgresql');
    expect(postgresql.metadata.annotations?.['checksum/config']).toBe(
      sha(
        `${render.configMapData('health-data-postgresql-init')['init.sql'] ?? ''}\n${
          render.configMapData('health-data-postgresql-config')['pg_hba.conf'] ?? ''
        }`,
      ),
    );
    for (const deployment of ['health-data-metabase', 'health-data-stream-processor']) {
      expect(
        render.podTemplate('Deployment', deployment).metadata.annotations?.['checksum/config'],
      ).toMatch(/^[a-f0-9]{64}$/);
    }
    expect(
      renders.grafana.podTemplate('Deployment', 'health-data-grafana').metadata.annotations?.[
        'checksum/config'
      ],
    ).toBe(
      sha(
        renders.grafana.configMapData('health-data-grafana-provisioning')['datasources.yaml'] ?? '',
      ),
    );
  });
});

describe('realtime-platform: pod disruption budgets', () => {
  it.each(fixtures)(
    'gives every workload of the platform exactly one PodDisruptionBudget (maxUnavailable 1) selecting only its pods (%s values)',
    (fixture) => {
      const render = renders[fixture];
      const budgets = render.ofKind('PodDisruptionBudget') as (KubernetesObject & {
        spec: { maxUnavailable?: number; selector: { matchLabels: Record<string, string> } };
      })[];
      // This chart's workloads and the broker's (the Lenses subcharts bring their own).
      const own = workloadsOf(render).filter(
        (w) =>
          w.longRunning &&
          ['realtime-platform', 'iot-broker'].includes(
            w.template.metadata?.labels?.['app.kubernetes.io/name'] ?? '',
          ),
      );
      expect(own.length).toBeGreaterThan(1);
      for (const workload of own) {
        const matching = budgets.filter((pdb) =>
          selects(pdb.spec.selector.matchLabels, workload.template.metadata?.labels),
        );
        expect([workload.name, matching.length]).toEqual([workload.name, 1]);
        expect(matching[0]?.spec.maxUnavailable).toBe(1);
        // ...and no other workload's pods.
        const others = own.filter((w) => w !== workload);
        for (const other of others)
          expect(
            selects(matching[0]?.spec.selector.matchLabels, other.template.metadata?.labels),
          ).toBe(false);
      }
      expect(budgets).toHaveLength(own.length);
    },
  );

  it('renders none when podDisruptionBudget.enabled is false', async () => {
    const render = await renderChart(chart, {
      namespace,
      fixtures: ['minimal'],
      values: [{ podDisruptionBudget: { enabled: false } }],
    });
    expect(render.ofKind('PodDisruptionBudget')).toEqual([]);
  });
});

describe('realtime-platform: network policies', () => {
  const policies = (render: RenderedChart) =>
    render.ofKind('NetworkPolicy') as unknown as (KubernetesObject & {
      spec: {
        podSelector: { matchLabels: Record<string, string> };
        policyTypes: string[];
        ingress?: { ports?: { port: number }[]; from?: unknown[] }[];
        egress?: unknown[];
      };
    })[];

  it.each(fixtures)(
    'selects every pod of the platform with a NetworkPolicy (%s values)',
    (fixture) => {
      const render = renders[fixture];
      const unguarded = workloadsOf(render)
        .filter(
          (workload) =>
            !policies(render).some((policy) =>
              selects(policy.spec.podSelector.matchLabels, workload.template.metadata.labels),
            ),
        )
        .map((workload) => `${workload.kind}/${workload.name}`);
      expect(unguarded).toEqual([]);
    },
  );

  it('lets only the Lenses Agent reach Lenses HQ agents port, and nothing reach the Jobs', () => {
    const byName = Object.fromEntries(policies(renders.lenses).map((p) => [p.metadata.name, p]));
    const hq = byName['health-data-lenses-hq'];
    const agentsRule = hq?.spec.ingress?.find((rule) => rule.ports?.some((p) => p.port === 10000));
    expect(agentsRule?.from).toEqual([
      {
        podSelector: {
          matchLabels: {
            'app.kubernetes.io/name': 'lenses-agent',
            'app.kubernetes.io/instance': 'platform',
            'app.kubernetes.io/component': 'agent',
          },
        },
      },
    ]);
    expect(byName['health-data-provisioning']?.spec.ingress).toEqual([]);
    expect(byName['health-data-lenses-agent']?.spec.ingress).toEqual([]);
  });

  it.each(['mysql', 'mongodb'] as const)(
    'lets this namespace reach the %s server on its port only, and keeps it from opening connections',
    (engine) => {
      const byName = Object.fromEntries(policies(renders[engine]).map((p) => [p.metadata.name, p]));
      const policy = byName[`health-data-${engine}`];
      expect(policy?.spec.egress).toEqual([]);
      expect(policy?.spec.ingress?.[0]?.ports?.map((p) => p.port)).toEqual([
        engine === 'mysql' ? 3306 : 27017,
      ]);
      expect(policy?.spec.ingress?.[0]?.from).toEqual([{ podSelector: {} }]);
    },
  );

  it('keeps PostgreSQL and Mosquitto from opening connections, and Kafka to its client ports', () => {
    const byName = Object.fromEntries(policies(renders.minimal).map((p) => [p.metadata.name, p]));
    for (const name of ['health-data-postgresql', 'health-data-mqtt']) {
      expect(byName[name]?.spec.policyTypes).toContain('Egress');
      expect(byName[name]?.spec.egress).toEqual([]);
    }
    expect(byName['health-data-kafka']?.spec.ingress?.[0]?.ports?.map((p) => p.port)).toEqual([
      9092, 19092, 8081, 8083,
    ]);
    expect(byName['health-data-kafka']?.spec.ingress?.[0]?.from).toEqual([{ podSelector: {} }]);
  });
});

describe('realtime-platform: NOTES.txt', () => {
  it('gives the DNS names and how to read a Secret, never a password', async () => {
    const notes = await renderNotes(chart, {
      releaseName: 'platform',
      namespace,
      fixtures: ['every-option'],
    });
    expect(notes).toContain('health-data-kafka.apps.svc.cluster.local:9092');
    expect(notes).toContain(
      "kubectl get secret --namespace apps health-data-metabase-admin-secret -o jsonpath='{.data.DASHBOARD_ADMIN_PASSWORD}'",
    );
    // The key lives there (applications' Secrets hold no admin): the command works as printed.
    expect(notes).toContain(
      'health-data-db-admin-secret (the PostgreSQL superuser, local socket only)',
    );
    expect(notes).not.toContain('fixture-device-password-1');
    expect(notes).toContain('kubectl logs --namespace apps job/health-data-kafka-setup-1');
  });
});
