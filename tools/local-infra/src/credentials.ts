import { randomBytes } from 'node:crypto';
import { mqttRoleCatalog, type MqttRole } from '@realtime-platform/platform-contract';

/** A random password: 24 URL-safe characters (144 bits). Never a fixed default. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** A random user name with a readable prefix, e.g. `device-3f9a1c`. */
export function generateUsername(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

/**
 * One generated user per MQTT role of the contract, `<role prefix><6 hex>` (e.g. `bridge-3f9a1c`),
 * each with a generated password.
 */
export function generateMqttRoleUsers(): Record<MqttRole, { username: string; password: string }> {
  return Object.fromEntries(
    mqttRoleCatalog.map((role) => [
      role.role,
      {
        username: `${role.usernamePrefix}${randomBytes(3).toString('hex')}`,
        password: generatePassword(),
      },
    ]),
  ) as Record<MqttRole, { username: string; password: string }>;
}
