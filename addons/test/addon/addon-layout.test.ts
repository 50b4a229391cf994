import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { addonDir } from '../../src/index.js';

const read = (path: string): string => readFileSync(join(addonDir, path), 'utf8');

describe('addon layout (kubevela/catalog conventions)', () => {
  it('holds only what vela addon enable reads', () => {
    expect(readdirSync(addonDir).sort()).toEqual([
      'NOTES.cue',
      'README.md',
      'definitions',
      'metadata.yaml',
      'parameter.cue',
      'resources',
      'schemas',
      'template.cue',
    ]);
  });

  it('metadata.yaml has a semver version, tags and the system constraints', () => {
    const metadata = parse(read('metadata.yaml')) as Record<string, unknown>;
    expect(metadata.name).toBe('realtime-platform');
    // The catalog's check-semver.sh pattern.
    expect(metadata.version).toMatch(
      /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/,
    );
    expect(metadata.tags).toEqual(expect.arrayContaining(['Crossplane', 'Kafka', 'MQTT']));
    expect(metadata.system).toEqual({ vela: '>=1.9.0', kubernetes: '>=1.19.0-0' });
  });

  it('documents every parameter with // +usage=', () => {
    const lines = read('parameter.cue').split('\n');
    const fields = lines
      .map((line, index) => ({ line, index }))
      .filter(({ line }) => /^\s+[a-zA-Z]+\??:/.test(line));
    expect(fields.length).toBeGreaterThan(10);
    for (const { line, index } of fields) {
      expect([line.trim(), lines[index - 1]?.trim()]).toEqual([
        line.trim(),
        expect.stringMatching(/^\/\/ \+usage=\S/),
      ]);
    }
  });

  it('has a UI schema per component definition', () => {
    const components = readdirSync(join(addonDir, 'definitions'))
      .filter((file) => read(`definitions/${file}`).includes('type: "component"'))
      .map((file) => file.replace(/\.cue$/, ''));
    const schemas = readdirSync(join(addonDir, 'schemas'));
    for (const name of [...components, 'realtime-service']) {
      expect(schemas).toContain(`component-uischema-${name}.yaml`);
    }
  });

  it('lists in each UI schema only parameters the definition has', () => {
    const definitionText: Record<string, string> = {
      'realtime-service': read('resources/definitions/realtime-service.cue'),
    };
    for (const file of readdirSync(join(addonDir, 'schemas'))) {
      const name = file.replace(/^component-uischema-/, '').replace(/\.yaml$/, '');
      const text = definitionText[name] ?? read(`definitions/${name}.cue`);
      const keys = (parse(read(`schemas/${file}`)) as { jsonKey: string }[]).map((e) => e.jsonKey);
      for (const key of keys) {
        expect([name, key, new RegExp(`^\\s+${key}\\??:`, 'm').test(text)]).toEqual([
          name,
          key,
          true,
        ]);
      }
    }
  });

  it('names no definition webservice (vela-core owns it; the override is opt-in)', () => {
    expect(readdirSync(join(addonDir, 'definitions'))).not.toContain('webservice.cue');
    for (const file of readdirSync(join(addonDir, 'definitions'))) {
      expect(read(`definitions/${file}`)).not.toMatch(/^"?webservice"?: \{/m);
    }
  });
});
