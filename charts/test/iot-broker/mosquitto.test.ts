// The rendered mosquitto.conf and password file on a real Mosquitto (Debian's 2.0.x), and clients
// logging in with the rendered credentials over MQTT and WebSockets. The password file is built
// as in the pod: the init container's rendered script, with the real mosquitto_passwd, from the
// roles' rendered Secrets and the devices' Secrets.
import {
  chmodSync,
  chownSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  freePort,
  generateTlsFiles,
  makeRunDir,
  ManagedProcess,
  waitUntilReady,
} from '@realtime-platform/local-infra';
import {
  deviceMqttTopic,
  deviceReadingsFilter,
  deviceReadingsTopic,
  mqttRoleCatalog,
} from '@realtime-platform/platform-contract';
import { mosquittoBinary, mosquittoPasswdBinary } from '@realtime-platform/toolchain';
import { connectAsync, type MqttClient } from 'mqtt';
import { FakeKubernetesApi } from '../support/fake-kubernetes-api.js';
import { renderChart, type KubernetesObject, type RenderedChart } from '../support/render-chart.js';
import { runShellScript, type ScriptResult } from '../support/run-shell-script.js';

const chart = 'iot-broker';

interface RunningBroker {
  /** The run directory: the pod's /mosquitto/ (auth/passwd is the password file the broker reads). */
  dir: string;
  mqttUrl: string;
  wsUrl: string;
  tlsUrl: string | undefined;
  tlsCa: string | undefined;
  config: string;
  process: ManagedProcess;
}

/** Mosquitto's own user when we are root (it drops to it and must read its files), else us. */
function mosquittoUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('mosquitto:'));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Secrets of the namespace, as `kubectl create secret` would hold them: name -> key -> value. */
type NamespaceSecrets = Record<string, Record<string, string>>;

/** The Secret the users fixture's devices name (ward-devices), one key per device. */
const wardDevices: NamespaceSecrets = {
  'ward-devices': {
    'ward-7-monitor': 'fixture-device-password-1',
    // As `kubectl create secret --from-file` stores a file: with its trailing newline.
    'ward-8-monitor': 'fixture-device-password-2\n',
  },
};

interface ProjectedVolume {
  name: string;
  projected?: { sources: { secret: { name: string; items: { key: string; path: string }[] } }[] };
}

/**
 * Runs the broker pod's init container as the pod does: its rendered script (from the ConfigMap)
 * and environment, with the pod's /mosquitto/ paths under `dir`. Each projected volume it mounts
 * is filled as the kubelet would: every item at its path, from the namespace's Secrets, which
 * are the rendered ones (the roles' connection Secrets) with `secrets` over them (the devices',
 * or a role's key changed); a missing Secret or key leaves no file, as the optional projection
 * does. The result is at auth/passwd. mosquitto_passwd is the real one.
 */
async function buildPasswordFile(
  render: RenderedChart,
  dir: string,
  secrets: NamespaceSecrets = {},
): Promise<ScriptResult> {
  const template = render.podTemplate('StatefulSet', 'health-data-mqtt');
  const init = template.spec.initContainers?.find((c) => c.name === 'password-file');
  if (!init) throw new Error('no password-file init container');
  for (const sub of ['rendered', 'auth']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(
    join(dir, 'rendered', 'acl'),
    render.secretData('health-data-mqtt-passwd').acl ?? '',
  );
  const namespaceSecrets: NamespaceSecrets = Object.fromEntries(
    render
      .ofKind('Secret')
      .map((secret) => [secret.metadata.name, render.secretData(secret.metadata.name)]),
  );
  for (const [name, data] of Object.entries(secrets)) {
    namespaceSecrets[name] = { ...namespaceSecrets[name], ...data };
  }
  const mounts = new Map((init.volumeMounts ?? []).map((m) => [m.name, m.mountPath]));
  for (const volume of template.spec.volumes as ProjectedVolume[]) {
    const mountPath = mounts.get(volume.name);
    if (mountPath === undefined || volume.projected === undefined) continue;
    const root = mountPath.replace(/^\/mosquitto\//, `${dir}/`);
    mkdirSync(root, { recursive: true });
    for (const source of volume.projected.sources) {
      for (const item of source.secret.items) {
        const value = namespaceSecrets[source.secret.name]?.[item.key];
        if (value === undefined) continue;
        mkdirSync(dirname(join(root, item.path)), { recursive: true });
        writeFileSync(join(root, item.path), value);
      }
    }
  }
  const script = join(dir, 'build-password-file.sh');
  writeFileSync(
    script,
    render.configMapData('health-data-mqtt-config')['build-password-file.sh'] ?? '',
  );
  const env = Object.fromEntries(
    (init.env ?? []).map((v) => [v.name, (v.value ?? '').replace(/^\/mosquitto\//, `${dir}/`)]),
  );
  return runShellScript(script, { ...env, MOSQUITTO_PASSWD: mosquittoPasswdBinary() });
}

/**
 * Starts Mosquitto with the rendered files. The configuration is used verbatim except for what
 * only makes sense inside the pod: the listener lines get a free port and 127.0.0.1 (fixed ports
 * on all interfaces would collide with parallel suites), and the paths of the password file, the
 * ACL file, the TLS certificate and key, and persistence point into a run directory (the pod
 * mounts them under /mosquitto). For TLS, a CA and certificate generated here stand in for the
 * kubernetes.io/tls Secret.
 */
async function startRenderedBroker(
  render: RenderedChart,
  secrets: NamespaceSecrets = {},
): Promise<RunningBroker> {
  const dir = makeRunDir('mosquitto-rendered');
  const built = await buildPasswordFile(render, dir, secrets);
  expect(built).toMatchObject({ exitCode: 0, stderr: '' });
  const [mqttPort, wsPort, tlsPort] = [await freePort(), await freePort(), await freePort()];
  const rendered = render.configMapData('health-data-mqtt-config')['mosquitto.conf'] ?? '';
  const tls = rendered.includes('\nlistener 8883\n');
  const tlsFiles = tls
    ? await generateTlsFiles(
        (mkdirSync(join(dir, 'tls')), join(dir, 'tls')),
        join(dir, 'mosquitto.log'),
      )
    : undefined;
  const config = rendered
    .replace(/^listener 1883$/m, `listener ${mqttPort} 127.0.0.1`)
    .replace(/^listener 9001$/m, `listener ${wsPort} 127.0.0.1`)
    .replace(/^listener 8883$/m, `listener ${tlsPort} 127.0.0.1`)
    .replace(
      /^password_file \/mosquitto\/auth\/passwd$/m,
      `password_file ${join(dir, 'auth', 'passwd')}`,
    )
    .replace(/^acl_file \/mosquitto\/rendered\/acl$/m, `acl_file ${join(dir, 'rendered', 'acl')}`)
    .replace(/^certfile \/mosquitto\/tls\/tls\.crt$/m, `certfile ${tlsFiles?.certFile ?? ''}`)
    .replace(/^keyfile \/mosquitto\/tls\/tls\.key$/m, `keyfile ${tlsFiles?.keyFile ?? ''}`)
    .replace(
      /^persistence_location \/mosquitto\/data\/$/m,
      `persistence_location ${join(dir, 'data')}/`,
    );
  // Only the ports and paths changed; everything else is the rendered file.
  const changed = config.split('\n').filter((line, i) => line !== rendered.split('\n')[i]);
  expect(changed).toHaveLength(tls ? 8 : 5);
  mkdirSync(join(dir, 'data'), { recursive: true });
  writeFileSync(join(dir, 'mosquitto.conf'), config);
  chmodSync(join(dir, 'auth', 'passwd'), 0o640);
  chmodSync(join(dir, 'rendered', 'acl'), 0o640);
  const user = mosquittoUser();
  if (user) chownTree(dir, user);
  const broker = new ManagedProcess({
    service: 'mosquitto',
    command: mosquittoBinary(),
    args: ['-c', join(dir, 'mosquitto.conf')],
    logFile: join(dir, 'mosquitto.log'),
    ...(user ? { runAs: user } : {}),
  });
  const credentials = render.secretData('health-data-mqtt-secret');
  const running: RunningBroker = {
    dir,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    wsUrl: `ws://127.0.0.1:${wsPort}/mqtt`,
    tlsUrl: tls ? `mqtts://127.0.0.1:${tlsPort}` : undefined,
    tlsCa: tlsFiles ? readFileSync(tlsFiles.caFile, 'utf8') : undefined,
    config,
    process: broker,
  };
  await waitUntilReady({
    process: broker,
    timeoutMs: 20_000,
    probe: async () => {
      const client = await login(
        running.mqttUrl,
        credentials.MQTT_USERNAME,
        credentials.MQTT_PASSWORD,
      );
      await client.endAsync();
      return true;
    },
  });
  return running;
}

/** Recursively gives `path` to `user` (Mosquitto must read its files after dropping root). */
function chownTree(path: string, user: { uid: number; gid: number }): void {
  chownSync(path, user.uid, user.gid);
  if (!statSync(path).isDirectory()) return;
  for (const entry of readdirSync(path)) chownTree(join(path, entry), user);
}

function login(url: string, username?: string, password?: string): Promise<MqttClient> {
  return connectAsync(url, {
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    reconnectPeriod: 0,
    connectTimeout: 3_000,
  });
}

async function refusal(url: string, username?: string, password?: string): Promise<string> {
  try {
    const client = await login(url, username, password);
    await client.endAsync();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`${url} accepted ${username ?? 'an anonymous client'}`);
}

describe('iot-broker: the rendered files on a real Mosquitto, with a generated user', () => {
  let render: RenderedChart;
  let broker: RunningBroker;
  beforeAll(async () => {
    render = await renderChart(chart, { namespace: 'iot', fixtures: ['required'] });
    broker = await startRenderedBroker(render);
  }, 30_000);
  afterAll(async () => {
    await broker?.process.stop();
  });

  it('accepts the published user on MQTT and on WebSockets, and delivers at QoS 1', async () => {
    const { MQTT_USERNAME, MQTT_PASSWORD } = render.secretData('health-data-mqtt-secret');
    const subscriber = await login(broker.wsUrl, MQTT_USERNAME, MQTT_PASSWORD);
    const publisher = await login(broker.mqttUrl, MQTT_USERNAME, MQTT_PASSWORD);
    try {
      // The applications' user may use its own area only (app/#).
      await subscriber.subscribeAsync('app/round-trip', { qos: 1 });
      const received = new Promise<string>((resolve) =>
        subscriber.once('message', (_topic, payload) => resolve(payload.toString('utf8'))),
      );
      await publisher.publishAsync('app/round-trip', '{"deviceId":"d-1","heartRate":72}', {
        qos: 1,
      });
      await expect(received).resolves.toBe('{"deviceId":"d-1","heartRate":72}');
    } finally {
      await Promise.all([subscriber.endAsync(), publisher.endAsync()]);
    }
  });

  it('refuses anonymous clients, wrong passwords and unknown users', async () => {
    const { MQTT_USERNAME, MQTT_PASSWORD } = render.secretData('health-data-mqtt-secret');
    expect(await refusal(broker.mqttUrl)).toMatch(/Not authorized/);
    expect(await refusal(broker.wsUrl)).toMatch(/Not authorized/);
    expect(await refusal(broker.mqttUrl, MQTT_USERNAME, `${MQTT_PASSWORD}x`)).toMatch(
      /Not authorized/,
    );
    expect(await refusal(broker.mqttUrl, 'intruder', MQTT_PASSWORD)).toMatch(/Not authorized/);
  });

  it("lets every role log in with its Secret's password, hashed in the pod, and refuses a wrong one", async () => {
    const passwd = readFileSync(join(broker.dir, 'auth', 'passwd'), 'utf8');
    for (const role of mqttRoleCatalog) {
      const { MQTT_USERNAME, MQTT_PASSWORD } = render.secretData(
        `health-data-${role.secretSuffix}`,
      );
      expect(passwd).toMatch(new RegExp(`^${MQTT_USERNAME}:\\$7\\$`, 'm'));
      expect(passwd).not.toContain(MQTT_PASSWORD);
      const client = await login(broker.mqttUrl, MQTT_USERNAME, MQTT_PASSWORD);
      await client.endAsync();
      expect(await refusal(broker.mqttUrl, MQTT_USERNAME, `${MQTT_PASSWORD}x`)).toMatch(
        /Not authorized/,
      );
    }
  });

  it('starts with Nagle off and no change to the rendered configuration but ports and paths', () => {
    expect(broker.config).toContain('\nset_tcp_nodelay true\n');
  });
});

describe('iot-broker: the rendered files on a real Mosquitto, with devices from their Secrets', () => {
  let render: RenderedChart;
  let broker: RunningBroker;
  beforeAll(async () => {
    render = await renderChart(chart, { namespace: 'iot', fixtures: ['users'] });
    broker = await startRenderedBroker(render, wardDevices);
  }, 30_000);
  afterAll(async () => {
    await broker?.process.stop();
  });

  it('lets every user of auth.users log in with its password', async () => {
    for (const [user, password] of [
      ['ward-7-monitor', 'fixture-device-password-1'],
      ['ward-8-monitor', 'fixture-device-password-2'],
    ]) {
      const client = await login(broker.mqttUrl, user, password);
      await client.endAsync();
    }
    expect(await refusal(broker.mqttUrl, 'ward-8-monitor', 'fixture-device-password-1')).toMatch(
      /Not authorized/,
    );
  });
});

describe('iot-broker: the rendered ACL on a real Mosquitto', () => {
  let render: RenderedChart;
  let broker: RunningBroker;
  const clients: MqttClient[] = [];
  beforeAll(async () => {
    render = await renderChart(chart, { namespace: 'iot', fixtures: ['users'] });
    broker = await startRenderedBroker(render, wardDevices);
  }, 30_000);
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.endAsync(true)));
    await broker?.process.stop();
  });

  /** MQTT 5: a refused PUBLISH is answered with PUBACK 135. */
  const as = async (username: string, password: string): Promise<MqttClient> => {
    const client = await connectAsync(broker.mqttUrl, {
      username,
      password,
      protocolVersion: 5,
      reconnectPeriod: 0,
    });
    clients.push(client);
    return client;
  };
  const role = (suffix: string) => {
    const data = render.secretData(`health-data-${suffix}`);
    return as(data.MQTT_USERNAME ?? '', data.MQTT_PASSWORD ?? '');
  };
  const puback = async (client: MqttClient, topic: string): Promise<number> => {
    try {
      const packet = await client.publishAsync(topic, 'payload', { qos: 1 });
      return (packet as { reasonCode?: number } | undefined)?.reasonCode ?? 0;
    } catch (error) {
      return (error as { code?: number }).code ?? -1;
    }
  };

  it('lets devices publish only their own topic, gateways the requirements topic, the bridge read both and nobody else read', async () => {
    const bridge = await role('mqtt-bridge-secret');
    const seenByBridge: string[] = [];
    bridge.on('message', (topic) => seenByBridge.push(topic));
    await bridge.subscribeAsync(`$share/b/${deviceMqttTopic}`, { qos: 1 });
    await bridge.subscribeAsync(`$share/b/${deviceReadingsFilter}`, { qos: 1 });
    const snoopers = [
      await as('ward-8-monitor', 'fixture-device-password-2'),
      await role('mqtt-secret'),
    ];
    const snooped: string[] = [];
    for (const snooper of snoopers) {
      snooper.on('message', (topic) => snooped.push(topic));
      await snooper.subscribeAsync('#', { qos: 1 });
    }
    const device = await as('ward-7-monitor', 'fixture-device-password-1');
    const gateway = await role('mqtt-gateway-secret');

    expect(await puback(device, deviceReadingsTopic('ward-7-monitor'))).toBe(0);
    expect(await puback(device, deviceReadingsTopic('ward-8-monitor'))).toBe(135);
    expect(await puback(device, deviceMqttTopic)).toBe(135);
    expect(await puback(gateway, deviceMqttTopic)).toBe(0);
    expect(await puback(bridge, deviceMqttTopic)).toBe(135);

    const deadline = Date.now() + 5000;
    while (seenByBridge.length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seenByBridge.sort()).toEqual([deviceMqttTopic, deviceReadingsTopic('ward-7-monitor')]);
    expect(snooped).toEqual([]);
  });

  it('closes the connection of a client that sends a packet above max_packet_size', async () => {
    const device = await connectAsync(broker.mqttUrl, {
      username: 'ward-7-monitor',
      password: 'fixture-device-password-1',
      protocolVersion: 4,
      reconnectPeriod: 0,
    });
    const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
    device.publish(deviceReadingsTopic('ward-7-monitor'), 'x'.repeat(16 * 1024 + 1), { qos: 1 });
    await closed;
    await device.endAsync(true);
  });
});

describe('iot-broker: the TLS listener on a real Mosquitto', () => {
  let render: RenderedChart;
  let broker: RunningBroker;
  beforeAll(async () => {
    render = await renderChart(chart, { namespace: 'iot', fixtures: ['tls'] });
    broker = await startRenderedBroker(render);
  }, 30_000);
  afterAll(async () => {
    await broker?.process.stop();
  });

  it('accepts the published user over TLS with the certificate of the Secret', async () => {
    const { MQTT_USERNAME, MQTT_PASSWORD } = render.secretData('health-data-mqtt-secret');
    const client = await connectAsync(broker.tlsUrl ?? '', {
      username: MQTT_USERNAME,
      password: MQTT_PASSWORD,
      ca: broker.tlsCa,
      rejectUnauthorized: true,
      reconnectPeriod: 0,
    });
    await client.endAsync();
    await expect(
      connectAsync(broker.tlsUrl ?? '', {
        username: MQTT_USERNAME,
        password: MQTT_PASSWORD,
        rejectUnauthorized: true,
        reconnectPeriod: 0,
      }),
    ).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  });
});

describe("iot-broker: the devices' passwords, hashed in the pod from their Secrets", () => {
  let render: RenderedChart;
  let dir: string;
  beforeAll(async () => {
    render = await renderChart(chart, { namespace: 'iot', fixtures: ['users'] });
  });
  beforeEach(() => {
    dir = makeRunDir('mosquitto-password-file');
  });

  it('renders no device password anywhere: the values only name the Secrets', () => {
    const text = JSON.stringify(render.objects);
    expect(text).not.toContain('fixture-device-password');
    const devices = render
      .podTemplate('StatefulSet', 'health-data-mqtt')
      .spec.initContainers?.[0]?.env?.find((v) => v.name === 'DEVICES')?.value;
    expect(devices).toBe('ward-7-monitor ward-8-monitor');
  });

  it('salts each device separately, so equal passwords give different hashes', async () => {
    const same = 'the-same-password-123';
    const built = await buildPasswordFile(render, dir, {
      'ward-devices': { 'ward-7-monitor': same, 'ward-8-monitor': same },
    });
    expect(built.exitCode).toBe(0);
    const lines = readFileSync(join(dir, 'auth', 'passwd'), 'utf8')
      .trim()
      .split('\n');
    // The three roles' lines as rendered, then the devices'.
    expect(lines.map((line) => line.split(':')[0]?.replace(/-[a-z0-9]{8}$/, ''))).toEqual([
      'app',
      'bridge',
      'gateway',
      'ward-7-monitor',
      'ward-8-monitor',
    ]);
    const [seven, eight] = lines.slice(3).map((line) => line.split(':')[1]);
    expect(seven).toMatch(/^\$7\$/);
    expect(seven).not.toBe(eight);
    expect(readFileSync(join(dir, 'auth', 'passwd'), 'utf8')).not.toContain(same);
  });

  // Moved from the chart's own salts (credentials.test.ts) when the roles' hashing moved here.
  it('salts every user separately, the roles included, and writes no password in clear', async () => {
    const built = await buildPasswordFile(render, dir, wardDevices);
    expect(built).toMatchObject({ exitCode: 0, stderr: '' });
    const passwd = readFileSync(join(dir, 'auth', 'passwd'), 'utf8');
    const lines = passwd.trim().split('\n');
    expect(lines).toHaveLength(mqttRoleCatalog.length + 2);
    // user:$7$<iterations>$<salt>$<hash>: Mosquitto 2's salted PBKDF2-SHA512.
    for (const line of lines)
      expect(line).toMatch(/^[^:]+:\$7\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(new Set(lines.map((line) => line.split('$')[3])).size).toBe(lines.length);
    for (const role of mqttRoleCatalog) {
      expect(passwd).not.toContain(
        render.secretData(`health-data-${role.secretSuffix}`).MQTT_PASSWORD,
      );
    }
    expect(passwd).not.toContain('fixture-device-password');
    expect(statSync(join(dir, 'auth', 'passwd')).mode & 0o777).toBe(0o600);
  });

  it("refuses a role's password with a line break and a user name with ':', naming the role", async () => {
    const broken = await buildPasswordFile(render, dir, {
      ...wardDevices,
      // As `kubectl create secret --from-file` stores a file: applications would get the newline.
      'health-data-mqtt-bridge-secret': { MQTT_PASSWORD: 'a-bridge-password-0001\n' },
    });
    expect(broken.exitCode).not.toBe(0);
    expect(broken.stderr).toContain(
      'build-password-file: ERROR: role bridge: the password in its Secret holds a line break',
    );
    const colon = await buildPasswordFile(render, dir, {
      ...wardDevices,
      'health-data-mqtt-secret': { MQTT_USERNAME: 'clinic:app' },
    });
    expect(colon.exitCode).not.toBe(0);
    expect(colon.stderr).toContain(
      "role app: the user name in its Secret is empty or holds ':' or a line break",
    );
  });

  it('refuses to start the broker, naming the device, when its Secret or key is missing', async () => {
    const built = await buildPasswordFile(render, dir, {
      'ward-devices': { 'ward-7-monitor': 'fixture-device-password-1' },
    });
    expect(built.exitCode).not.toBe(0);
    expect(built.stderr).toContain(
      'build-password-file: ERROR: device ward-8-monitor: no password (the Secret key its mqttUsers passwordSecretRef names does not exist in this namespace)',
    );
  });

  it('refuses an empty password and one with a line break, naming the device', async () => {
    const empty = await buildPasswordFile(render, dir, {
      'ward-devices': { 'ward-7-monitor': '\n', 'ward-8-monitor': 'fixture-device-password-2' },
    });
    expect(empty.stderr).toContain('device ward-7-monitor: the password in its Secret is empty');
    const broken = await buildPasswordFile(render, dir, {
      'ward-devices': { 'ward-7-monitor': 'two\nlines', 'ward-8-monitor': 'x-password' },
    });
    expect(broken.exitCode).not.toBe(0);
    expect(broken.stderr).toContain(
      'device ward-7-monitor: the password in its Secret holds a line break',
    );
  });
});

// Moved here from the chart's $6$ hash tests when the template stopped hashing: the pod hashes
// the role's password with mosquitto_passwd, and the real broker checks it.
describe("iot-broker: a chosen user's password, hashed in the pod by mosquitto_passwd", () => {
  let cluster: FakeKubernetesApi;
  beforeAll(async () => {
    cluster = await FakeKubernetesApi.start();
  });
  afterAll(async () => {
    await cluster?.close();
  });

  // The roles' lines (the applications' user here, chosen through auth.existingSecret).
  it.each([
    ['a short password', 'p'],
    ['a 32-character generated password', 'Qm9vYmFyYmF6cXV4MTIzNDU2Nzg5MDEy'],
    ['punctuation and UTF-8', 'pässwörd with spaces & "quotes"'],
  ])(
    'lets the user log in with %s and refuses a wrong one',
    async (_case, password) => {
      const secret: KubernetesObject & { data: Record<string, string> } = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'app-credentials' },
        data: {
          MQTT_USERNAME: Buffer.from('device').toString('base64'),
          MQTT_PASSWORD: Buffer.from(password).toString('base64'),
        },
      };
      cluster.apply([secret], 'iot');
      const render = await renderChart(chart, {
        namespace: 'iot',
        values: [{ name: 'health-data', auth: { existingSecret: 'app-credentials' } }],
        cluster,
      });
      expect(render.secretData('health-data-mqtt-secret')).toMatchObject({
        MQTT_USERNAME: 'device',
        MQTT_PASSWORD: password,
      });
      const broker = await startRenderedBroker(render);
      try {
        const line =
          readFileSync(join(broker.dir, 'auth', 'passwd'), 'utf8')
            .split('\n')
            .find((entry) => entry.startsWith('device:')) ?? '';
        expect(line).toMatch(/^device:\$7\$/);
        const client = await login(broker.mqttUrl, 'device', password);
        await client.endAsync();
        expect(await refusal(broker.mqttUrl, 'device', `${password}x`)).toMatch(/Not authorized/);
        expect(await refusal(broker.mqttUrl, 'device', password.slice(0, -1))).toMatch(
          /Not authorized/,
        );
      } finally {
        await broker.process.stop();
      }
    },
    30_000,
  );
});
