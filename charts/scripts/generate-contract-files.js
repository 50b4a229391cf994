/* global console, process -- a Node script; not type-checked by tsc. */
// Writes the charts' files generated from the platform contract: each contract chart's
// files/contract.json (read by its templates), the contract-owned parts of its
// values.schema.json and the contract facts its README.md marks (src/readme-contract-facts.ts).
// Runs as part of `npx nx run charts:build`.
//
// With --check, or in CI (CI set, as GitHub Actions does), it writes nothing and fails when a
// committed file differs from what it would write: CI runs build before test, so a build that
// rewrote the files would hide a stale commit from test/generated-files.test.ts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chartsRoot, generatedChartFiles } from '../dist/contract-files.js';
import { generatedReadmeFiles } from '../dist/readme-contract-facts.js';

const check = process.argv.includes('--check') || Boolean(process.env.CI);
const stale = [];
const generated = { ...(await generatedChartFiles()), ...(await generatedReadmeFiles()) };
for (const [path, content] of Object.entries(generated)) {
  const target = join(chartsRoot, path);
  // Unchanged files are left alone, so their modification time (and nx's view of them) holds.
  if (existsSync(target) && readFileSync(target, 'utf8') === content) continue;
  if (check) {
    stale.push(path);
    continue;
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, content);
  console.log(`wrote charts/${path}`);
}
if (stale.length) {
  console.error(
    `not what the platform contract generates (run \`npx nx run charts:build\` without CI set and commit):\n  charts/${stale.join('\n  charts/')}`,
  );
  process.exitCode = 1;
}
