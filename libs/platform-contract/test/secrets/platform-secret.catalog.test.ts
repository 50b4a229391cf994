import { describe, expect, it } from '@jest/globals';
import {
  isPlatformSecretKey,
  platformSecretCatalog,
  platformSecretName,
  secretCatalog,
} from '../../src/index.js';

// The Secrets only the platform's own components load. Applications get exactly the five of
// secretCatalog (envFrom); nothing an administrator holds may be among their keys.

const applicationKeys: readonly string[] = secretCatalog.flatMap((secret) =>
  secret.keys.map((key): string => key.key),
);

describe('platformSecretCatalog', () => {
  it('keeps every administrator credential out of the five application secrets', () => {
    for (const admin of [
      'POSTGRES_PASSWORD',
      'DASHBOARD_ADMIN_USER',
      'DASHBOARD_ADMIN_PASSWORD',
      'LENSES_ADMIN_USER',
      'LENSES_ADMIN_PASSWORD',
      'METABASE_DB_PASSWORD',
      'MB_ENCRYPTION_SECRET_KEY',
      'GF_SECURITY_SECRET_KEY',
    ]) {
      expect([admin, applicationKeys.includes(admin)]).toEqual([admin, false]);
    }
  });

  it('gives the five application secrets no login beyond the application roles', () => {
    const logins = secretCatalog.flatMap((secret) =>
      secret.keys.filter((key) => key.kind === 'credential').map((key) => key.key),
    );
    expect(logins).toEqual([
      'MQTT_USERNAME',
      'MQTT_PASSWORD',
      'KAFKA_USERNAME',
      'KAFKA_PASSWORD',
      'DB_USER',
      'DB_PASSWORD',
      'DASHBOARD_USER',
      'DASHBOARD_PASSWORD',
    ]);
  });

  it('names each platform Secret apart from the five, and says who loads it', () => {
    const appSuffixes = secretCatalog.map((secret) => secret.suffix);
    for (const secret of platformSecretCatalog) {
      expect(appSuffixes).not.toContain(secret.suffix);
      expect(secret.loadedBy.length).toBeGreaterThan(0);
      expect(secret.keys.length).toBeGreaterThan(0);
    }
    expect(platformSecretName('health-data', 'db-admin-secret')).toBe(
      'health-data-db-admin-secret',
    );
  });

  it('gives each key an id of its own within its Secret (what the charts name the key by)', () => {
    for (const secret of platformSecretCatalog) {
      const ids = secret.keys.map((key) => key.id);
      expect([secret.suffix, new Set(ids).size]).toEqual([secret.suffix, ids.length]);
    }
  });

  it("reuses the application secret's key names only for the read-only database role", () => {
    // {name}-db-reader-secret has db-secret's layout (DB_*), so a dashboard reads it like an app
    // reads db-secret; every other platform key is outside the applications' prefixes or is a
    // deliberately named *_ADMIN_* key.
    for (const secret of platformSecretCatalog) {
      for (const { key } of secret.keys) {
        const shared = applicationKeys.includes(key);
        expect([secret.suffix, key, shared]).toEqual([
          secret.suffix,
          key,
          secret.suffix === 'db-reader-secret',
        ]);
        if (!shared && isPlatformSecretKey(key)) expect(key).toMatch(/_ADMIN_/);
      }
    }
  });
});
