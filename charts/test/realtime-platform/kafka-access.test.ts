// Kafka authentication and authorization in the chart, against the platform contract's model
// (planKafkaAccess): the ACL file the provisioning Job applies, each principal's Secret, who loads
// which Secret; and ensure-acls.sh applying the rendered file to a real Kafka (SASL/SCRAM,
// StandardAuthorizer), after which the broker refuses what the model does not grant.
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KafkaBroker } from '@realtime-platform/local-infra';
import {
  deviceDataTopic,
  kafkaAclLine,
  kafkaPrincipalSecretName,
  parseClaimSpec,
  planKafkaAccess,
  renderKafkaPrincipalSecret,
  vitalTopics,
  type RealtimePlatformSpecInput,
} from '@realtime-platform/platform-contract';
import { kafkaDistribution } from '@realtime-platform/toolchain';
import { Kafka, logLevel } from 'kafkajs';
import { parse } from 'yaml';
import { renderEachFixture } from '../support/fixture-renders.js';
import { kafkaSecurityEnv } from '../support/kafka-security-env.js';
import { platformModel } from '../support/platform-contract-check.js';
import {
  chartPath,
  containerOf,
  valuesFixture,
  type RenderedChart,
} from '../support/render-chart.js';
import { runShellScript } from '../support/run-shell-script.js';
import { containersOf, workloadsOf } from '../support/workloads.js';
import { brokerSuperUsers, kafkaSecurity } from '../../src/contract-files.js';

const chart = 'realtime-platform';
const namespace = 'apps';
const fixtures = ['minimal', 'every-option', 'iot-disabled', 'lenses'] as const;
type Fixture = (typeof fixtures)[number];

const claimOf = (fixture: Fixture): RealtimePlatformSpecInput =>
  (
    parse(readFileSync(valuesFixture(chart, fixture), 'utf8')) as {
      platform: RealtimePlatformSpecInput;
    }
  ).platform;

const renders = renderEachFixture(chart, fixtures, { releaseName: 'platform', namespace }, 120_000);

const aclFileOf = (render: RenderedChart): string[] =>
  (render.configMapData('health-data-kafka-acls')['acls.txt'] ?? '').trim().split('\n');

describe('realtime-platform: Kafka principals and ACLs from the contract', () => {
  it.each(fixtures)('renders exactly the contract ACLs, in its order (%s values)', (fixture) => {
    const plan = planKafkaAccess(parseClaimSpec(claimOf(fixture)));
    expect(aclFileOf(renders[fixture])).toEqual(
      plan.flatMap((principal) => principal.acls.map(kafkaAclLine)),
    );
  });

  it.each(fixtures)(
    'renders a Secret per platform principal with the kafka secret keys and its own login (%s values)',
    (fixture) => {
      const model = platformModel(claimOf(fixture), namespace);
      const plan = planKafkaAccess(model.spec);
      const passwords = new Set<string>();
      for (const principal of plan) {
        const name = kafkaPrincipalSecretName('health-data', principal.id);
        const data = renders[fixture].secretData(name);
        expect(data.KAFKA_PASSWORD).toMatch(/^[A-Za-z0-9]{32}$/);
        passwords.add(data.KAFKA_PASSWORD as string);
        expect({ name, data }).toEqual({
          name,
          data: renderKafkaPrincipalSecret(model, principal.id, {
            KAFKA_PASSWORD: data.KAFKA_PASSWORD as string,
          }).stringData,
        });
      }
      // One password per principal: no two share a login.
      expect(passwords.size).toBe(plan.length);
      // And no Secret of a principal the claim does not run.
      const expected = new Set(plan.map((p) => kafkaPrincipalSecretName('health-data', p.id)));
      const rendered = renders[fixture]
        .ofKind('Secret')
        .map((secret) => secret.metadata.name)
        .filter((name) => /^health-data-kafka(-[a-z]+)?-secret$/.test(name));
      expect(new Set(rendered)).toEqual(expected);
    },
  );

  it('gives the provisioning Job the admin login through secretKeyRef, for topics and ACLs', () => {
    const job = renders.minimal
      .ofKind('Job')
      .find((j) => j.metadata.name.startsWith('health-data-kafka-setup'));
    expect(job).toBeDefined();
    const template = (job as unknown as { spec: { template: Parameters<typeof containerOf>[0] } })
      .spec.template;
    for (const name of ['topics', 'acls']) {
      const container = (template.spec.initContainers ?? []).find((c) => c.name === name);
      expect(container?.env).toEqual(
        expect.arrayContaining([
          {
            name: 'SASL_USERNAME',
            valueFrom: {
              secretKeyRef: { name: 'health-data-kafka-admin-secret', key: 'KAFKA_USERNAME' },
            },
          },
          {
            name: 'SASL_PASSWORD',
            valueFrom: {
              secretKeyRef: { name: 'health-data-kafka-admin-secret', key: 'KAFKA_PASSWORD' },
            },
          },
        ]),
      );
    }
  });

  it('lets only the platform’s own workloads load a platform principal’s Secret', () => {
    const loaders = new Map<string, string[]>();
    for (const workload of workloadsOf(renders.minimal)) {
      for (const container of containersOf(workload.template)) {
        const { envFrom } = container as {
          envFrom?: { secretRef?: { name: string } }[];
        };
        const refs = [
          ...(envFrom ?? []).map((source) => source.secretRef?.name),
          ...(container.env ?? []).map((env) => env.valueFrom?.secretKeyRef?.name),
        ].filter(
          (name): name is string => name !== undefined && /-kafka-[a-z]+-secret$/.test(name),
        );
        for (const ref of refs) loaders.set(ref, [...(loaders.get(ref) ?? []), workload.name]);
      }
    }
    expect(loaders.get('health-data-kafka-bridge-secret')).toEqual(['health-data-bridge']);
    expect(loaders.get('health-data-kafka-stream-secret')).toEqual([
      'health-data-stream-processor',
    ]);
    // The provisioning principal: the broker (SCRAM bootstrap), the set-up Job, the connectors CronJob.
    expect(
      (loaders.get('health-data-kafka-admin-secret') ?? []).filter(
        (name) => !/^health-data-(kafka|kafka-setup-\d+|connectors)$/.test(name),
      ),
    ).toEqual([]);
  });
});

describe('realtime-platform: the broker, Schema Registry and Connect with authentication', () => {
  const kafkaEnv = (render: RenderedChart): Record<string, string | undefined> =>
    Object.fromEntries(
      (containerOf(render.podTemplate('StatefulSet', 'health-data-kafka'), 'kafka').env ?? []).map(
        (env) => [env.name, env.value],
      ),
    );

  it.each(fixtures)(
    'listens only with SASL and authorizes every request by ACL (%s values)',
    (fixture) => {
      const env = kafkaEnv(renders[fixture]);
      const protocols = (env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP ?? '')
        .split(',')
        .map((entry) => entry.split(':')[1]);
      expect(new Set(protocols)).toEqual(new Set([kafkaSecurity().protocol]));
      expect(env.KAFKA_LISTENER_NAME_CLIENT_SASL_ENABLED_MECHANISMS).toBe(
        kafkaSecurity().saslMechanism,
      );
      expect(env.KAFKA_LISTENER_NAME_EXTERNAL_SASL_ENABLED_MECHANISMS).toBe(
        kafkaSecurity().saslMechanism,
      );
      // PLAIN only where nothing outside the pod reaches: INTERNAL on 127.0.0.1, the controller.
      expect(env.KAFKA_LISTENERS).toContain('INTERNAL://127.0.0.1:9093');
      expect(env.KAFKA_AUTHORIZER_CLASS_NAME).toBe(
        'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      );
      expect(env.KAFKA_SUPER_USERS).toBe(brokerSuperUsers());
      expect(env.KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND).toBe('false');
    },
  );

  it('mitigates CVE-2025-27817/27818 on the 3.9.0 image: no LDAP/JNDI login module, no client overrides, Connect REST behind a login', () => {
    const env = kafkaEnv(renders.minimal);
    expect(env.KAFKA_OPTS).toContain(
      '-Dorg.apache.kafka.disallowed.login.modules=com.sun.security.auth.module.JndiLoginModule,com.sun.security.auth.module.LdapLoginModule',
    );
    expect(env.CONNECT_CONNECTOR_CLIENT_CONFIG_OVERRIDE_POLICY).toBe('None');
    expect(env.CONNECT_REST_EXTENSION_CLASSES).toBe(
      'org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension',
    );
    expect(env.SCHEMA_REGISTRY_AUTHENTICATION_METHOD).toBe('BASIC');
  });

  it('logs Connect and the Schema Registry in as their own principals, their passwords never literal', () => {
    const env = kafkaEnv(renders.minimal);
    expect(env.CONNECT_SASL_JAAS_CONFIG).toBe(
      'org.apache.kafka.common.security.scram.ScramLoginModule required username="kafka-connect" password="$(RTP_CONNECT_KAFKA_PASSWORD)";',
    );
    expect(env.SCHEMA_REGISTRY_KAFKASTORE_SASL_JAAS_CONFIG).toContain(
      'username="schema-registry" password="$(RTP_REGISTRY_KAFKA_PASSWORD)"',
    );
    const secrets = JSON.stringify(renders.minimal.ofKind('StatefulSet'));
    for (const principal of ['admin', 'connect', 'registry']) {
      const password = renders.minimal.secretData(`health-data-kafka-${principal}-secret`)
        .KAFKA_PASSWORD as string;
      expect(secrets.includes(password)).toBe(false);
    }
  });

  it('keeps the JAAS file and the REST user lists in a Secret consistent with each principal’s', () => {
    const auth = renders.minimal.secretData('health-data-kafka-auth');
    const password = (id: string) =>
      renders.minimal.secretData(kafkaPrincipalSecretName('health-data', id as 'admin'))
        .KAFKA_PASSWORD;
    expect(auth['kafka_jaas.conf']).toContain(
      `username="rtp-admin" password="${password('admin')}"`,
    );
    expect(auth['connect-users.properties']).toBe(`rtp-admin: ${password('admin')}\n`);
    expect((auth['registry-users.properties'] ?? '').trim().split('\n')).toEqual([
      `rtp-admin: ${password('admin')},admin`,
      `stream-processor: ${password('stream')},user`,
      `app: ${password('app')},user`,
      `kafka-connect: ${password('connect')},user`,
    ]);
    // The broker's PostStart hook sets every principal's SCRAM credential from its own Secret.
    const kafka = containerOf(
      renders.minimal.podTemplate('StatefulSet', 'health-data-kafka'),
      'kafka',
    ) as unknown as {
      lifecycle?: { postStart?: { exec?: { command?: string[] } } };
    };
    expect(kafka.lifecycle?.postStart?.exec?.command).toEqual([
      '/bin/sh',
      '/scripts/ensure-scram-users.sh',
    ]);
  });
});

describe('realtime-platform: ensure-acls.sh on a real Kafka (SASL/SCRAM, StandardAuthorizer)', () => {
  const script = join(chartPath(chart), 'files', 'scripts', 'ensure-acls.sh');
  let broker: KafkaBroker;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rtp-acls-'));
    // Users, but no ACL yet: the script must create every one.
    broker = await KafkaBroker.start({
      autoCreateTopics: false,
      createAcls: false,
      internalListener: true,
    });
    const { classpath, javaBinary } = kafkaDistribution();
    await writeFile(
      join(dir, 'kafka-acls'),
      `#!/bin/sh\nexec "${javaBinary}" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "${classpath}" kafka.admin.AclCommand "$@"\n`,
    );
    await chmod(join(dir, 'kafka-acls'), 0o755);
    await writeFile(
      join(dir, 'kafka-configs'),
      `#!/bin/sh\nexec "${javaBinary}" -Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "${classpath}" kafka.admin.ConfigCommand "$@"\n`,
    );
    await chmod(join(dir, 'kafka-configs'), 0o755);
    await writeFile(join(dir, 'acls.txt'), `${aclFileOf(renders.minimal).join('\n')}\n`);
    await broker.createTopics(
      [deviceDataTopic, `${deviceDataTopic}.dlq`, ...vitalTopics].map((topic) => ({
        topic,
        numPartitions: 1,
      })),
    );
  }, 180_000);

  afterAll(async () => {
    await broker?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /**
   * The contract's security protocol and SASL mechanism, as the set-up Job's acls container gets
   * them (ensure-acls.sh).
   */
  const aclsSecurity = () => {
    const job = workloadsOf(renders.minimal).find(({ name }) =>
      name.startsWith('health-data-kafka-setup'),
    );
    return kafkaSecurityEnv(containersOf(job!.template).find(({ name }) => name === 'acls')!);
  };

  const run = (env: Record<string, string> = {}) =>
    runShellScript(
      script,
      {
        BOOTSTRAP_SERVER: broker.bootstrapServers,
        ACLS_FILE: join(dir, 'acls.txt'),
        KAFKA_ACLS: join(dir, 'kafka-acls'),
        SASL_USERNAME: broker.credentials('admin').username,
        SASL_PASSWORD: broker.credentials('admin').password,
        WAIT_SECONDS: '60',
        ...aclsSecurity(),
        ...env,
      },
      300_000,
    );

  const produceAs = async (id: 'bridge', topic: string): Promise<unknown> => {
    const producer = new Kafka({
      ...broker.kafkajsConfig(id),
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).producer();
    await producer.connect();
    try {
      await producer.send({ topic, acks: -1, messages: [{ value: 'x' }] });
      return undefined;
    } catch (error) {
      return error;
    } finally {
      await producer.disconnect();
    }
  };

  it('without ACLs, the broker refuses even the bridge’s own topic', async () => {
    expect(await produceAs('bridge', deviceDataTopic)).toBeDefined();
  });

  it('creates every planned ACL: the broker then allows what the plan grants and refuses the rest', async () => {
    const result = await run();
    expect(result.stderr).not.toMatch(/ERROR/);
    expect(result.exitCode).toBe(0);
    const planned = aclFileOf(renders.minimal);
    expect(result.stdout).toContain(`ACLs match the plan (${planned.length} ensured)`);
    const admin = new Kafka({
      ...broker.kafkajsConfig('admin'),
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      const described = await admin.describeAcls({
        resourceType: 1, // ANY
        resourcePatternType: 1, // ANY
        operation: 1, // ANY
        permissionType: 1, // ANY
      });
      expect(described.resources.reduce((sum, r) => sum + r.acls.length, 0)).toBe(planned.length);
    } finally {
      await admin.disconnect();
    }
    expect(await produceAs('bridge', deviceDataTopic)).toBeUndefined();
    expect(String((await produceAs('bridge', vitalTopics[0])) ?? '')).toMatch(/[Aa]uthoriz/);
  }, 300_000);

  it('changes nothing when run again (idempotent), and fails loudly on a wrong login', async () => {
    const again = await run();
    expect(again.exitCode).toBe(0);
    const wrong = await run({
      SASL_PASSWORD: 'not-the-password',
      WAIT_SECONDS: '1',
      POLL_SECONDS: '1',
    });
    expect(wrong.exitCode).not.toBe(0);
    expect(wrong.stderr).toContain('did not answer within 1s');
  }, 300_000);

  it('refuses to run without the contract’s security protocol, naming SECURITY_PROTOCOL', async () => {
    const { SECURITY_PROTOCOL: _protocol, ...without } = aclsSecurity();
    const result = await runShellScript(script, {
      BOOTSTRAP_SERVER: broker.bootstrapServers,
      ACLS_FILE: join(dir, 'acls.txt'),
      KAFKA_ACLS: join(dir, 'kafka-acls'),
      SASL_USERNAME: broker.credentials('admin').username,
      SASL_PASSWORD: broker.credentials('admin').password,
      ...without,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('SECURITY_PROTOCOL is not set');
  });

  it('ensure-scram-users.sh gives a principal its SCRAM credential over the INTERNAL listener, logging in as the provisioning principal', async () => {
    const users = join(dir, 'users');
    const login = { username: 'late-principal', password: 'a-generated-password-0001' };
    for (const [id, credentials] of [
      ['admin', broker.credentials('admin')],
      ['late', login],
    ] as const) {
      await mkdir(join(users, id), { recursive: true });
      await writeFile(join(users, id, 'KAFKA_USERNAME'), credentials.username);
      await writeFile(join(users, id, 'KAFKA_PASSWORD'), credentials.password);
    }
    const connect = async (): Promise<unknown> => {
      const admin = new Kafka({
        brokers: [broker.bootstrapServers],
        sasl: { mechanism: 'scram-sha-512', ...login },
        logLevel: logLevel.NOTHING,
        retry: { retries: 0 },
      }).admin();
      try {
        await admin.connect();
        await admin.listTopics();
        return undefined;
      } catch (error) {
        return error;
      } finally {
        await admin.disconnect();
      }
    };
    expect(await connect()).toBeDefined();
    const result = await runShellScript(
      join(chartPath(chart), 'files', 'scripts', 'ensure-scram-users.sh'),
      {
        INTERNAL: `127.0.0.1:${broker.internalPort}`,
        USERS_DIR: users,
        ADMIN_DIR: join(users, 'admin'),
        KAFKA_CONFIGS: join(dir, 'kafka-configs'),
        WAIT_SECONDS: '60',
        // The broker pod's: the SCRAM mechanism, and the INTERNAL listener's protocol.
        ...kafkaSecurityEnv(
          containerOf(renders.minimal.podTemplate('StatefulSet', 'health-data-kafka'), 'kafka'),
        ),
      },
      300_000,
    );
    expect(result.stderr).not.toMatch(/ERROR/);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('SCRAM credentials of 2 principals are set');
    expect(await connect()).toBeUndefined();
  }, 300_000);
});
