// Rewrites the generated regions of libs/platform-contract/README.md from the built model
// (`npm run docs -w @realtime-platform/contract-generators`).
import { readFileSync, writeFileSync } from 'node:fs';
import { stdout } from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { syncReadme } from '../dist/index.js';

const readmePath = fileURLToPath(
  new URL('../../../libs/platform-contract/README.md', import.meta.url),
);
const current = readFileSync(readmePath, 'utf8');
const next = syncReadme(current);
if (next === current) {
  stdout.write('libs/platform-contract/README.md is in sync with the model\n');
} else {
  writeFileSync(readmePath, next);
  stdout.write('libs/platform-contract/README.md regenerated from the model\n');
}
