import {
  claimSpecSchema,
  contractErrorDocs,
  contractErrors,
  databaseCatalog,
  defaultTopicCatalog,
  defaultTopicPartitions,
  describeCondition,
  describePlatform,
  deviceAclRules,
  dlqSuffix,
  dlqTopicPartitions,
  endpointPortName,
  kafkaPrincipalCatalog,
  maxPlatformNameLength,
  mosquittoBrokerSettings,
  mosquittoSettingsConf,
  mqttOutagePlan,
  mqttRoleCatalog,
  nameBudget,
  platformSecretCatalog,
  resolveEndpoint,
  runtimeEnvCatalog,
  serviceCatalog,
  snowflakeCredentialKeys,
  type ClaimJsonSchema,
  type ContractErrorKey,
  type PlatformModel,
  type SecretKeyDefinition,
} from '@realtime-platform/platform-contract';

/** The README regions generated from the model, between `<!-- contract:<id>:start/end -->`. */
export const readmeSections = [
  'services',
  'secrets',
  'platform-secrets',
  'runtime-env',
  'topics',
  'kafka-principals',
  'mqtt-access',
  'claim',
  'name-budget',
  'databases',
  'snowflake',
  'errors',
] as const;
export type ReadmeSection = (typeof readmeSections)[number];

/** The platform the README examples describe: `health-data` in `apps`, every optional service on. */
export function examplePlatform(): PlatformModel {
  return describePlatform({
    namespace: 'apps',
    claim: { name: 'health-data', streamProcessing: 'lenses' },
  });
}

const cell = (text: string): string => text.replaceAll('|', '\\|');
const code = (text: string): string => `\`${text}\``;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

function servicesSection(): string {
  return table(
    ['Service', 'Ports', 'Deployed when', 'Example host', 'What'],
    serviceCatalog.map((service) => [
      code(`{name}-${service.suffix}`),
      service.ports.map((port) => `${code(port.name)} ${port.port}`).join(', '),
      describeCondition(service.enabledWhen),
      code(`health-data-${service.suffix}.apps.svc.cluster.local`),
      service.description,
    ]),
  );
}

function example(platform: PlatformModel, key: SecretKeyDefinition): string {
  switch (key.kind) {
    case 'credential':
      return '(generated)';
    case 'setting':
      return code(key.value(platform.spec));
    case 'endpoint':
      return code(resolveEndpoint(platform, key).value);
    case 'connection':
      return '(composed)';
  }
}

function kindOf(key: SecretKeyDefinition): string {
  if (key.kind === 'connection') return 'connection URL (from the keys above)';
  if (key.kind !== 'endpoint') return key.kind;
  return `endpoint (${key.services.map((id) => `${id}/${endpointPortName(key, id)}`).join(' or ')})`;
}

function secretsSection(): string {
  const platform = examplePlatform();
  return platform.secrets
    .map((secret) => {
      const { definition } = secret;
      const heading = `#### ${code(`{name}-${definition.suffix}`)} — ${definition.description}`;
      const when =
        definition.enabledWhen === undefined
          ? 'Always filled.'
          : `Filled when ${code(describeCondition(definition.enabledWhen))}; otherwise it holds only ${code(`${definition.prefix}ENABLED: "false"`)}.`;
      const rows = definition.keys.map((key) => [
        code(key.key),
        key.description,
        example(platform, key),
        kindOf(key),
        key.kind === 'credential'
          ? key.sensitive
            ? 'yes, sensitive'
            : 'yes'
          : key.kind === 'connection'
            ? 'carries one, sensitive'
            : 'no',
      ]);
      return [
        heading,
        '',
        `Prefix ${code(definition.prefix)}. ${when}`,
        '',
        table(['Key', 'Meaning', 'Example', 'Kind', 'Credential?'], rows),
      ].join('\n');
    })
    .join('\n\n');
}

function runtimeEnvSection(): string {
  return table(
    ['Variable', 'Default', 'Read by', 'Set by', 'Meaning'],
    runtimeEnvCatalog.map((variable) => [
      code(variable.name),
      'required' in variable
        ? 'required'
        : 'default' in variable
          ? code(variable.default)
          : 'optional',
      variable.readBy,
      variable.setBy.join(', '),
      variable.description,
    ]),
  );
}

function topicsSection(): string {
  const rows = defaultTopicCatalog.map((topic) => [
    code(topic.name),
    topic.role,
    String(defaultTopicPartitions),
    topic.source,
    topic.description,
  ]);
  return [
    table(['Topic', 'Role', 'Partitions', 'Records come from', 'Content'], rows),
    '',
    `Every topic, declared ones included, has a dead-letter topic ${code(`<topic>${dlqSuffix}`)} with ${dlqTopicPartitions} partition and the same retention. Retention is ${code('dataRetention')} unless a declared topic sets its own.`,
  ].join('\n');
}

function constraints(schema: ClaimJsonSchema): string {
  const parts: string[] = [];
  if (schema.enum !== undefined) parts.push(schema.enum.map((v) => code(String(v))).join(', '));
  if (schema.pattern !== undefined) parts.push(`pattern ${code(schema.pattern)}`);
  if (schema.minLength !== undefined) parts.push(`min length ${schema.minLength}`);
  if (schema.maxLength !== undefined) parts.push(`max length ${schema.maxLength}`);
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.maxItems !== undefined) parts.push(`at most ${schema.maxItems} entries`);
  const keys = schema['x-kubernetes-list-map-keys'];
  if (keys !== undefined) parts.push(`unique ${keys.join(', ')}`);
  const rules = [
    ...(schema['x-kubernetes-validations'] ?? []),
    ...(schema.type === 'array' ? (schema.items?.['x-kubernetes-validations'] ?? []) : []),
  ];
  for (const rule of rules) parts.push(rule.message);
  return parts.join('; ');
}

function claimRows(
  schema: ClaimJsonSchema,
  path: string,
  required: boolean,
): (readonly string[])[] {
  const row = [
    code(path),
    schema.type,
    required
      ? 'required'
      : schema.default === undefined
        ? '—'
        : code(JSON.stringify(schema.default)),
    constraints(schema),
    schema.description ?? '',
  ];
  const child = schema.type === 'array' ? schema.items : schema;
  const prefix = schema.type === 'array' ? `${path}[]` : path;
  const nested = Object.entries(child?.properties ?? {}).flatMap(([key, sub]) =>
    claimRows(sub, `${prefix}.${key}`, child?.required?.includes(key) ?? false),
  );
  return [row, ...nested];
}

function mqttAccessSection(): string {
  const rules = (list: readonly { access: string; topic: string }[]): string =>
    list.map((rule) => `${rule.access} ${code(rule.topic)}`).join(', ');
  const { outageSeconds, readingsPerSecond } = mqttOutagePlan;
  return [
    table(
      ['Identity', 'Credentials in', 'May', 'Who'],
      [
        ...mqttRoleCatalog.map((role) => [
          code(role.role),
          code(`{name}-${role.secretSuffix}`),
          rules(role.rules),
          role.description,
        ]),
        [
          'device',
          'its own user (`mqttUsers`; its password in a Secret named by `passwordSecretRef`, read only by the broker), user name = deviceId',
          rules(deviceAclRules('<deviceId>')),
          'one device, bound to its deviceId (the bridge dead-letters a reading whose deviceId differs from the topic)',
        ],
      ],
    ),
    '',
    `Broker settings (\`mosquittoSettingsConf\`), sized for a Kafka outage of ${outageSeconds / 60} minutes at ${readingsPerSecond} readings/s per bridge session:`,
    '',
    '```',
    ...mosquittoSettingsConf(mosquittoBrokerSettings),
    '```',
  ].join('\n');
}

function claimSection(): string {
  const rows = claimRows(claimSpecSchema, 'spec', true).slice(1);
  return [
    table(['Field', 'Type', 'Default', 'Allowed', 'Description'], rows),
    '',
    `Whole-spec rule: ${claimSpecSchema['x-kubernetes-validations'].map((r) => r.message).join('; ')}.`,
  ].join('\n');
}

function nameBudgetSection(): string {
  return [
    `The longest platform name is **${maxPlatformNameLength}** characters, the tightest of:`,
    '',
    table(
      ['Derived name', 'Limit', 'Why', 'Name budget'],
      [...nameBudget]
        .sort((a, b) => a.budget - b.budget)
        .map((e) => [code(e.derived), String(e.limit), e.why, String(e.budget)]),
    ),
  ].join('\n');
}

function databasesSection(): string {
  return table(
    ['Database', 'Used by', 'Created when'],
    databaseCatalog.map((db) => [code(db.name), db.usedBy, describeCondition(db.enabledWhen)]),
  );
}

function snowflakeSection(): string {
  return table(
    ['Key', 'Required', 'Default', 'Meaning'],
    snowflakeCredentialKeys.map((key) => [
      code(key.key),
      key.required ? 'yes' : 'no',
      key.default === undefined ? '—' : code(key.default),
      key.description,
    ]),
  );
}

/** Each principal with its grants for the example platform (declared topics would add rows). */
function kafkaPrincipalsSection(): string {
  const spec = describePlatform({ namespace: 'apps', claim: { name: 'health-data' } }).spec;
  return table(
    ['Principal', 'Secret', 'Runs when', 'Used by', 'ACLs (ALLOW unless DENY)', 'Schema Registry'],
    kafkaPrincipalCatalog.map((principal) => [
      code(`User:${principal.username}`),
      code(`{name}-${principal.secretSuffix}`),
      describeCondition(principal.enabledWhen),
      principal.usedBy,
      principal.superUser
        ? 'super user (`super.users`): no ACL applies'
        : principal
            .grants(spec)
            .map(
              (grant) =>
                `${grant.permission === 'DENY' ? 'DENY ' : ''}${grant.operations.join('+')} ${grant.resourceType.toLowerCase()} ${grant.patternType === 'PREFIXED' ? 'prefix ' : ''}${code(grant.resourceName)}`,
            )
            .join('; '),
      principal.schemaRegistry,
    ]),
  );
}

/** The Secrets only the platform's components load, key by key. */
function platformSecretsSection(): string {
  return table(
    ['Secret', 'Key', 'Holds', 'Loaded by (chart component)', 'Exists when'],
    platformSecretCatalog.flatMap((secret) =>
      secret.keys.map((key, index) => [
        index === 0 ? code(`{name}-${secret.suffix}`) : '',
        code(key.key),
        index === 0 ? `${key.description} (${secret.description})` : key.description,
        index === 0 ? secret.loadedBy.map(code).join(', ') : '',
        index === 0
          ? describeCondition('enabledWhen' in secret ? secret.enabledWhen : undefined)
          : '',
      ]),
    ),
  );
}

function errorsSection(): string {
  return table(
    ['Code', 'When'],
    (Object.keys(contractErrorDocs) as ContractErrorKey[]).map((key) => [
      code(contractErrors[key].code),
      contractErrorDocs[key],
    ]),
  );
}

const renderers: Record<ReadmeSection, () => string> = {
  services: servicesSection,
  secrets: secretsSection,
  'platform-secrets': platformSecretsSection,
  'runtime-env': runtimeEnvSection,
  topics: topicsSection,
  'kafka-principals': kafkaPrincipalsSection,
  'mqtt-access': mqttAccessSection,
  claim: claimSection,
  'name-budget': nameBudgetSection,
  databases: databasesSection,
  snowflake: snowflakeSection,
  errors: errorsSection,
};

export function renderReadmeSection(section: ReadmeSection): string {
  return renderers[section]();
}

/**
 * `readme` with every generated region rewritten from the model. A README in sync comes back
 * unchanged; `npm run docs` writes the result. Throws when a region's markers are missing.
 */
export function syncReadme(readme: string): string {
  let result = readme;
  for (const section of readmeSections) {
    const start = `<!-- contract:${section}:start -->`;
    const end = `<!-- contract:${section}:end -->`;
    const from = result.indexOf(start);
    const to = result.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README has no ${start} … ${end} region`);
    result = `${result.slice(0, from + start.length)}\n${renderReadmeSection(section)}\n${result.slice(to)}`;
  }
  return result;
}
