/* global console -- a Node script; not type-checked by tsc. */
// Writes the generated files from the platform contract: the addon's (definitions, XRDs,
// Compositions, Functions) and the composition function's data (functions/compose-platform:
// contract.json, which the Go function embeds, and its input CRD). `npx nx run addons:generate`;
// test/generated-files.test.ts fails when the committed files differ from what this writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { addonsRoot, generatedFiles } from '../dist/index.js';

for (const [path, content] of Object.entries(generatedFiles())) {
  const target = join(addonsRoot, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
  console.log(`wrote ${join('addons', path)}`);
}
