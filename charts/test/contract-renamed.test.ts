// The charts type no contract value they read from files/contract.json: in a copy of the charts
// whose contract.json names every login and database key differently and gives Kafka another
// security protocol and SASL mechanism, and the platform's own Secrets' keys differently too
// (platformSecrets), the render uses the new values everywhere and the old ones nowhere. A
// template that re-typed KAFKA_PASSWORD, DB_USER, POSTGRES_PASSWORD or SCRAM-SHA-512 would still
// render the old text here (and its secretKeyRef would point at a key the Secret no longer has). The
// Kafka scripts (files/scripts) type no protocol or mechanism: they require SECURITY_PROTOCOL and
// SASL_MECHANISM, which every container running one gets from the contract.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { chartContract } from '../src/contract-files.js';
import { kafkaSecurityEnv } from './support/kafka-security-env.js';
import {
  chartsRoot,
  helm,
  RenderedChart,
  valuesFixture,
  type KubernetesObject,
} from './support/render-chart.js';
import { containersOf, workloadsOf } from './support/workloads.js';

interface ContractSecret {
  id: string;
  login?: { username: string; password: string };
  keys: { key: string; parts?: Record<string, string> }[];
}

const contractSecrets = chartContract('realtime-platform').secrets as ContractSecret[];
const security = chartContract('realtime-platform').kafkaSecurity as {
  protocol: string;
  saslMechanism: string;
};

/** The contract key names the templates must take from contract.json: logins and DB_URL's parts. */
const readKeys = [
  ...new Set(
    contractSecrets.flatMap((secret) => [
      ...Object.values(secret.login ?? {}),
      ...secret.keys.flatMap((key) => Object.values(key.parts ?? {})),
    ]),
  ),
];
/**
 * The key names of the platform's own Secrets (platformSecrets) the templates take from
 * contract.json (platformKeys), but for {name}-db-reader-secret, whose keys are the db secret's
 * (readKeys), and {name}-lenses-hq-admin, whose keys (username, password: words of every render) are
 * renamed in the copy and checked on their own (hqAdminKeys).
 */
const platformKeys = Object.entries(
  chartContract('realtime-platform').platformSecrets as Record<string, Record<string, string>>,
)
  .filter(([suffix]) => !['db-reader-secret', 'lenses-hq-admin'].includes(suffix))
  .flatMap(([, keys]) => Object.values(keys));
const renamed = (key: string): string => `RENAMED_${key}`;
/**
 * The key names of {name}-lenses-hq-admin by id: renamed in the copy where the contract lists them
 * only (username and password are also the login ids of the five Secrets).
 */
const hqAdminKeys = (
  chartContract('realtime-platform').platformSecrets as Record<string, Record<string, string>>
)['lenses-hq-admin'] as Record<'username' | 'password' | 'passwordHash', string>;
/** The subchart values naming the renamed lenses-hq-admin keys (the chart checks them). */
const renamedHqAdminValues = [
  `lenses-hq.auth.secretKeys.usernameKey=${renamed(hqAdminKeys.username)}`,
  `lenses-hq.auth.secretKeys.passwordKey=${renamed(hqAdminKeys.password)}`,
  `lenses-hq.auth.secretKeys.passwordHashKey=${renamed(hqAdminKeys.passwordHash)}`,
  `lenses-agent.hq.auth.secretKeys.usernameKey=${renamed(hqAdminKeys.username)}`,
  `lenses-agent.hq.auth.secretKeys.passwordKey=${renamed(hqAdminKeys.password)}`,
];
/** Another protocol and mechanism the contract could choose (Kafka knows both). */
const otherSecurity = {
  protocol: security.protocol === 'SASL_SSL' ? 'SASL_PLAINTEXT' : 'SASL_SSL',
  saslMechanism: security.saslMechanism === 'SCRAM-SHA-256' ? 'SCRAM-SHA-512' : 'SCRAM-SHA-256',
};

/**
 * contract.json with every read key renamed and the other protocol and mechanism, wherever the
 * JSON names them (kafkaSecurity and the kafka secret's settings alike).
 */
/** The three-broker Kafka's headless Service and controllers, renamed in the `copy`. */
const renamedClusterNames = { brokerHeadless: 'kafka-peers', controller: 'kafka-quorum' };

function renamedContract(text: string): string {
  const replacement = new Map<unknown, string>([
    ...[...readKeys, ...platformKeys].map((key) => [key, renamed(key)] as const),
    [security.protocol, otherSecurity.protocol],
    [security.saslMechanism, otherSecurity.saslMechanism],
  ]);
  const contract = JSON.parse(text, (_name, value: unknown) => replacement.get(value) ?? value) as {
    platformSecrets?: Record<string, Record<string, string>>;
    kafkaCluster?: { names: Record<string, string> };
  };
  const hqAdmin = contract.platformSecrets?.['lenses-hq-admin'] ?? {};
  for (const [id, key] of Object.entries(hqAdmin)) hqAdmin[id] = renamed(key);
  // The brokers' StatefulSet keeps the Kafka Service's name (its pods are that Service's).
  if (contract.kafkaCluster) Object.assign(contract.kafkaCluster.names, renamedClusterNames);
  return JSON.stringify(contract);
}

/**
 * Every string of the rendered objects with where it is, leaving out what is not the chart's
 * template text: the scripts' files (`*.sh` in ConfigMaps, whose file interface names the mounted
 * files) and the file names of Secret volume items (`path`, which those scripts read).
 */
function renderedStrings(objects: KubernetesObject[]): { at: string; text: string }[] {
  const found: { at: string; text: string }[] = [];
  const walk = (node: unknown, at: string): void => {
    if (typeof node === 'string') found.push({ at, text: node });
    else if (Array.isArray(node)) node.forEach((item, index) => walk(item, `${at}[${index}]`));
    else if (node && typeof node === 'object') {
      for (const [name, value] of Object.entries(node)) {
        if (name.endsWith('.sh') || (name === 'path' && at.includes('.items['))) continue;
        // Keys of a map (Secret data, ConfigMap data) are rendered text too.
        found.push({ at: `${at}.${name} (key)`, text: name });
        walk(value, `${at}.${name}`);
      }
    }
  };
  for (const object of objects) {
    const { kind, metadata } = object as { kind: string; metadata: { name: string } };
    const data = (object as { data?: Record<string, string> }).data;
    // Secret data is base64: its decoded text is what the templates wrote.
    const decoded =
      kind === 'Secret' && data
        ? {
            ...object,
            data: Object.fromEntries(
              Object.entries(data).map(([key, value]) => [
                key,
                Buffer.from(value, 'base64').toString(),
              ]),
            ),
          }
        : object;
    walk(decoded, `${kind}/${metadata.name}`);
  }
  return found;
}

/**
 * Names that are the chart's own and only look like a contract key: the input of init-mysql.sh
 * and init-mongodb.sh (DB_NAME, the database they create; its value comes from the contract).
 */
const chartOwnNames = [/^StatefulSet\/[a-z-]+-(mysql|mongodb)\..*\.env\[\d+\]\.name$/];

/**
 * Where a platform Secret's key name may stay: as the name of an environment variable, which is
 * what a third-party image reads (POSTGRES_PASSWORD, MYSQL_ROOT_PASSWORD, MONGO_INITDB_ROOT_*,
 * MB_ENCRYPTION_SECRET_KEY, GF_SECURITY_SECRET_KEY) or the chart's own SQL reads (the roles'
 * passwordEnv, METABASE_DB_PASSWORD and BACKUP_DB_PASSWORD, which init.sql takes with \getenv,
 * like APP_DB_PASSWORD), not a Secret key; its valueFrom still names the key.
 */
const envVariableName = [
  /\.env\[\d+\]\.name$/,
  /^ConfigMap\/[a-z-]+-postgresql-init\.data\.init\.sql$/,
];

/** Where `word` appears as a whole word (APP_DB_PASSWORD is not DB_PASSWORD). */
const occurrences = (strings: { at: string; text: string }[], word: string): string[] =>
  strings
    .filter(({ text }) => new RegExp(`(^|[^A-Za-z0-9_])${word}([^A-Za-z0-9_]|$)`).test(text))
    .map(({ at }) => at)
    .filter((at) => !chartOwnNames.some((pattern) => pattern.test(at)))
    .filter(
      (at) => !(platformKeys.includes(word) && envVariableName.some((place) => place.test(at))),
    );

/**
 * The Secrets holding the contract's keys (fixture platform `health-data`): the five, the Kafka
 * principals' and the MQTT roles' copies of theirs, and the platform's own Secrets
 * (platformSecrets; {name}-db-reader-secret: the db keys with the dashboards' read-only login).
 */
const contractHeldSecrets = (): Set<string> => {
  const contract = chartContract('realtime-platform') as {
    kafkaPrincipals: { secretSuffix: string }[];
    mqtt: { roles: { secretSuffix: string }[] };
    platformSecrets: Record<string, unknown>;
  };
  return new Set(
    [
      ...(contractSecrets as unknown as { suffix: string }[]),
      ...contract.kafkaPrincipals,
      ...contract.mqtt.roles,
    ]
      .map((entry) => ('suffix' in entry ? entry.suffix : entry.secretSuffix))
      .concat(Object.keys(contract.platformSecrets))
      .map((suffix) => `health-data-${suffix}`),
  );
};

/** The secretKeyRefs and Secret volume items of every pod that name a contract-held Secret. */
function secretReferences(render: RenderedChart): { secret: string; key: string }[] {
  const rendered = contractHeldSecrets();
  const references: { secret: string; key: string }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const { secretKeyRef, secret } = node as {
        secretKeyRef?: { name: string; key: string };
        secret?: { secretName: string; items?: { key: string }[] };
      };
      if (secretKeyRef) references.push({ secret: secretKeyRef.name, key: secretKeyRef.key });
      for (const item of secret?.items ?? []) {
        references.push({ secret: secret?.secretName ?? '', key: item.key });
      }
      Object.values(node).forEach(walk);
    }
  };
  walk(render.objects);
  return references.filter((reference) => rendered.has(reference.secret));
}

/** Where a port of the contract moves in the `moved` copy. */
const movedPort = (port: number): number => port + 1000;
/** What a URL scheme or path of the contract becomes in the `moved` copy. */
const movedScheme = (scheme: string): string => `${scheme}-moved`;
const movedPath = (path: string): string => `/moved-${path.replace(/^\//, '')}`;

/**
 * contract.json with every Service port moved and every URL's scheme and path changed (NOTES.txt
 * prints them: a NOTES that typed a port, scheme or path would still print the old one).
 */
function movedContract(text: string): string {
  const contract = JSON.parse(text) as {
    ports: Record<string, Record<string, number>>;
    secrets: { keys: { format?: string; scheme?: string; path?: string }[] }[];
  };
  for (const ports of Object.values(contract.ports)) {
    for (const [name, port] of Object.entries(ports)) ports[name] = movedPort(port);
  }
  for (const key of contract.secrets.flatMap((secret) => secret.keys)) {
    if (key.format !== 'url') continue;
    if (key.scheme) key.scheme = movedScheme(key.scheme);
    if (key.path) key.path = movedPath(key.path);
  }
  return JSON.stringify(contract);
}

/** The copies of the charts: keys and Kafka security renamed (`copy`), ports and URLs moved. */
let copy: string;
let moved: string;

/** A copy of the charts whose contract.json files are `rewrite` of the real ones. */
async function copyCharts(rewrite: (text: string) => string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'rtp-contract-renamed-'));
  // The umbrella's charts/ links are relative: copy the charts side by side, links as they are.
  for (const chart of ['common', 'iot-broker', 'lenses-agent', 'lenses-hq', 'realtime-platform']) {
    await cp(join(chartsRoot, chart), join(dir, chart), {
      recursive: true,
      verbatimSymlinks: true,
    });
  }
  for (const chart of ['iot-broker', 'realtime-platform']) {
    const file = join(dir, chart, 'files', 'contract.json');
    await writeFile(file, rewrite(await readFile(file, 'utf8')));
  }
  return dir;
}

beforeAll(async () => {
  copy = await copyCharts(renamedContract);
  moved = await copyCharts(movedContract);
});

afterAll(async () => {
  await rm(copy, { recursive: true, force: true });
  await rm(moved, { recursive: true, force: true });
});

/** The release of a copy's `chart` both renders use: name, namespace, generated credentials, values. */
function copyReleaseArgs(
  root: string,
  chart: string,
  fixture: string,
  set: readonly string[],
): string[] {
  return [
    'platform',
    join(root, chart),
    '--namespace',
    'apps',
    '--set',
    'credentials.renderWithoutCluster=generate',
    '--values',
    valuesFixture(chart, fixture),
    ...set.flatMap((value) => ['--set', value]),
  ];
}

/**
 * The NOTES.txt of a copy's `chart` as `helm install --dry-run=client` prints it, with a values
 * fixture (and `--set` each of `set`).
 */
async function copyNotes(
  root: string,
  chart: string,
  fixture: string,
  ...set: string[]
): Promise<string> {
  const { stdout } = await helm().run([
    'install',
    ...copyReleaseArgs(root, chart, fixture, set),
    '--dry-run=client',
  ]);
  const start = stdout.indexOf('\nNOTES:\n');
  if (start < 0) throw new Error(`helm printed no NOTES for ${chart}`);
  return stdout.slice(start + '\nNOTES:\n'.length);
}

/** The copy's `chart` rendered with a values fixture (and `--set` each of `set`). */
async function renderCopy(
  chart: string,
  fixture: string,
  ...set: string[]
): Promise<RenderedChart> {
  const { stdout } = await helm().run(['template', ...copyReleaseArgs(copy, chart, fixture, set)]);
  return new RenderedChart(
    parseAllDocuments(stdout)
      .map((doc) => doc.toJSON() as KubernetesObject | null)
      .filter((object): object is KubernetesObject => object !== null),
  );
}

describe('the charts follow files/contract.json (a copy with renamed keys and other Kafka security)', () => {
  it('renames some key of every contract Secret with a login, and the Kafka security', () => {
    expect(contractSecrets.filter((secret) => secret.login).map((secret) => secret.id)).toEqual([
      'mqtt',
      'kafka',
      'db',
      'metabase',
    ]);
    expect(readKeys.length).toBeGreaterThanOrEqual(11);
    expect(platformKeys).toEqual(
      expect.arrayContaining([
        'POSTGRES_PASSWORD',
        'DASHBOARD_ADMIN_PASSWORD',
        'BACKUP_DB_PASSWORD',
      ]),
    );
    expect(otherSecurity).not.toEqual(security);
  });

  it.each([
    ['realtime-platform', 'every-option', []],
    // The backup CronJob and its role exist with backup.enabled only (no fixture sets it).
    ['realtime-platform', 'every-option', ['backup.enabled=true']],
    ['realtime-platform', 'kafka-cluster', []],
    // With the subcharts told the renamed lenses-hq-admin keys (see the test below).
    ['realtime-platform', 'lenses', renamedHqAdminValues],
    ['realtime-platform', 'grafana', []],
    ['realtime-platform', 'mysql', []],
    ['realtime-platform', 'mongodb', []],
    ['iot-broker', 'users', []],
  ])(
    '%s with %s %j renders no renamed key and no old protocol or mechanism',
    async (chart, fixture, set: string[]) => {
      const render = await renderCopy(chart, fixture, ...set);
      const strings = renderedStrings(render.objects);
      const stale = Object.fromEntries(
        [...readKeys, ...platformKeys, security.protocol, security.saslMechanism]
          .map((word) => [word, occurrences(strings, word)] as const)
          .filter(([, where]) => where.length > 0),
      );
      expect(stale).toEqual({});
      // Every reference to a Secret the chart renders finds its key there.
      for (const { secret, key } of secretReferences(render)) {
        expect({ secret, key, found: key in render.secretData(secret) }).toEqual({
          secret,
          key,
          found: true,
        });
      }
    },
  );

  it("writes {name}-lenses-hq-admin with the contract's keys and refuses Lenses subcharts naming others", async () => {
    const render = await renderCopy('realtime-platform', 'lenses', ...renamedHqAdminValues);
    expect(Object.keys(render.secretData('health-data-lenses-hq-admin')).sort()).toEqual(
      Object.values(hqAdminKeys).map(renamed).sort(),
    );
    // The subcharts' default auth.secretKeys name the keys of the unrenamed contract.
    const failure = await renderCopy('realtime-platform', 'lenses').then(
      () => 'rendered',
      (error: unknown) => String(error),
    );
    expect(failure).toContain('the Lenses subcharts are not wired to this platform');
    for (const value of renamedHqAdminValues) expect(failure).toContain(value);
  });

  it.each([
    ['realtime-platform', 'minimal', []],
    ['realtime-platform', 'every-option', []],
    ['realtime-platform', 'kafka-cluster', []],
    ['realtime-platform', 'lenses', renamedHqAdminValues],
    ['realtime-platform', 'grafana', []],
    ['iot-broker', 'users', []],
  ])('%s NOTES.txt with %s names no renamed key', async (chart, fixture, set: string[]) => {
    const notes = [{ at: 'NOTES.txt', text: await copyNotes(copy, chart, fixture, ...set) }];
    const stale = Object.fromEntries(
      [...readKeys, ...platformKeys, security.protocol, security.saslMechanism]
        .map((word) => [word, occurrences(notes, word)] as const)
        .filter(([, where]) => where.length > 0),
    );
    expect(stale).toEqual({});
  });

  it.each([
    ['realtime-platform', 'minimal'],
    ['realtime-platform', 'every-option'],
    ['realtime-platform', 'kafka-cluster'],
    ['realtime-platform', 'grafana'],
    ['iot-broker', 'users'],
  ] as const)(
    "%s NOTES.txt with %s prints the contract's ports, URL schemes and paths",
    async (chart, fixture) => {
      const notes = await copyNotes(moved, chart, fixture);
      const contract = chartContract(chart) as {
        ports: Record<string, Record<string, number>>;
        secrets: { keys: { format?: string; scheme?: string; path?: string }[] }[];
      };
      const ports = Object.values(contract.ports).flatMap((byName) => Object.values(byName));
      const urls = contract.secrets
        .flatMap((secret) => secret.keys)
        .filter((key) => key.format === 'url');
      const typed = [
        ...ports.filter((port) => new RegExp(`(^|[^0-9])${port}([^0-9]|$)`).test(notes)),
        ...urls.flatMap(({ scheme, path }) => [
          ...(notes.includes(`${scheme}://`) ? [`${scheme}://`] : []),
          ...(path && notes.includes(path) ? [path] : []),
        ]),
      ];
      expect(typed).toEqual([]);
      // It still prints them: moved.
      expect(notes).toMatch(
        new RegExp(`${movedScheme('mqtt')}://\\S+:${movedPort(contract.ports.mqtt?.mqtt ?? 0)}`),
      );
    },
  );

  it('gives the brokers, Connect and the Schema Registry the contract protocol and mechanism', async () => {
    const single = renderedStrings((await renderCopy('realtime-platform', 'minimal')).objects);
    expect(occurrences(single, otherSecurity.protocol).length).toBeGreaterThanOrEqual(5);
    expect(occurrences(single, otherSecurity.saslMechanism).length).toBeGreaterThanOrEqual(5);
    const cluster = await renderCopy('realtime-platform', 'kafka-cluster');
    const properties = cluster.configMapData('health-data-kafka-cluster')['broker.properties'];
    expect(properties).toContain(
      `sasl.mechanism.inter.broker.protocol=${otherSecurity.saslMechanism}`,
    );
    expect(properties).toContain(`CLIENT:${otherSecurity.protocol}`);
  });

  it("names the three-broker Kafka's headless Services and controllers as the contract does", async () => {
    const original = (
      JSON.parse(
        await readFile(join(chartsRoot, 'realtime-platform', 'files', 'contract.json'), 'utf8'),
      ) as {
        kafkaCluster: { names: { brokerHeadless: string; controller: string } };
      }
    ).kafkaCluster.names;
    const cluster = await renderCopy('realtime-platform', 'kafka-cluster');
    const strings = renderedStrings(cluster.objects);
    for (const typed of [original.brokerHeadless, original.controller]) {
      expect(strings.filter(({ text }) => text.includes(typed))).toEqual([]);
    }
    expect(
      cluster.get('Service', `health-data-${renamedClusterNames.brokerHeadless}`),
    ).toBeDefined();
    expect(
      cluster.get('StatefulSet', `health-data-${renamedClusterNames.controller}`),
    ).toBeDefined();
    expect(
      cluster.get('NetworkPolicy', `health-data-${renamedClusterNames.controller}`),
    ).toBeDefined();
    const properties = cluster.configMapData('health-data-kafka-cluster')['broker.properties'];
    expect(properties).toMatch(
      new RegExp(
        `controller\\.quorum\\.voters=\\d+@health-data-${renamedClusterNames.controller}-0\\.health-data-${renamedClusterNames.controller}\\.`,
      ),
    );
  });

  it('gives every container running a Kafka script the contract protocol and mechanism', async () => {
    const scripts = [
      'ensure-topics.sh',
      'ensure-acls.sh',
      'ensure-scram-users.sh',
      'start-kafka-node.sh',
    ];
    for (const [fixture, expected] of [
      ['minimal', ['topics', 'acls', 'kafka']],
      ['kafka-cluster', ['topics', 'acls', 'controller', 'broker']],
    ] as const) {
      const render = await renderCopy('realtime-platform', fixture);
      const running = workloadsOf(render).flatMap(({ template }) =>
        containersOf(template).filter((container) => {
          const { command = [], lifecycle } = container as typeof container & {
            lifecycle?: { postStart?: { exec?: { command?: string[] } } };
          };
          return [...command, ...(lifecycle?.postStart?.exec?.command ?? [])].some((word) =>
            scripts.some((script) => word.endsWith(`/${script}`)),
          );
        }),
      );
      expect(running.map(({ name }) => name).sort()).toEqual([...expected].sort());
      for (const container of running) {
        expect({ container: container.name, env: kafkaSecurityEnv(container) }).toEqual({
          container: container.name,
          env: {
            SECURITY_PROTOCOL: otherSecurity.protocol,
            SASL_MECHANISM: otherSecurity.saslMechanism,
          },
        });
      }
    }
  });

  it('leaves the Kafka security out of every script: no script types a protocol or mechanism', async () => {
    const dir = join(chartsRoot, 'realtime-platform', 'files', 'scripts');
    const words = [...Object.values(security), ...Object.values(otherSecurity)];
    const typed: string[] = [];
    for (const file of (await readdir(dir)).filter((name) => name.endsWith('.sh'))) {
      const text = await readFile(join(dir, file), 'utf8');
      for (const word of words) {
        if (new RegExp(`(^|[^A-Za-z0-9_-])${word}([^A-Za-z0-9_-]|$)`).test(text)) {
          typed.push(`${file}: ${word}`);
        }
      }
    }
    expect(typed).toEqual([]);
  });

  it('composes DB_URL from the renamed keys and points the reader Secret at them', async () => {
    const render = await renderCopy('realtime-platform', 'minimal');
    const db = contractSecrets.find((secret) => secret.id === 'db');
    const url = db?.keys.find((key) => key.parts);
    const data = render.secretData('health-data-db-secret');
    const parts = url?.parts ?? {};
    expect(data[url?.key ?? '']).toContain(
      `@${data[renamed(parts.host ?? '')]}:${data[renamed(parts.port ?? '')]}/${data[renamed(parts.database ?? '')]}`,
    );
    expect(Object.keys(render.secretData('health-data-db-reader-secret')).sort()).toEqual(
      Object.keys(data).sort(),
    );
  });
});
