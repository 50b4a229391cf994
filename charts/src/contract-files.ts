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
  claimSpecSchema,
  databaseEngineCatalog,
  databases,
  defaultTopicCatalog,
  defaultTopicPartitions,
  deviceAclRules,
  dlqSuffix,
  dlqTopicPartitions,
  kafkaAclLine,
  kafkaPrincipalCatalog,
  maxPlatformNameLength,
  mqttRoleCatalog,
  mqttTlsPort,
  mqttUsernamePattern,
  parseClaimSpec,
  planKafkaAccess,
  platformNamePattern,
  retentionUnitMs,
  secretCatalog,
  secretKeyPattern,
  serviceCatalog,
  serviceDefinition,
  type ClaimJsonSchema,
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
 * realtime-platform chart all of platformContract, the iot-broker chart its Service's ports and the
 * MQTT part.
 */
export function chartContract(chart: (typeof contractCharts)[number]): Record<string, unknown> {
  const contract = platformContract() as { $comment: string; ports: Record<string, unknown> };
  if (chart === 'realtime-platform') return contract;
  const { $comment, ports, mqtt } = contract as typeof contract & { mqtt: unknown };
  return { $comment, ports: { mqtt: ports.mqtt }, mqtt };
}

/**
 * The contract values the charts' templates read (`.Files.Get "files/contract.json" | fromJson`):
 * - `ports`: every Service's ports, {service suffix: {port name: number}} (the Service is
 *   `{name}-<suffix>`);
 * - `secrets`: the five Secrets applications load, in the contract's envFrom order;
 * - `mqtt`: the MQTT roles (their Secret, user name prefix and ACL rules, in the contract's
 *   order), a device's ACL rules and the MQTT over TLS port;
 * - `kafkaPrincipals`: the Kafka SCRAM principals in the contract's order, each with its user
 *   name, Secret suffix, super-user flag and the claim condition that deploys it (absent: always);
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
    secrets: secretCatalog.map((secret) => ({ id: secret.id, suffix: secret.suffix })),
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
      acls: kafkaAclTemplate(principal.id, principal.enabledWhen),
    })),
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
  const template = aclLines(id, { ...spec, topics: [{ name: declaredTopicPlaceholder, partitions: defaultTopicPartitions }] });
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

/** What withContractSchema owns in each chart's values.schema.json (its root $comment says it). */
const contractSchemaParts: Record<string, string> = {
  'realtime-platform':
    'properties.platform (the claim schema) and the first allOf rule (unknown platform fields)',
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
    copy.allOf = allOf;
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
