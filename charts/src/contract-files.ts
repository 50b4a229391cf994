// The charts' files that come from @realtime-platform/platform-contract, so no chart re-types a
// contract value: each chart's files/contract.json (read by its templates with .Files.Get) and the
// contract-owned parts of its values.schema.json. `npx nx run charts:build` writes them
// (scripts/generate-contract-files.js); test/generated-files.test.ts fails when a committed file
// differs from what this returns, like the addon's generated CUE.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  applicationDatabaseName,
  claimCelRules,
  claimSpecSchema,
  conditionHolds,
  databaseEngineCatalog,
  databases,
  defaultTopicCatalog,
  defaultTopicPartitions,
  deviceAclRules,
  dlqSuffix,
  dlqTopicPartitions,
  endpointPortName,
  kafkaAclLine,
  kafkaBrokerCounts,
  kafkaBrokerStatefulSetSuffix,
  kafkaClusterPorts,
  kafkaControllerSuffix,
  kafkaControllerCount,
  kafkaControllerNodeIdBase,
  kafkaHeadlessServiceSuffix,
  kafkaPrincipalCatalog,
  kafkaReplicationSettings,
  type KafkaBrokerCount,
  kafkaSaslMechanism,
  kafkaSecurityProtocols,
  kafkaSuperUsers,
  maxPlatformNameLength,
  mqttRoleCatalog,
  mqttTlsPort,
  mqttUsernamePattern,
  platformSecretCatalog,
  parseClaimSpec,
  planKafkaAccess,
  platformNamePattern,
  retentionUnitMs,
  secretCatalog,
  secretKeyPattern,
  serviceCatalog,
  serviceDefinition,
  streamProcessors,
  visualizations,
  type ClaimJsonSchema,
  type SecretDefinition,
  type SecretKeyDefinition,
  type KafkaPrincipalId,
  type RealtimePlatformSpec,
  type SpecCondition,
} from '@realtime-platform/platform-contract';
import * as prettier from 'prettier';

/** charts/ of the repository. */
export const chartsRoot = fileURLToPath(new URL('..', import.meta.url));

/** The charts whose templates read files/contract.json. */
export const contractCharts = ['iot-broker', 'realtime-platform'] as const;

/**
 * The token the chart replaces with a device's user name in the topics of `mqtt.deviceRules`
 * (replaced in the contract's topic text, never searched for in a user name).
 */
const deviceNamePlaceholder = '{device}';

/**
 * The token the chart replaces with each declared topic in the lines of `kafkaPrincipals[].acls`
 * that depend on the claim's declared topics (replaced in the contract's text, never searched for
 * in a topic name: topic names cannot hold braces).
 */
const declaredTopicPlaceholder = '{topic}';

const generatedNote =
  'Generated from @realtime-platform/platform-contract by charts/scripts/generate-contract-files.js (npx nx run charts:build); do not edit.';

/**
 * The contract values a chart's templates read (`.Files.Get "files/contract.json" | fromJson`): the
 * realtime-platform chart all of platformContract, the iot-broker chart its Service's ports, the
 * MQTT part and {name}-mqtt-secret.
 */
export function chartContract(chart: (typeof contractCharts)[number]): Record<string, unknown> {
  const contract = platformContract() as { $comment: string; ports: Record<string, unknown> };
  if (chart === 'realtime-platform') return contract;
  const { $comment, ports, mqtt, secrets } = contract as typeof contract & {
    mqtt: unknown;
    secrets: { id: string }[];
  };
  // The chart is the contract's MQTT broker: the Service its keys' endpoints point at.
  const service = serviceDefinition('mqtt').suffix;
  return {
    $comment,
    service,
    ports: { [service]: ports[service] },
    mqtt,
    secrets: secrets.filter((secret) => secret.id === 'mqtt'),
  };
}

/**
 * The contract values the charts' templates read (`.Files.Get "files/contract.json" | fromJson`):
 * - `ports`: every Service's ports, {service suffix: {port name: number}} (the Service is
 *   `{name}-<suffix>`);
 * - `secrets`: the five Secrets applications load, in the contract's envFrom order, each with
 *   the claim condition enabling it, its keys (chartSecret: how each key's value is made) and the
 *   names of its login's keys (`login`), which the templates use to read stored credentials and
 *   to point `secretKeyRef`s at;
 * - `kafkaSecurity`: the security protocol and SASL mechanism of the brokers' client listeners,
 *   those the kafka secret tells clients to use (kafkaSecurity);
 * - `platformSecrets`: the key names of the platform's own Secrets (platformSecretCatalog),
 *   {suffix: {key id: key name}} (platformSecretKeys), which the templates write and read the
 *   keys by (realtime-platform.v1.platformKeys);
 * - `mqtt`: the MQTT roles (their Secret, user name prefix and ACL rules, in the contract's
 *   order), a device's ACL rules and the MQTT over TLS port;
 * - `kafkaPrincipals`: the Kafka SCRAM principals in the contract's order, each with its user
 *   name, Secret suffix, super-user flag, Schema Registry access, the claim condition that
 *   deploys it (absent: always) and its ACL lines (kafkaAclTemplate), with
 *   `kafkaAclDeclaredTopics` for the lines repeated per declared topic, and the brokers'
 *   `kafkaSuperUsers`;
 * - `kafkaCluster`: the multi-broker Kafka (the largest of kafkaBrokerCounts): its brokers, its
 *   KRaft controllers and their first node id, the brokers' durability settings
 *   (kafkaReplicationSettings), the ports between its pods (kafkaClusterPorts) and the names of
 *   its StatefulSets and headless Services (kafkaBrokerStatefulSetSuffix,
 *   kafkaHeadlessServiceSuffix, kafkaControllerSuffix);
 * - `topics`: the default topics (name, role), the partitions of a topic and of a dead-letter
 *   topic, the dead-letter suffix and the retention units (retentionUnits);
 * - `applicationDatabase` and `databaseEngines`: the applications' database name, and per
 *   `spec.database` the engine's Service (its port has the same name) and DB_URL's scheme and
 *   query.
 */
export function platformContract(): Record<string, unknown> {
  return {
    $comment: generatedNote,
    ports: Object.fromEntries(
      serviceCatalog.map((service) => [
        service.suffix,
        Object.fromEntries(service.ports.map((port) => [port.name, port.port])),
      ]),
    ),
    secrets: (secretCatalog as readonly SecretDefinition[]).map(chartSecret),
    kafkaSecurity: kafkaSecurity(),
    platformSecrets: platformSecretKeys(),
    mqtt: {
      tlsPort: mqttTlsPort,
      roles: mqttRoleCatalog.map((entry) => ({
        role: entry.role,
        secretSuffix: entry.secretSuffix,
        usernamePrefix: entry.usernamePrefix,
        rules: entry.rules,
      })),
      // A device's rules with `{device}` where its user name (its deviceId) goes.
      deviceRules: deviceAclRules(deviceNamePlaceholder),
    },
    kafkaPrincipals: kafkaPrincipalCatalog.map((principal) => ({
      id: principal.id,
      username: principal.username,
      secretSuffix: principal.secretSuffix,
      superUser: principal.superUser,
      ...(principal.enabledWhen ? { enabledWhen: principal.enabledWhen } : {}),
      schemaRegistry: principal.schemaRegistry,
      acls: kafkaAclTemplate(principal.id, principal.enabledWhen),
    })),
    kafkaSuperUsers: brokerSuperUsers(),
    kafkaCluster: {
      brokers: Math.max(...kafkaBrokerCounts),
      controllers: kafkaControllerCount,
      controllerNodeIdBase: kafkaControllerNodeIdBase,
      replication: kafkaReplicationSettings(Math.max(...kafkaBrokerCounts) as KafkaBrokerCount),
      ports: kafkaClusterPorts,
      names: {
        broker: kafkaBrokerStatefulSetSuffix,
        brokerHeadless: kafkaHeadlessServiceSuffix,
        controller: kafkaControllerSuffix,
      },
    },
    kafkaAclDeclaredTopics: {
      placeholder: declaredTopicPlaceholder,
      without: declaredTopicsWithoutAcls(),
    },
    topics: {
      defaults: defaultTopicCatalog.map((topic) => ({ name: topic.name, role: topic.role })),
      partitions: defaultTopicPartitions,
      dlqPartitions: dlqTopicPartitions,
      dlqSuffix,
      retentionUnits: retentionUnits(),
    },
    applicationDatabase: applicationDatabaseName,
    databaseEngines: Object.fromEntries(
      databases.map((type) => {
        const engine = databaseEngineCatalog[type];
        return [
          type,
          {
            service: serviceDefinition(engine.service).suffix,
            scheme: engine.urlScheme,
            query: engine.urlQuery(applicationDatabaseName),
          },
        ];
      }),
    ),
  };
}

/** The claim options a Secret's settings may follow (the fields of the contract's SpecCondition). */
const settingFields = ['database', 'visualization', 'streamProcessing', 'iot'] as const;

/** Every combination of the claim options settings and conditions depend on, else defaults. */
function claimSamples(): RealtimePlatformSpec[] {
  const samples: RealtimePlatformSpec[] = [];
  for (const database of databases)
    for (const visualization of visualizations)
      for (const streamProcessing of streamProcessors)
        for (const iot of [true, false])
          samples.push({ ...defaultSpec(), database, visualization, streamProcessing, iot });
  return samples;
}

/**
 * One key of a contract Secret as the chart renders it (realtime-platform.v1.contractSecretData,
 * iot-broker.v1.roleSecretData), with every function of the catalog evaluated here:
 * - endpoint: its format (host, port, url with scheme and path, bootstrap) and the candidate
 *   Services in order, each with its port's name and the claim condition that deploys it (the key
 *   points at the first deployed one, as resolveEndpoint);
 * - credential: `login` says whether it takes the login's user name or its password;
 * - setting: `flag` ("true"/"false": the Secret is enabled), `value` (the same for every claim) or
 *   `field` (that claim option, as text), whichever the catalog's value function is on every
 *   combination of claim options; anything else fails the build;
 * - connection: composed from the Secret's other keys (DB_URL, the chart's databaseUrl), named in
 *   `parts` (connectionParts).
 */
export function chartSecretKey(
  secret: SecretDefinition,
  key: SecretKeyDefinition,
): Record<string, unknown> {
  switch (key.kind) {
    case 'endpoint':
      return {
        key: key.key,
        kind: key.kind,
        format: key.format,
        ...(key.scheme ? { scheme: key.scheme } : {}),
        ...(key.path ? { path: key.path } : {}),
        services: key.services.map((id) => {
          const service = serviceDefinition(id);
          return {
            service: service.suffix,
            port: endpointPortName(key, id),
            ...(service.enabledWhen ? { enabledWhen: service.enabledWhen } : {}),
          };
        }),
      };
    case 'credential':
      return { key: key.key, kind: key.kind, login: key.sensitive ? 'password' : 'username' };
    case 'connection':
      return { key: key.key, kind: key.kind, parts: connectionParts(secret) };
    case 'setting': {
      const samples = claimSamples();
      const values = samples.map((spec) => key.value(spec));
      const everywhere = (expected: (spec: RealtimePlatformSpec) => string): boolean =>
        samples.every((spec, index) => values[index] === expected(spec));
      if (key.format === 'flag') {
        if (everywhere((spec) => String(conditionHolds(secret.enabledWhen, spec)))) {
          return { key: key.key, kind: key.kind, flag: true };
        }
      } else if (new Set(values).size === 1) {
        return { key: key.key, kind: key.kind, value: values[0] };
      } else {
        const field = settingFields.find((name) => everywhere((spec) => String(spec[name])));
        if (field) return { key: key.key, kind: key.kind, field };
      }
      throw new Error(
        `${key.key}: the chart renders a setting that is its Secret's enabled flag, a constant or a claim option; this one is none`,
      );
    }
  }
}

/** The one key of `secret` that `matches`, which must exist and be alone. */
function onlyKey(
  secret: SecretDefinition,
  what: string,
  matches: (key: SecretKeyDefinition) => boolean,
): string {
  const found = secret.keys.filter(matches);
  if (found.length !== 1) {
    const count = found.length === 0 ? 'no key holds' : 'more than one key holds';
    throw new Error(`${secret.suffix}: ${count} ${what}; the chart needs exactly one`);
  }
  return (found[0] as SecretKeyDefinition).key;
}

/**
 * The names of a Secret's login keys ({username, password}, each when it has one), or undefined
 * when it holds no credential: the templates read stored logins and point secretKeyRefs at these
 * names. A Secret holds one login at most (more than one user name or password fails), so the
 * chart fills credential keys from it.
 */
export function secretLogin(
  secret: SecretDefinition,
): { username?: string; password?: string } | undefined {
  const credential = (sensitive: boolean, what: string): Record<string, string> => {
    const found = secret.keys.filter(
      (key) => key.kind === 'credential' && key.sensitive === sensitive,
    );
    if (found.length > 1) throw new Error(`${secret.suffix}: more than one key holds ${what}`);
    return found[0] ? { [sensitive ? 'password' : 'username']: found[0].key } : {};
  };
  const login = { ...credential(false, 'a user name'), ...credential(true, 'a password') };
  return Object.keys(login).length ? login : undefined;
}

/**
 * The keys a connection key is composed from (the chart's databaseUrl): the login, the endpoint's
 * host and port, the database's name (the `name` setting) and the engine (the `enum` setting its
 * scheme follows); each must be the only one of its kind. The templates also name the db secret's
 * keys by these roles (databaseKeys).
 */
export function connectionParts(secret: SecretDefinition): Record<string, string> {
  const endpoint = (format: string) => (key: SecretKeyDefinition) =>
    key.kind === 'endpoint' && key.format === format;
  return {
    username: onlyKey(secret, 'a user name', (key) => key.kind === 'credential' && !key.sensitive),
    password: onlyKey(secret, 'a password', (key) => key.kind === 'credential' && key.sensitive),
    host: onlyKey(secret, 'a host', endpoint('host')),
    port: onlyKey(secret, 'a port', endpoint('port')),
    database: onlyKey(secret, 'a name', (key) => key.kind === 'setting' && key.format === 'name'),
    // The engine the URL's scheme follows (ConnectionKeyDefinition.schemes).
    type: onlyKey(secret, 'a type', (key) => key.kind === 'setting' && key.format === 'enum'),
  };
}

/**
 * A contract Secret as the charts render it: its id and suffix, the claim condition that enables
 * it (absent: always), its keys in the catalog's order (chartSecretKey) and the names of its
 * login's keys (secretLogin; absent without credentials).
 */
export function chartSecret(secret: SecretDefinition): Record<string, unknown> {
  const login = secretLogin(secret);
  return {
    id: secret.id,
    suffix: secret.suffix,
    ...(secret.enabledWhen ? { enabledWhen: secret.enabledWhen } : {}),
    ...(login ? { login } : {}),
    keys: secret.keys.map((key) => chartSecretKey(secret, key)),
  };
}

/**
 * The key names of the platform's own Secrets by Secret suffix and key id (the catalog's `id`,
 * what the templates name a key by): {"db-admin-secret": {"superuserPassword":
 * "POSTGRES_PASSWORD"}, ...}. Two keys of one Secret with the same id fail the build.
 */
export function platformSecretKeys(): Record<string, Record<string, string>> {
  return Object.fromEntries(
    platformSecretCatalog.map((secret) => {
      const keys: Record<string, string> = {};
      for (const { id, key } of secret.keys) {
        if (id in keys) throw new Error(`${secret.suffix}: more than one key has the id ${id}`);
        keys[id] = key;
      }
      return [secret.suffix, keys];
    }),
  );
}

/**
 * The security protocol and SASL mechanism the brokers' client listeners use: the values the
 * kafka secret tells clients (its setting among kafkaSecurityProtocols, which must be the same for
 * every claim) and the contract's kafkaSaslMechanism, so listeners and clients cannot disagree.
 */
export function kafkaSecurity(): { protocol: string; saslMechanism: string } {
  const kafka = (secretCatalog as readonly SecretDefinition[]).find((s) => s.id === 'kafka');
  const setting = kafka?.keys.find(
    (key) => key.kind === 'setting' && key.values === kafkaSecurityProtocols,
  );
  if (!kafka || setting?.kind !== 'setting') {
    throw new Error('the kafka secret has no security protocol setting');
  }
  const protocols = new Set(claimSamples().map((spec) => setting.value(spec)));
  if (protocols.size !== 1) throw new Error('the security protocol depends on the claim');
  return { protocol: [...protocols][0] as string, saslMechanism: kafkaSaslMechanism };
}

/** The brokers' `super.users` (kafkaSuperUsers), which must be the same for every claim. */
export function brokerSuperUsers(): string {
  const values = new Set(claimSamples().map(kafkaSuperUsers));
  if (values.size !== 1) throw new Error('super.users depends on the claim; the chart renders one');
  return [...values][0] as string;
}

/** A claim with every default: what the ACL and topic data is planned from. */
const defaultSpec = (): RealtimePlatformSpec => parseClaimSpec({ name: 'contract' });

/** The default claim with `condition` holding, so the principal it enables is planned. */
const specWhere = (condition: SpecCondition | undefined): RealtimePlatformSpec =>
  condition ? { ...defaultSpec(), [condition.field]: condition.equals } : defaultSpec();

/** The ACL lines planKafkaAccess gives a principal for a claim (kafkaAclLine each). */
function aclLines(id: KafkaPrincipalId, spec: RealtimePlatformSpec): string[] {
  const principal = planKafkaAccess(spec).find((planned) => planned.id === id);
  if (!principal) throw new Error(`planKafkaAccess does not plan ${id} where its condition holds`);
  return principal.acls.map(kafkaAclLine);
}

/**
 * A principal's ACL lines (kafkaAclLine, planKafkaAccess's order) where it runs, planned for a
 * claim declaring one topic named `{topic}`: the chart repeats each line holding the placeholder
 * once per declared topic (except kafkaAclDeclaredTopics.without), in place, and keeps the rest.
 * Checked here: the plan without declared topics is exactly the lines without the placeholder.
 */
export function kafkaAclTemplate(
  id: KafkaPrincipalId,
  enabledWhen: SpecCondition | undefined,
): string[] {
  const spec = specWhere(enabledWhen);
  const template = aclLines(id, {
    ...spec,
    topics: [{ name: declaredTopicPlaceholder, partitions: defaultTopicPartitions }],
  });
  const fixed = template.filter((line) => !line.includes(declaredTopicPlaceholder));
  if (JSON.stringify(fixed) !== JSON.stringify(aclLines(id, { ...spec, topics: [] }))) {
    throw new Error(`the ACLs of Kafka principal ${id} are more than lines per declared topic`);
  }
  return template;
}

/**
 * The default topics whose declaration adds no ACL (a declared topic only overrides their
 * partitions and retention, and the ACLs already name them or leave them alone): the chart skips
 * them when it repeats the `{topic}` lines.
 */
export function declaredTopicsWithoutAcls(): string[] {
  const plan = (topics: RealtimePlatformSpec['topics']): string =>
    JSON.stringify(
      kafkaPrincipalCatalog.map((principal) =>
        aclLines(principal.id, { ...specWhere(principal.enabledWhen), topics }),
      ),
    );
  const none = plan([]);
  return defaultTopicCatalog
    .map((topic) => topic.name)
    .filter((name) => plan([{ name, partitions: defaultTopicPartitions }]) === none);
}

/**
 * Per retention unit (`7d`, `2w`, `6m`): its milliseconds and the largest count that stays within
 * 2^53-1 ms (the contract's retentionToMs refuses more), so the chart multiplies and compares but
 * computes no limit.
 */
export function retentionUnits(): Record<string, { ms: number; maxCount: number }> {
  return Object.fromEntries(
    Object.entries(retentionUnitMs).map(([unit, ms]) => [
      unit,
      { ms, maxCount: Math.floor(Number.MAX_SAFE_INTEGER / ms) },
    ]),
  );
}

export interface PropertyNamesRule {
  propertyNames?: { enum: string[] };
  properties?: Record<string, PropertyNamesRule>;
  items?: PropertyNamesRule;
}

/** For every object of a schema: the names it allows (recursively), or undefined for scalars. */
export function propertyNamesRule(schema: ClaimJsonSchema): PropertyNamesRule | undefined {
  if (schema.type === 'object' && schema.properties) {
    const nested: Record<string, PropertyNamesRule> = {};
    for (const [key, child] of Object.entries(schema.properties)) {
      const rule = propertyNamesRule(child);
      if (rule) nested[key] = rule;
    }
    return {
      propertyNames: { enum: Object.keys(schema.properties) },
      ...(Object.keys(nested).length ? { properties: nested } : {}),
    };
  }
  if (schema.type === 'array' && schema.items) {
    const items = propertyNamesRule(schema.items);
    return items ? { items } : undefined;
  }
  return undefined;
}

/**
 * The values.schema.json `allOf` entry that refuses unknown fields under `platform`: the claim
 * schema is a Kubernetes structural schema, without `additionalProperties`, so these rules make
 * Helm refuse a typo as the contract's validateClaimSpec does.
 */
export function unknownClaimFieldsRule(): { properties: { platform: PropertyNamesRule } } {
  const rule = propertyNamesRule(claimSpecSchema as ClaimJsonSchema);
  if (!rule) throw new Error('the claim schema is not an object schema');
  return { properties: { platform: rule } };
}

type JsonObject = Record<string, unknown>;

/** The object at `path` of a schema (each step a property name), which must exist. */
function objectAt(schema: JsonObject, path: readonly string[]): JsonObject {
  let node: unknown = schema;
  for (const step of path) {
    node = (node as JsonObject | undefined)?.[step];
    if (typeof node !== 'object' || node === null) {
      throw new Error(`values.schema.json has no object at ${path.join('.')} (stopped at ${step})`);
    }
  }
  return node as JsonObject;
}

const isUnknownClaimFieldsRule = (entry: unknown): boolean =>
  typeof entry === 'object' &&
  entry !== null &&
  (entry as { properties?: { platform?: { propertyNames?: unknown } } }).properties?.platform
    ?.propertyNames !== undefined;

type Database = (typeof databases)[number];
type Visualization = (typeof visualizations)[number];

/** A JSON Schema rule over `platform` (the claim's spec) in values.schema.json. */
const onPlatform = (schema: JsonObject): JsonObject => ({ properties: { platform: schema } });

/** A regular expression matching `text` literally. */
const literalPattern = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Each of the claim's CEL rules (claimCelRules) as a JSON Schema rule over `platform`, so Helm
 * refuses what the API server would, or null with where the chart refuses it instead (JSON Schema
 * cannot compare two fields; a message naming the field is clearer). Typed by rule name: a new
 * CEL rule fails the build until it has its twin here. The values come from the contract
 * (dlqSuffix) or are typed as its claim values.
 */
const celRuleTwins: Record<keyof typeof claimCelRules, JsonObject | null> = {
  snowflakeSecretMissing: {
    if: onPlatform({
      properties: {
        snowflake: { properties: { enabled: { const: true } }, required: ['enabled'] },
      },
      required: ['snowflake'],
    }),
    then: onPlatform({
      properties: {
        snowflake: {
          required: ['credentialsSecret'],
          properties: { credentialsSecret: { minLength: 1 } },
        },
      },
    }),
  },
  mqttUsersWithoutIot: {
    if: onPlatform({ properties: { mqttUsers: { minItems: 1 } }, required: ['mqttUsers'] }),
    then: onPlatform({ properties: { iot: { const: true } } }),
  },
  topicNameReserved: onPlatform({
    properties: {
      topics: {
        items: { properties: { name: { not: { pattern: `${literalPattern(dlqSuffix)}$` } } } },
      },
    },
  }),
  dashboardCannotReadDatabase: {
    if: onPlatform({
      properties: { database: { const: 'mongodb' satisfies Database } },
      required: ['database'],
    }),
    then: onPlatform({
      properties: { visualization: { not: { const: 'grafana' satisfies Visualization } } },
    }),
  },
  // realtime-platform.v1.validateValues: one message naming both values.
  scalingMinAboveMax: null,
  // realtime-platform.v1.validateValues: the message says where the password goes instead.
  mqttPasswordInline: null,
};

const celRuleComment = /^CEL rule (\w+):/;

/**
 * The allOf rules of the claim's CEL rules (celRuleTwins), each where the committed schema has it
 * (its $comment names the rule), new ones last; the chart's own rules stay as they are.
 */
function withCelRuleTwins(allOf: JsonObject[]): JsonObject[] {
  const twin = (name: keyof typeof claimCelRules): JsonObject => ({
    $comment: `CEL rule ${name}: ${claimCelRules[name].message}.`,
    ...(celRuleTwins[name] as JsonObject),
  });
  const placed = new Set<string>();
  const rules = allOf.flatMap((entry) => {
    const name = celRuleComment.exec(String(entry.$comment ?? ''))?.[1];
    if (name === undefined) return [entry];
    if (!(name in celRuleTwins) || celRuleTwins[name as keyof typeof claimCelRules] === null) {
      return [];
    }
    placed.add(name);
    return [twin(name as keyof typeof claimCelRules)];
  });
  for (const name of Object.keys(celRuleTwins) as (keyof typeof claimCelRules)[]) {
    if (celRuleTwins[name] !== null && !placed.has(name)) rules.push(twin(name));
  }
  return rules;
}

/** What withContractSchema owns in each chart's values.schema.json (its root $comment says it). */
const contractSchemaParts: Record<string, string> = {
  'realtime-platform':
    "properties.platform (the claim schema), the first allOf rule (unknown platform fields) and the rules whose $comment names a CEL rule (the claim's claimCelRules)",
  'iot-broker':
    'the patterns of name, auth.users[].username and auth.users[].passwordSecretRef.key, and the maxLength of name',
};

/**
 * A chart's hand-written values.schema.json with the contract-owned parts written in (the rest is
 * the chart's own: resources, images, the claim's CEL rules written as JSON Schema).
 */
export function withContractSchema(chart: string, schema: JsonObject): JsonObject {
  const { $schema, title, $comment: _previous, ...rest } = structuredClone(schema);
  const copy: JsonObject = {
    $schema,
    title,
    $comment: `Generated from @realtime-platform/platform-contract by charts/scripts/generate-contract-files.js (npx nx run charts:build), do not edit: ${contractSchemaParts[chart] ?? 'nothing'}. The rest is written by hand.`,
    ...rest,
  };
  if (chart === 'realtime-platform') {
    objectAt(copy, ['properties']).platform = structuredClone(claimSpecSchema);
    const allOf = Array.isArray(copy.allOf) ? (copy.allOf as JsonObject[]) : [];
    const at = allOf.findIndex(isUnknownClaimFieldsRule);
    const rule = {
      $comment:
        "Unknown claim fields (typos) are refused: the names each object of the contract's claim schema allows.",
      ...unknownClaimFieldsRule(),
    };
    if (at === -1) allOf.unshift(rule);
    else allOf[at] = rule;
    copy.allOf = withCelRuleTwins(allOf);
  }
  if (chart === 'iot-broker') {
    const name = objectAt(copy, ['properties', 'name']);
    name.pattern = platformNamePattern;
    name.maxLength = maxPlatformNameLength;
    const user = objectAt(copy, ['properties', 'auth', 'properties', 'users', 'items']);
    objectAt(user, ['properties', 'username']).pattern = mqttUsernamePattern;
    objectAt(user, ['properties', 'passwordSecretRef', 'properties', 'key']).pattern =
      secretKeyPattern;
  }
  return copy;
}

async function formatted(path: string, text: string): Promise<string> {
  const options = await prettier.resolveConfig(path);
  return prettier.format(text, { ...options, filepath: path });
}

/**
 * Every generated file by path relative to charts/, formatted like the workspace: each contract
 * chart's files/contract.json and values.schema.json (from the committed schema's hand-written
 * parts).
 */
export async function generatedChartFiles(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const chart of contractCharts) {
    const contractPath = `${chart}/files/contract.json`;
    files[contractPath] = await formatted(
      join(chartsRoot, contractPath),
      JSON.stringify(chartContract(chart)),
    );
    const schemaPath = `${chart}/values.schema.json`;
    const schema = JSON.parse(await readFile(join(chartsRoot, schemaPath), 'utf8')) as JsonObject;
    files[schemaPath] = await formatted(
      join(chartsRoot, schemaPath),
      JSON.stringify(withContractSchema(chart, schema), null, 2),
    );
  }
  return files;
}
