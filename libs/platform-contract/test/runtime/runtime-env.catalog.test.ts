import { describe, expect, it } from '@jest/globals';
import {
  isPlatformSecretKey,
  runtimeEnv,
  runtimeEnvCatalog,
  runtimeEnvPrefix,
  runtimeEnvSetBy,
  secretCatalog,
} from '../../src/index.js';

const names: readonly string[] = runtimeEnvCatalog.map((variable) => variable.name);

describe('runtimeEnvCatalog', () => {
  it('should list each name of runtimeEnv exactly once', () => {
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(Object.values(runtimeEnv).sort());
  });

  it('should start every name with RTP_ and never with a secret prefix nor equal a secret key', () => {
    const secretKeys: readonly string[] = secretCatalog.flatMap((secret) =>
      secret.keys.map((key) => key.key),
    );
    for (const name of names) {
      expect(name).toMatch(new RegExp(`^${runtimeEnvPrefix}[A-Z][A-Z0-9_]*$`));
      expect(isPlatformSecretKey(name)).toBe(false);
      expect(secretKeys).not.toContain(name);
    }
    for (const secret of secretCatalog)
      expect(runtimeEnvPrefix.startsWith(secret.prefix)).toBe(false);
  });

  it('should give a required variable no default', () => {
    for (const variable of runtimeEnvCatalog) {
      if ('required' in variable) expect('default' in variable).toBe(false);
    }
  });

  it('runtimeEnvSetBy should return what the trait sets, in catalog order', () => {
    expect(runtimeEnvSetBy('trait')).toEqual([
      'RTP_PLATFORM_NAME',
      'RTP_CONSUMER_GROUP',
      'RTP_INSTANCE_ID',
      'RTP_TOPICS',
      'RTP_CONSUMER_MODE',
      'RTP_ALERTS_TOPIC',
    ]);
  });
});
