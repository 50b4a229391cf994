/* global console -- a Node script; not type-checked by tsc. */
// Writes the addon's generated files (definitions, XRDs, Compositions, Functions) from the
// platform contract. `npm run generate -w @realtime-platform/addons`; test/generated-files.test.ts
// fails when the committed files differ from what this writes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { addonDir, generatedAddonFiles } from '../dist/index.js';

for (const [path, content] of Object.entries(generatedAddonFiles())) {
  const target = join(addonDir, path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
  console.log(`wrote ${join('addons/realtime-platform', path)}`);
}
