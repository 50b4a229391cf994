// The layer test every service runs: the onion rules of the shared dependency-cruiser config
// (tools/config/dependency-cruiser.js, `onion-*`), run the way lint runs them, with the arrows
// between layers the cruise found, so a test can prove it is not blind.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';

const repoRoot = resolve(import.meta.dirname, '../../..');
const depcruise = join(repoRoot, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
const rules = join(repoRoot, 'tools/config/dependency-cruiser.js');

const layers = ['domain', 'application', 'infrastructure', 'interface'] as const;
export type OnionLayer = (typeof layers)[number];

export interface OnionLayerReport {
  /** One line per import that breaks an onion rule: `src/domain/a.ts → src/application/b.ts (onion-domain-inward)`. */
  readonly violations: readonly string[];
  /** Every pair of layers with at least one import between them, e.g. `application → domain`, sorted. */
  readonly arrows: readonly string[];
  /** The layers that hold at least one source file, in onion order (domain first). */
  readonly layers: readonly OnionLayer[];
}

interface CruiseOutput {
  modules: { source: string; dependencies: { resolved: string }[] }[];
  summary: { violations: { from: string; to: string; rule: { name: string } }[] };
}

const layerOf = (path: string): OnionLayer | undefined =>
  layers.find((layer) => path.startsWith(`src/${layer}/`));

/**
 * Cruises `<packageDir>/src` with the shared rules (in the package folder, as its lint does) and
 * reports the onion violations, the arrows between layers and the layers it saw.
 */
export function checkOnionLayers(packageDir: string): OnionLayerReport {
  const result = spawnSync(
    process.execPath,
    [depcruise, '--config', rules, '--output-type', 'json', 'src'],
    { cwd: packageDir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  let output: CruiseOutput;
  try {
    output = JSON.parse(result.stdout) as CruiseOutput;
  } catch {
    throw new Error(
      `dependency-cruiser gave no report in ${packageDir} (exit ${result.status}): ${result.stderr}`,
    );
  }
  const arrows = new Set<string>();
  const seen = new Set<OnionLayer>();
  for (const module of output.modules) {
    const from = layerOf(module.source);
    if (from === undefined) continue;
    seen.add(from);
    for (const dependency of module.dependencies) {
      const to = layerOf(dependency.resolved);
      if (to !== undefined && to !== from) arrows.add(`${from} → ${to}`);
    }
  }
  return {
    violations: output.summary.violations
      .filter((violation) => violation.rule.name.startsWith('onion-'))
      .map((violation) => `${violation.from} → ${violation.to} (${violation.rule.name})`),
    arrows: [...arrows].sort(),
    layers: layers.filter((layer) => seen.has(layer)),
  };
}

/** What a service's layer test expects to see besides no violation. */
export interface ExpectedOnionLayers {
  /** Exactly the layers its src/ holds, in onion order. */
  readonly layers: readonly OnionLayer[];
  /** Arrows that must be among those found (the inward imports that prove the check saw them). */
  readonly arrows: readonly string[];
}

/**
 * A service's layer test (`<service> onion layers`): no import breaks an onion rule, and the cruise
 * read the `expected` layers and arrows, so the first test cannot pass by seeing nothing.
 */
export function describeOnionLayers(
  service: string,
  packageDir: string,
  expected: ExpectedOnionLayers,
): void {
  let report: OnionLayerReport;
  beforeAll(() => {
    report = checkOnionLayers(packageDir);
  });

  describe(`${service} onion layers`, () => {
    it('point every import inward: domain ← application ← infrastructure / interface, adapters apart', () => {
      expect(report.violations).toEqual([]);
    });

    it('are all read, with the inward arrows between them (the check is not blind)', () => {
      expect(report.layers).toEqual(expected.layers);
      expect(report.arrows).toEqual(expect.arrayContaining([...expected.arrows]));
    });
  });
}
