#!/usr/bin/env node
// The `rtp` command as npm links it. A committed, executable file rather than dist/main.js:
// nx restores dist/ from its cache without the exec bit npm set at install ("Permission denied"),
// and npm links a bin only when its file exists at install time (a fresh clone has no dist/).
// Nothing is run here but the compiled CLI.
import process from 'node:process';
import { URL } from 'node:url';

const main = new URL('../dist/main.js', import.meta.url);
try {
  await import(main.href);
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes(main.pathname)) {
    process.stderr.write(
      'rtp: the CLI is not built (no tools/cli/dist/main.js): run `npm run build`\n',
    );
    process.exit(1);
  }
  throw error;
}
