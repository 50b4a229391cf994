import { relative } from 'node:path';
import { generateService } from '@realtime-platform/service-generator';
import { exitCodes, UsageError, type Command } from '../cli/command.js';

const help = `Usage: rtp new service <name> [--directory <dir>]

Creates a new realtime service from the template (services/realtime-service): domain, use cases,
Kafka and PostgreSQL adapters, REST, WebSocket hub and dashboard, with the name replaced
everywhere. Its tests pass unchanged. The same as \`npx nx g @realtime-platform/service-generator:service <name>\`.

Arguments:
  <name>               kebab-case service name, e.g. ward-monitor

Options:
  --directory <dir>    where to create it (default: services/<name>)
  -h, --help           show this help

Then run \`npm install\` (links the new workspace) and \`npx nx run <name>:test\`.
Exit codes: 0 created, 1 failed (e.g. the directory exists), 2 usage.`;

export const newServiceCommand: Command = {
  name: 'new',
  summary: 'create a service from the realtime template (rtp new service <name>)',
  help,
  options: { directory: { type: 'string' } },
  async run({ values, positionals }) {
    const [kind, name, ...extra] = positionals;
    if (kind !== 'service') throw new UsageError(`expected "service", got "${kind ?? ''}"`);
    if (name === undefined) throw new UsageError('missing the service name');
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const directory = typeof values.directory === 'string' ? values.directory : undefined;
    const created = await generateService({ name, ...(directory ? { directory } : {}) });
    console.log(
      `created ${relative(process.cwd(), created.directory) || '.'} (${created.files.length} files)\n` +
        `next: npm install && npx nx run ${created.name}:test`,
    );
    return exitCodes.ok;
  },
};
