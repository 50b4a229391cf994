import { contractErrors } from '../contract.errors.js';
import { deviceMqttTopic } from '../topics/topic.catalog.js';

/**
 * Who talks to the platform's MQTT broker, and what each may do. Every identity is a user of
 * Mosquitto's password file; what it may touch is a `user` block of Mosquitto's `acl_file`,
 * rendered by `renderMosquittoAcl` (the local harness writes it, the iot-broker chart's test
 * compares its own rendering with it).
 *
 * Roles are generated service identities, one credential each:
 * - `app`: what applications get in the contract's `{name}-mqtt-secret`. Applications read patient
 *   data from Kafka and the WebSocket hub (authorized per device), never from MQTT; over MQTT they
 *   only get their own area `app/#`.
 * - `bridge`: the mqtt-bridge (or Kafka Connect's MQTT source in Lenses mode): reads readings, and
 *   nothing else; writes nothing. Shared subscriptions (`$share/<group>/...`) are checked against
 *   the topic after the group, so replicas may share them.
 * - `gateway`: a trusted publisher of many devices on the requirements' topic `health/device_data`
 *   (a bedside hub that authenticates its own devices, the device simulator). The broker cannot
 *   bind a reading there to a device: whoever holds this credential can publish for any deviceId.
 *
 * Devices are one user each, user name = deviceId, and may publish only to their own topic
 * `health/device_data/<deviceId>`. The broker cannot tell a subscriber who published a message
 * (MQTT 5 user properties are set by the publisher and can be forged; Mosquitto 2.0 adds none), so
 * the binding travels in the topic: the ACL lets a device write only its own topic, and the bridge
 * dead-letters a reading whose `deviceId` differs from the topic's last level.
 *
 * Nobody may read `#`: no rule grants it. Mosquitto 2.0 still answers such a SUBSCRIBE with
 * success, but checks the read rule for every message it would deliver and delivers none.
 * A denied PUBLISH gets PUBACK 135 ("not authorized") over MQTT 5; over 3.1.1 the protocol has no
 * refusal, so Mosquitto acknowledges and drops it.
 */
export type MqttRole = 'app' | 'bridge' | 'gateway';

export type MqttAccess = 'read' | 'write' | 'readwrite';

export interface MqttAclRule {
  readonly access: MqttAccess;
  /** A topic or topic filter (`+`, `#`). */
  readonly topic: string;
}

export interface MqttRoleDefinition {
  readonly role: MqttRole;
  /**
   * The Secret `{name}-{secretSuffix}` holding this role's connection: the keys of the contract's
   * mqtt secret (`MQTT_*`), with this role's user. The app role's is the contract's own.
   */
  readonly secretSuffix: string;
  /** Generated user names start with it (followed by random characters). */
  readonly usernamePrefix: string;
  readonly description: string;
  readonly rules: readonly MqttAclRule[];
}

/** The filter of every device's own topic: `health/device_data/+`. */
export const deviceReadingsFilter = `${deviceMqttTopic}/+`;

/** The applications' own MQTT area. */
export const appMqttTopicRoot = 'app';

/** The topic a device publishes its readings to: `health/device_data/<deviceId>`. */
export function deviceReadingsTopic(deviceId: string): string {
  return `${deviceMqttTopic}/${deviceId}`;
}

/**
 * The device a topic names when it is a device's own topic (`health/device_data/<deviceId>`), else
 * undefined (the gateways' `health/device_data`, or anything else).
 */
export function deviceIdOfTopic(topic: string): string | undefined {
  const prefix = `${deviceMqttTopic}/`;
  if (!topic.startsWith(prefix)) return undefined;
  const rest = topic.slice(prefix.length);
  return rest === '' || rest.includes('/') ? undefined : rest;
}

export const mqttRoleCatalog = [
  {
    role: 'app',
    secretSuffix: 'mqtt-secret',
    usernamePrefix: 'app-',
    description:
      'applications (`{name}-mqtt-secret`): their own area `app/#` only; no patient readings over MQTT',
    rules: [{ access: 'readwrite', topic: `${appMqttTopicRoot}/#` }],
  },
  {
    role: 'bridge',
    secretSuffix: 'mqtt-bridge-secret',
    usernamePrefix: 'bridge-',
    description:
      'the mqtt-bridge or the MQTT source connector: reads the readings (also as a shared subscription), writes nothing',
    rules: [
      { access: 'read', topic: deviceMqttTopic },
      { access: 'read', topic: deviceReadingsFilter },
    ],
  },
  {
    role: 'gateway',
    secretSuffix: 'mqtt-gateway-secret',
    usernamePrefix: 'gateway-',
    description:
      'trusted multi-device publishers (a bedside hub, the device simulator): write `health/device_data` for any deviceId',
    rules: [{ access: 'write', topic: deviceMqttTopic }],
  },
] as const satisfies readonly MqttRoleDefinition[];

export const mqttRoles: readonly MqttRole[] = mqttRoleCatalog.map((entry) => entry.role);

export function mqttRoleDefinition(role: MqttRole): MqttRoleDefinition {
  const found = (mqttRoleCatalog as readonly MqttRoleDefinition[]).find((r) => r.role === role);
  if (found === undefined) throw new TypeError(`unknown MQTT role ${role}`);
  return found;
}

/** What a device may do: publish to its own topic. */
export function deviceAclRules(deviceId: string): readonly MqttAclRule[] {
  return [{ access: 'write', topic: deviceReadingsTopic(deviceId) }];
}

/** A user of the broker: a role's generated identity, or a device (user name = deviceId). */
export type MqttIdentity =
  | { readonly kind: 'role'; readonly role: MqttRole; readonly username: string }
  | { readonly kind: 'device'; readonly username: string };

/**
 * Why `username` cannot be an MQTT user of the platform, or undefined. Mosquitto's password file
 * is `user:hash` lines and its ACL file `user <name>` lines, so no `:` and no white space; a
 * device's name is also a topic level, so no `/`, `+`, `#` and no NUL.
 */
export function mqttUsernameProblem(identity: MqttIdentity): string | undefined {
  const { username } = identity;
  if (username === '') return 'must not be empty';
  if (/[:\s]/u.test(username)) return 'must contain no ":" and no white space';
  if (identity.kind === 'device' && (/[/+#]/u.test(username) || username.includes('\0'))) {
    return 'is a device name, so it is a topic level: no "/", "+", "#" or NUL';
  }
  return undefined;
}

/** The ACL rules of one identity. */
export function mqttAclRules(identity: MqttIdentity): readonly MqttAclRule[] {
  return identity.kind === 'device'
    ? deviceAclRules(identity.username)
    : mqttRoleDefinition(identity.role).rules;
}

/**
 * Mosquitto's `acl_file` for these users: one `user` block each, nothing for anyone else (no
 * `pattern` lines, no rules outside a block), so an identity reaches only what its block grants.
 *
 * @throws RTP_ERR_CONTRACT_MQTT_USERNAME_INVALID for a user name the files cannot hold
 */
export function renderMosquittoAcl(identities: readonly MqttIdentity[]): string {
  const blocks = identities.map((identity) => {
    const problem = mqttUsernameProblem(identity);
    if (problem !== undefined) {
      throw contractErrors.MQTT_USERNAME_INVALID({ username: identity.username, problem });
    }
    const rules = mqttAclRules(identity).map((rule) => `topic ${rule.access} ${rule.topic}`);
    const what = identity.kind === 'device' ? 'device' : `role ${identity.role}`;
    return [`# ${what}`, `user ${identity.username}`, ...rules].join('\n');
  });
  return [
    '# Mosquitto acl_file rendered from the platform contract (mqttRoleCatalog): nothing is',
    '# granted outside these blocks.',
    ...blocks.map((block) => `\n${block}`),
    '',
  ].join('\n');
}

/**
 * MQTT topic filter matching (`+` one level, `#` the rest), as a broker matches subscriptions and
 * Mosquitto its ACL patterns; the one matcher of the platform (the SDK's MQTT client routes with it).
 */
export function mqttTopicMatchesFilter(filter: string, topic: string): boolean {
  if (filter === topic) return true;
  // Filters starting with a wildcard do not match `$SYS`-style topics (MQTT 4.7.2).
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const filterLevels = filter.split('/');
  const topicLevels = topic.split('/');
  for (let i = 0; i < filterLevels.length; i += 1) {
    const level = filterLevels[i];
    if (level === '#') return true;
    if (i >= topicLevels.length) return false;
    if (level !== '+' && level !== topicLevels[i]) return false;
  }
  return filterLevels.length === topicLevels.length;
}

/**
 * Whether `identity` may publish to (`write`) or receive a message of (`read`) `topic`, by the
 * same rules the ACL file gives Mosquitto. For brokers that take a callback instead of a file
 * (the embedded aedes fallback of `rtp dev`).
 */
export function mqttAccessAllows(
  identity: MqttIdentity,
  action: 'read' | 'write',
  topic: string,
): boolean {
  return mqttAclRules(identity).some(
    (rule) =>
      (rule.access === action || rule.access === 'readwrite') &&
      mqttTopicMatchesFilter(rule.topic, topic),
  );
}
