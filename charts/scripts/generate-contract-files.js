/* global console -- a Node script; not type-checked by tsc. */
// Writes the charts' files generated from the platform contract: each contract chart's
// files/contract.json (read by its templates) and the contract-owned parts of its
// values.schema.json. Runs as part of `npx nx run charts:build`; test/generated-files.test.ts fails
// when the committed files differ from what this writes.
import { readFileSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chartsRoot, generatedChartFiles } from '../dist/contract-files.js';

for (const [path, content] of Object.entries(await generatedChartFiles())) {
  const target = join(chartsRoot, path);
  // Unchanged files are left alone, so their modification time (and nx's view of them) holds.
  if (existsSync(target) && readFileSync(target, 'utf8') === content) continue;
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
  console.log(`wrote charts/${path}`);
}
