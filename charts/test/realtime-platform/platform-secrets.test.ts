// Who loads which Secret: the platform's own Secrets (the contract's platformSecretCatalog:
// administrators, the superuser, the read-only role, the platform's keys) only in the components
// the catalog names, and never in a workload that runs with the applications' Secrets.
import { describe, expect, it } from '@jest/globals';
import {
  platformSecretCatalog,
  platformSecretName,
  secretCatalog,
  secretName,
} from '@realtime-platform/platform-contract';
import { renderEachFixture } from '../support/fixture-renders.js';
import { containersOf, workloadsOf, type Workload } from '../support/workloads.js';

const chart = 'realtime-platform';
const namespace = 'apps';
const name = 'health-data';
const fixtures = ['minimal', 'every-option', 'grafana', 'lenses', 'mysql', 'mongodb'] as const;

const renders = renderEachFixture(chart, fixtures, { releaseName: 'platform', namespace });

interface SecretVolume {
  secret?: { secretName?: string };
  projected?: { sources?: { secret?: { name?: string } }[] };
}

/** Every Secret a workload's pods read: envFrom, env secretKeyRef, secret and projected volumes. */
function secretsLoadedBy(workload: Workload): Set<string> {
  const names = new Set<string>();
  for (const container of containersOf(workload.template)) {
    const envFrom = (container as { envFrom?: { secretRef?: { name: string } }[] }).envFrom ?? [];
    for (const source of envFrom) if (source.secretRef) names.add(source.secretRef.name);
    for (const variable of container.env ?? []) {
      const ref = variable.valueFrom?.secretKeyRef;
      if (ref) names.add(ref.name);
    }
  }
  for (const volume of (workload.template.spec.volumes ?? []) as SecretVolume[]) {
    if (volume.secret?.secretName) names.add(volume.secret.secretName);
    for (const source of volume.projected?.sources ?? []) {
      if (source.secret?.name) names.add(source.secret.name);
    }
  }
  return names;
}

const componentOf = (workload: Workload): string =>
  workload.template.metadata?.labels?.['app.kubernetes.io/component'] ?? `<${workload.name}>`;

describe("realtime-platform: the platform's own Secrets", () => {
  it.each(fixtures)(
    'are loaded only by the components platformSecretCatalog names (%s values)',
    (fixture) => {
      const render = renders[fixture];
      const loaders = new Map<string, Set<string>>();
      for (const workload of workloadsOf(render)) {
        for (const secret of secretsLoadedBy(workload)) {
          loaders.set(secret, (loaders.get(secret) ?? new Set()).add(componentOf(workload)));
        }
      }
      let checked = 0;
      for (const secret of platformSecretCatalog) {
        const secretObject = platformSecretName(name, secret.suffix);
        if (!render.find('Secret', secretObject)) continue;
        checked += 1;
        const components = [...(loaders.get(secretObject) ?? [])].sort();
        // Rendered means used: some named component loads it, and nobody else does.
        expect({ secret: secretObject, components }).toEqual({
          secret: secretObject,
          components: components.filter((c) => (secret.loadedBy as readonly string[]).includes(c)),
        });
        expect({ secret: secretObject, loaded: components.length > 0 }).toEqual({
          secret: secretObject,
          loaded: true,
        });
      }
      expect(checked).toBeGreaterThanOrEqual(4);
    },
  );

  it.each(fixtures)(
    "never reach a workload that runs with the applications' Secrets (%s values)",
    (fixture) => {
      const render = renders[fixture];
      const applicationSecrets = new Set(secretCatalog.map((s) => secretName(name, s.id)));
      const platformSecrets = new Set(
        platformSecretCatalog.map((s) => platformSecretName(name, s.suffix)),
      );
      const appLike = workloadsOf(render).filter((workload) => {
        const envFrom = containersOf(workload.template).flatMap(
          (c) => (c as { envFrom?: { secretRef?: { name: string } }[] }).envFrom ?? [],
        );
        return envFrom.some((s) => s.secretRef && applicationSecrets.has(s.secretRef.name));
      });
      const leaks = appLike.flatMap((workload) =>
        [...secretsLoadedBy(workload)]
          .filter((secret) => platformSecrets.has(secret))
          .map((secret) => `${workload.name}: ${secret}`),
      );
      expect(leaks).toEqual([]);
      if (fixture !== 'lenses') expect(appLike.length).toBeGreaterThan(0);
    },
  );

  it('keep every administrator key out of the five application Secrets, in every render', () => {
    const adminValues = fixtures.flatMap((fixture) =>
      platformSecretCatalog
        .filter((secret) => secret.suffix !== 'db-reader-secret')
        .flatMap((secret) => {
          const object = platformSecretName(name, secret.suffix);
          if (!renders[fixture].find('Secret', object)) return [];
          return Object.values(renders[fixture].secretData(object)).filter((v) => v.length >= 16);
        })
        .map((value) => ({ fixture, value })),
    );
    expect(adminValues.length).toBeGreaterThan(4);
    for (const { fixture, value } of adminValues) {
      for (const secret of secretCatalog) {
        const data = renders[fixture].secretData(secretName(name, secret.id));
        expect(Object.values(data)).not.toContain(value);
      }
    }
  });
});

describe("realtime-platform: the applications' database Secrets", () => {
  it.each([
    ['minimal', 'postgresql'],
    ['mysql', 'mysql'],
    ['mongodb', 'mongodb'],
  ] as const)(
    '%s: {name}-db-secret and -db-reader-secret carry the component of the server they point at (%s)',
    (fixture, component) => {
      const server = renders[fixture]
        .ofKind('StatefulSet')
        .find((set) => set.metadata.labels?.['app.kubernetes.io/component'] === component);
      expect(server).toBeDefined();
      for (const suffix of ['db-secret', 'db-reader-secret']) {
        const secret = renders[fixture].get('Secret', `${name}-${suffix}`);
        expect([suffix, secret.metadata.labels?.['app.kubernetes.io/component']]).toEqual([
          suffix,
          component,
        ]);
      }
    },
  );
});
