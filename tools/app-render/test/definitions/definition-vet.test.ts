import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addonDefinitionsDir } from '@realtime-platform/addons';
import { objectOf, runVelaOffline } from '../../src/index.js';
import { definitionObjectToCue, renderAddonOk } from '../support/addon-render.js';

/** `vela def vet <files>`, offline. */
const defVet = (files: string[]) => runVelaOffline(['def', 'vet', ...files]);

describe('vela def vet', () => {
  for (const file of readdirSync(addonDefinitionsDir)) {
    it(`accepts definitions/${file}`, async () => {
      const result = await defVet([join(addonDefinitionsDir, file)]);
      expect(result.stderr + result.stdout).toContain(
        `Validation ${join(addonDefinitionsDir, file)} succeed`,
      );
      expect(result.exitCode).toBe(0);
    });
  }

  describe('the definitions template.cue installs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtp-vet-'));
    let files: Record<string, string> = {};

    beforeAll(async () => {
      const rendered = await renderAddonOk({
        chartRepository: 'https://charts.example.test/realtime-platform',
        overrideWebservice: true,
      });
      for (const name of ['realtime-service', 'webservice']) {
        const file = join(dir, `${name}.cue`);
        writeFileSync(file, definitionObjectToCue(objectOf(rendered, 'ComponentDefinition', name)));
        files = { ...files, [name]: file };
      }
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    for (const name of ['realtime-service', 'webservice']) {
      it(`accepts ${name} as installed`, async () => {
        const result = await defVet([files[name] as string]);
        expect(result.stderr + result.stdout).toContain('succeed');
        expect(result.exitCode).toBe(0);
      });
    }
  });
});
