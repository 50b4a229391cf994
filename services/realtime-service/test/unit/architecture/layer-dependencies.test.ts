import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const src = resolve(import.meta.dirname, '../../../src');

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts')) yield path;
  }
}

/** Every module a file imports (static imports and re-exports, type-only included). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)]
    .concat([...text.matchAll(/^\s*import\s+'([^']+)'/gm)])
    .map((match) => match[1] as string);
}

const layerOf = (file: string): string => relative(src, file).split('/')[0] as string;

/** What each layer may import: its own layer and the ones inside it, plus these packages. */
const rules: Record<string, { layers: string[]; packages: RegExp }> = {
  domain: { layers: ['domain'], packages: /^@realtime-platform\/(errors|health-domain)$/ },
  application: { layers: ['domain', 'application'], packages: /^@realtime-platform\/errors$/ },
  infrastructure: {
    layers: ['domain', 'application', 'infrastructure'],
    packages:
      /^(@realtime-platform\/|node:|pg$|mysql2\/promise$|mongodb$|prom-client$|tsyringe$|reflect-metadata$)/,
  },
  interface: {
    layers: ['domain', 'application', 'interface'],
    packages: /^(@realtime-platform\/(errors|realtime-sdk)$|fastify$|node:)/,
  },
};

const violations = (): string[] => {
  const found: string[] = [];
  for (const file of sourceFiles(src)) {
    const layer = layerOf(file);
    const rule = rules[layer];
    if (rule === undefined) continue; // composition-root.ts wires everything, main.ts starts it
    for (const specifier of importsOf(file)) {
      const name = relative(src, file);
      if (specifier.startsWith('.')) {
        const target = layerOf(resolve(dirname(file), specifier));
        if (!rule.layers.includes(target)) found.push(`${name} → ${specifier} (${target})`);
      } else if (!rule.packages.test(specifier)) {
        found.push(`${name} → ${specifier}`);
      }
    }
  }
  return found;
};

describe('onion layers', () => {
  it('point every import inward: domain ← application ← infrastructure / interface', () => {
    expect(violations()).toEqual([]);
  });

  it('keep the domain and the use cases free of frameworks and I/O', () => {
    const inner = [...sourceFiles(join(src, 'domain')), ...sourceFiles(join(src, 'application'))];
    const frameworks = inner.flatMap((file) =>
      importsOf(file)
        .filter((s) =>
          /^(fastify|pg|kafkajs|tsyringe|ws|node:|@realtime-platform\/realtime-sdk)/.test(s),
        )
        .map((s) => `${relative(src, file)} → ${s}`),
    );
    expect(frameworks).toEqual([]);
  });

  it('finds the imports it checks (the scanner is not blind)', () => {
    const root = importsOf(join(src, 'composition-root.ts'));
    expect(root).toEqual(expect.arrayContaining(['reflect-metadata', 'tsyringe']));
    expect(importsOf(join(src, 'interface/http/api.routes.ts'))).toContain('fastify');
  });
});
