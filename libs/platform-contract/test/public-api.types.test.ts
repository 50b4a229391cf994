// Type tests of the public surface: `lint` type-checks this file, so a `@ts-expect-error` that no
// longer errors (the types got looser) fails the build; the runtime assertions keep jest honest.
import { describe, expect, it } from '@jest/globals';
import {
  parsePlatformEnv,
  renderSecretData,
  type CredentialKey,
  type PlatformConnections,
  type PlatformCredentials,
  type RealtimePlatformSpecInput,
  type SecretKey,
} from '../src/index.js';

describe('public types', () => {
  it('accept a claim with only a name and reject values the schema rejects', () => {
    const minimal: RealtimePlatformSpecInput = { name: 'health-data' };
    const mysql: RealtimePlatformSpecInput = { name: 'p', database: 'mysql' };
    // @ts-expect-error oracle is no database engine
    const oracle: RealtimePlatformSpecInput = { name: 'p', database: 'oracle' };
    // @ts-expect-error tableau is no visualization
    const tableau: RealtimePlatformSpecInput = { name: 'p', visualization: 'tableau' };
    expect([minimal, mysql, oracle, tableau]).toHaveLength(4);
  });

  it('type credentials by key, so endpoint keys cannot be passed as credentials', () => {
    const key: CredentialKey = 'DB_PASSWORD';
    // @ts-expect-error DB_HOST is an endpoint, derived, never passed in
    const endpoint: CredentialKey = 'DB_HOST';
    // @ts-expect-error DB_URL is composed from the other keys, never passed in
    const composed: CredentialKey = 'DB_URL';
    const secretKey: SecretKey = 'KAFKA_BOOTSTRAP_SERVERS';
    const credentials: PlatformCredentials = { [key]: 'x' };
    expect([endpoint, composed, secretKey, credentials]).toHaveLength(4);
  });

  it('type the parsed connections: ports are numbers, MQTT and Lenses may be off', () => {
    type Port = PlatformConnections['db']['port'];
    type Mqtt = PlatformConnections['mqtt'];
    const port: Port = 5432;
    const off: Mqtt = undefined;
    expect([port, off, typeof parsePlatformEnv, typeof renderSecretData]).toEqual([
      5432,
      undefined,
      'function',
      'function',
    ]);
  });
});
