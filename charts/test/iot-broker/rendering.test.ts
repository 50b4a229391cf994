import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import {
  describePlatform,
  mosquittoBrokerSettings,
  mosquittoSettingsConf,
  mqttRoleCatalog,
  renderMosquittoAcl,
  renderSecretData,
  secretName,
  type MqttIdentity,
} from '@realtime-platform/platform-contract';
import { itLintsAndValidatesEachFixture, renderEachFixture } from '../support/fixture-renders.js';
import { endpointProblems, platformModel } from '../support/platform-contract-check.js';
import {
  containerOf,
  renderChart,
  renderNotes,
  type RenderedChart,
} from '../support/render-chart.js';
import { hardeningProblems } from '../support/workload-hardening.js';

const chart = 'iot-broker';
const namespace = 'iot';
const fixtures = ['required', 'users', 'production', 'tls'] as const;

const renders = renderEachFixture(chart, fixtures, { releaseName: 'broker', namespace });

const brokerTemplate = (render: RenderedChart) =>
  render.podTemplate('StatefulSet', 'health-data-mqtt');

describe('iot-broker: helm lint and Kubernetes schemas', () => {
  itLintsAndValidatesEachFixture(chart, fixtures, renders);

  it('renders the broker, named after the platform, not the release', () => {
    expect(renders.required.names().sort()).toEqual([
      'ConfigMap/health-data-mqtt-config',
      'NetworkPolicy/health-data-mqtt',
      'PodDisruptionBudget/health-data-mqtt',
      'Secret/health-data-mqtt-bridge-secret',
      'Secret/health-data-mqtt-gateway-secret',
      'Secret/health-data-mqtt-passwd',
      'Secret/health-data-mqtt-secret',
      'Service/health-data-mqtt',
      'ServiceAccount/health-data-mqtt',
      'StatefulSet/health-data-mqtt',
    ]);
  });

  it('renders nothing of its own when embedded in the realtime-platform chart', async () => {
    const render = await renderChart(chart, { namespace, values: [{ embedded: true }] });
    expect(render.objects).toEqual([]);
  });
});

describe('iot-broker: {name}-mqtt-secret of the platform contract', () => {
  it.each(fixtures)('holds exactly the contract MQTT keys and values (%s values)', (fixture) => {
    const render = renders[fixture];
    const data = render.secretData('health-data-mqtt-secret');
    const model = describePlatform({
      claim: { name: 'health-data' },
      namespace,
      clusterDomain: fixture === 'production' ? 'cluster.example' : 'cluster.local',
    });
    const others = {
      DB_USER: 'x',
      DB_PASSWORD: 'x',
      DASHBOARD_USER: 'x',
      DASHBOARD_PASSWORD: 'x',
      KAFKA_USERNAME: 'x',
      KAFKA_PASSWORD: 'x',
    };
    const [mqtt] = renderSecretData(model, {
      ...others,
      MQTT_USERNAME: data.MQTT_USERNAME,
      MQTT_PASSWORD: data.MQTT_PASSWORD,
    });
    expect(mqtt?.name).toBe(secretName('health-data', 'mqtt'));
    expect(data).toEqual(mqtt?.stringData);
  });

  it('resolves every host and port of the Secret to the rendered Service and pod', () => {
    expect(
      endpointProblems(renders.required, platformModel({ name: 'health-data' }, namespace), [
        'mqtt',
      ]),
    ).toEqual([]);
  });

  it("publishes a generated applications' user, never a device of auth.users", () => {
    const published = renders.users.secretData('health-data-mqtt-secret');
    expect(published).toMatchObject({
      MQTT_USERNAME: expect.stringMatching(/^app-[a-z0-9]{8}$/),
      MQTT_PASSWORD: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
    });
    expect(Object.values(published).join()).not.toContain('fixture-device-password');
    expect(renders.required.secretData('health-data-mqtt-secret')).toMatchObject({
      MQTT_USERNAME: expect.stringMatching(/^app-[a-z0-9]{8}$/),
      MQTT_PASSWORD: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
    });
  });

  it("gives every role of the contract a Secret of its own: the contract's MQTT keys with the role's user", () => {
    const appKeys = Object.keys(renders.required.secretData('health-data-mqtt-secret')).sort();
    const users = mqttRoleCatalog.map((role) => {
      const data = renders.required.secretData(`health-data-${role.secretSuffix}`);
      expect(Object.keys(data).sort()).toEqual(appKeys);
      expect(data.MQTT_USERNAME).toMatch(
        new RegExp(`^${role.role === 'app' ? 'app-' : role.usernamePrefix}[a-z0-9]{8}$`),
      );
      return data.MQTT_USERNAME;
    });
    expect(new Set(users).size).toBe(mqttRoleCatalog.length);
  });
});

describe('iot-broker: mosquitto.conf and the password file', () => {
  const conf = (render: RenderedChart) =>
    render.configMapData('health-data-mqtt-config')['mosquitto.conf'] ?? '';

  it('turns authentication on, listens on 1883 and 9001 (WebSockets) and disables Nagle', () => {
    const lines = conf(renders.required).split('\n');
    for (const line of [
      'per_listener_settings false',
      'allow_anonymous false',
      'password_file /mosquitto/auth/passwd',
      'acl_file /mosquitto/rendered/acl',
      'listener 1883',
      'protocol mqtt',
      'listener 9001',
      'protocol websockets',
      'set_tcp_nodelay true',
      'persistence true',
      'persistence_location /mosquitto/data/',
    ]) {
      expect(lines).toContain(line);
    }
  });

  it("hands the init container every user's login from its Secret, and renders no hash and no password in clear", () => {
    // No password is hashed by the template: the init container hashes every user's with
    // mosquitto_passwd (run for real in mosquitto.test.ts), so the rendered Secret holds only the ACL.
    expect(Object.keys(renders.users.secretData('health-data-mqtt-passwd'))).toEqual(['acl']);
    // The roles' generated users, each in its connection Secret.
    expect(
      mqttRoleCatalog.map(
        (role) => renders.users.secretData(`health-data-${role.secretSuffix}`).MQTT_USERNAME,
      ),
    ).toEqual(
      mqttRoleCatalog.map((role) =>
        expect.stringMatching(new RegExp(`^${role.usernamePrefix}[a-z0-9]{8}$`)),
      ),
    );
    const template = brokerTemplate(renders.users);
    const init = template.spec.initContainers?.find((c) => c.name === 'password-file');
    expect(init?.env?.find((v) => v.name === 'ROLES')?.value).toBe(
      mqttRoleCatalog.map((role) => role.role).join(' '),
    );
    expect(init?.env?.find((v) => v.name === 'DEVICES')?.value).toBe(
      'ward-7-monitor ward-8-monitor',
    );
    // Least privilege: of the roles' Secrets only the login keys, and only in the init container.
    const roles = template.spec.volumes?.find((v) => v.name === 'roles') as {
      projected?: { defaultMode?: number; sources: unknown[] };
    };
    expect(roles.projected).toEqual({
      defaultMode: 0o440,
      sources: mqttRoleCatalog.map((role) => ({
        secret: {
          name: `health-data-${role.secretSuffix}`,
          items: [
            { key: 'MQTT_USERNAME', path: `${role.role}/username` },
            { key: 'MQTT_PASSWORD', path: `${role.role}/password` },
          ],
        },
      })),
    });
    expect(init?.volumeMounts?.map((m) => [m.name, m.mountPath, m.readOnly === true])).toEqual([
      ['config', '/mosquitto/config', true],
      ['roles', '/mosquitto/roles', true],
      ['devices', '/mosquitto/devices', true],
      ['auth', '/mosquitto/auth', false],
    ]);
    const devices = template.spec.volumes?.find((v) => v.name === 'devices') as {
      projected?: { defaultMode?: number; sources: unknown[] };
    };
    expect(devices.projected).toEqual({
      defaultMode: 0o440,
      sources: [
        {
          secret: {
            name: 'ward-devices',
            optional: true,
            items: [
              { key: 'ward-7-monitor', path: 'ward-7-monitor' },
              { key: 'ward-8-monitor', path: 'ward-8-monitor' },
            ],
          },
        },
      ],
    });
    // The file the broker reads is built in memory, never on a disk.
    expect(template.spec.volumes?.find((v) => v.name === 'auth')).toMatchObject({
      emptyDir: { medium: 'Memory' },
    });
    expect(JSON.stringify(renders.users.objects)).not.toContain('fixture-device-password');
  });

  it('takes configuration values and extra lines from values', () => {
    const text = conf(renders.production);
    expect(text).toContain('max_queued_messages 0');
    expect(text).not.toContain('persistent_client_expiration');
    expect(text).toContain('max_inflight_messages 100');
    expect(text).toContain('\n# config.extra\nmax_keepalive 300\n');
    expect(text.match(/^log_type /gm)).toHaveLength(2);
  });

  // The script is a template, not a *.sh file, so the charts lint's shellcheck does not see it.
  it("renders an init script that shellcheck finds clean (POSIX sh: the image's busybox)", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rtp-iot-broker-script-'));
    try {
      const script = join(dir, 'build-password-file.sh');
      await writeFile(
        script,
        renders.users.configMapData('health-data-mqtt-config')['build-password-file.sh'] ?? '',
      );
      await expect(
        promisify(execFile)('shellcheck', ['--norc', '--shell=sh', script]),
      ).resolves.toMatchObject({ stdout: '' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('mounts the configuration, the password file (group-readable only) and the data volume', () => {
    const template = brokerTemplate(renders.required);
    const mosquitto = containerOf(template, 'mosquitto');
    expect(mosquitto.command).toEqual([
      '/usr/sbin/mosquitto',
      '-c',
      '/mosquitto/config/mosquitto.conf',
    ]);
    expect(mosquitto.volumeMounts?.map((m) => [m.name, m.mountPath])).toEqual([
      ['config', '/mosquitto/config'],
      ['auth', '/mosquitto/auth'],
      ['rendered', '/mosquitto/rendered'],
      ['data', '/mosquitto/data'],
    ]);
    expect(mosquitto.volumeMounts?.every((m) => m.readOnly || m.name === 'data')).toBe(true);
    const passwd = template.spec.volumes?.find((v) => v.name === 'rendered')?.secret as {
      defaultMode?: number;
    };
    expect(passwd.defaultMode).toBe(0o440); // written as decimal 288: YAML 1.1 and 1.2 disagree on 0440
    expect(template.spec.securityContext).toMatchObject({ runAsUser: 1883, fsGroup: 1883 });
  });

  it("hashes mosquitto.conf, the roles' Secrets and the ACL into the pod annotations", () => {
    const annotations = brokerTemplate(renders.users).metadata.annotations ?? {};
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    expect(annotations['checksum/config']).toBe(sha(conf(renders.users)));
    const files = renders.users.secretData('health-data-mqtt-passwd');
    // The roles' Secrets' data (as Helm's toJson writes it: keys sorted), one line each: a
    // rotated password restarts the broker, whose init container hashes it.
    const roleSecrets = mqttRoleCatalog
      .map((role) => {
        const data = renders.users.secretData(`health-data-${role.secretSuffix}`);
        const sorted = Object.fromEntries(
          Object.entries(data).sort(([a], [b]) => (a < b ? -1 : 1)),
        );
        return `${JSON.stringify(sorted)}\n`;
      })
      .join('');
    // With the devices' Secret references: a device added or moved restarts the broker.
    const devices = brokerTemplate(renders.users).spec.volumes?.find(
      (v) => v.name === 'devices',
    ) as {
      projected?: { sources: unknown[] };
    };
    expect(annotations['checksum/passwd']).toBe(
      sha(`${roleSecrets}\n${files.acl ?? ''}\n${JSON.stringify(devices.projected?.sources)}`),
    );
  });

  it("writes the contract's ACL (renderMosquittoAcl) for exactly the users of the password file", () => {
    for (const render of [renders.required, renders.users]) {
      const { acl } = render.secretData('health-data-mqtt-passwd');
      const identities: MqttIdentity[] = [
        ...mqttRoleCatalog.map((role): MqttIdentity => ({
          kind: 'role',
          role: role.role,
          username: render.secretData(`health-data-${role.secretSuffix}`).MQTT_USERNAME ?? '',
        })),
        ...(render === renders.users ? ['ward-7-monitor', 'ward-8-monitor'] : []).map(
          (username): MqttIdentity => ({ kind: 'device', username }),
        ),
      ];
      expect(acl).toBe(renderMosquittoAcl(identities));
    }
  });

  it("runs the contract's broker settings (mosquittoSettingsConf) by default, as one block", () => {
    const text = conf(renders.required);
    const block = mosquittoSettingsConf(mosquittoBrokerSettings).join('\n');
    expect(text).toContain(`persistence_location /mosquitto/data/\n${block}\n`);
    expect(text).toContain('acl_file /mosquitto/rendered/acl');
  });

  it('adds a TLS listener on 8883 with the certificate of tls.existingSecret', () => {
    const text = conf(renders.tls);
    expect(text).toContain(
      'listener 8883\nprotocol mqtt\ncertfile /mosquitto/tls/tls.crt\nkeyfile /mosquitto/tls/tls.key\n',
    );
    expect(conf(renders.required)).not.toContain('8883');
    const template = brokerTemplate(renders.tls);
    expect(template.spec.volumes?.find((v) => v.name === 'tls')?.secret).toMatchObject({
      secretName: 'health-data-mqtt-tls',
      defaultMode: 0o440,
    });
    expect(containerOf(template, 'mosquitto').volumeMounts).toContainEqual({
      name: 'tls',
      mountPath: '/mosquitto/tls',
      readOnly: true,
    });
    const service = renders.tls.get('Service', 'health-data-mqtt') as unknown as {
      spec: { ports: { name: string; port: number }[] };
    };
    expect(service.spec.ports.map((p) => [p.name, p.port])).toEqual([
      ['mqtt', 1883],
      ['websocket', 9001],
      ['mqtts', 8883],
    ]);
    const policy = renders.tls.get('NetworkPolicy', 'health-data-mqtt') as unknown as {
      spec: { ingress: { ports: { port: number }[] }[] };
    };
    expect(policy.spec.ingress[0]?.ports.map((p) => p.port)).toEqual([1883, 9001, 8883]);
  });
});

describe('iot-broker: workload, Service and network policy', () => {
  it.each(fixtures)(
    'is hardened: pinned image, non-root, read-only root, no capabilities, resources (%s)',
    (fixture) => {
      expect(hardeningProblems(brokerTemplate(renders[fixture]))).toEqual([]);
    },
  );

  it('probes the MQTT port (startup, liveness, readiness)', () => {
    const mosquitto = containerOf(brokerTemplate(renders.required), 'mosquitto');
    for (const probe of [
      mosquitto.startupProbe,
      mosquitto.livenessProbe,
      mosquitto.readinessProbe,
    ]) {
      expect(probe).toMatchObject({ tcpSocket: { port: 'mqtt' } });
    }
  });

  it('pins the image: a released tag by default, the digest when given', () => {
    expect(containerOf(brokerTemplate(renders.required), 'mosquitto').image).toBe(
      'docker.io/eclipse-mosquitto:2.0.21',
    );
    expect(containerOf(brokerTemplate(renders.production), 'mosquitto').image).toBe(
      'registry.example.org/mirror/eclipse-mosquitto@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    );
  });

  it('keeps the broker reachable only on its ports, from this namespace when not external', () => {
    const policy = renders.production.get('NetworkPolicy', 'health-data-mqtt') as unknown as {
      spec: { ingress: { from?: unknown[]; ports: { port: number }[] }[]; egress: unknown[] };
    };
    expect(policy.spec.ingress[0]?.ports.map((p) => p.port)).toEqual([1883, 9001]);
    expect(policy.spec.ingress[0]?.from).toEqual([
      { podSelector: {} },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateways' } } },
    ]);
    expect(policy.spec.egress).toEqual([]);
    const open = renders.required.get('NetworkPolicy', 'health-data-mqtt') as unknown as {
      spec: { ingress: { from?: unknown[] }[] };
    };
    expect(open.spec.ingress[0]?.from).toBeUndefined();
  });

  it('writes hosts with the configured cluster domain', () => {
    expect(renders.production.secretData('health-data-mqtt-secret').MQTT_HOST).toBe(
      'health-data-mqtt.iot.svc.cluster.example',
    );
  });
});

describe('iot-broker: NOTES.txt', () => {
  it('gives the endpoints and the kubectl command for the password, never the password', async () => {
    const notes = await renderNotes(chart, {
      releaseName: 'broker',
      namespace,
      fixtures: ['users'],
    });
    expect(notes).toContain('mqtt://health-data-mqtt.iot.svc.cluster.local:1883');
    expect(notes).toContain('ws://health-data-mqtt.iot.svc.cluster.local:9001/mqtt');
    expect(notes).toContain(
      "kubectl get secret --namespace iot health-data-mqtt-secret -o jsonpath='{.data.MQTT_PASSWORD}'",
    );
    expect(notes).not.toContain('fixture-device-password');
  });
});
