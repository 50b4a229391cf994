// Rewrites the generated regions of README.md from the built model (run `npm run docs`).
import { readFileSync, writeFileSync } from 'node:fs';
import { stdout } from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { syncReadme } from '../dist/index.js';

const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
const current = readFileSync(readmePath, 'utf8');
const next = syncReadme(current);
if (next === current) {
  stdout.write('README.md is in sync with the model\n');
} else {
  writeFileSync(readmePath, next);
  stdout.write('README.md regenerated from the model\n');
}
