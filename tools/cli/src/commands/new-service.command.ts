import { relative } from 'node:path';
import { generateService, generateStandaloneService } from '@realtime-platform/service-generator';
import { exitCodes, UsageError, type Command } from '../cli/command.js';

const help = `Usage: rtp new service <name> [--directory <dir> | --standalone <dir>]

Creates a new realtime service from the template (services/realtime-service): domain, use cases,
Kafka and PostgreSQL adapters, REST, WebSocket hub and dashboard, with the name replaced
everywhere. Its tests pass unchanged. The same as \`npx nx g @realtime-platform/service-generator:service <name>\`.

Arguments:
  <name>               kebab-case service name, e.g. ward-monitor

Options:
  --directory <dir>    where to create it (default: services/<name>)
  --standalone <dir>   create it as its own repository in <dir>, outside this monorepo: the SDK
                       packed into <dir>/vendor (file: dependencies, pinned by package-lock.json),
                       the shared config and tooling copied in; \`npm ci && npm test\` runs its
                       build, lint and unit tests there (the integration suites stay here).
                       Needs the packages built (\`npm run build\`) and the npm registry.
  -h, --help           show this help

Then run \`npm install\` (links the new workspace) and \`npx nx run <name>:test\`.
Exit codes: 0 created, 1 failed (e.g. the directory exists), 2 usage.`;

export const newServiceCommand: Command = {
  name: 'new',
  summary: 'create a service from the realtime template (rtp new service <name>)',
  help,
  options: { directory: { type: 'string' }, standalone: { type: 'string' } },
  async run({ values, positionals }) {
    const [kind, name, ...extra] = positionals;
    if (kind !== 'service') throw new UsageError(`expected "service", got "${kind ?? ''}"`);
    if (name === undefined) throw new UsageError('missing the service name');
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const directory = typeof values.directory === 'string' ? values.directory : undefined;
    if (typeof values.standalone === 'string') {
      if (directory !== undefined)
        throw new UsageError('--directory and --standalone exclude each other');
      const created = await generateStandaloneService({ name, directory: values.standalone });
      const where = relative(process.cwd(), created.directory) || '.';
      console.log(
        `created ${where} (${created.files.length} files, the SDK from ${created.vendored.length} packed packages in vendor/)\n` +
          `next: cd ${where} && npm ci && npm test`,
      );
      return exitCodes.ok;
    }
    const created = await generateService({ name, ...(directory ? { directory } : {}) });
    console.log(
      `created ${relative(process.cwd(), created.directory) || '.'} (${created.files.length} files)\n` +
        `next: npm install && npx nx run ${created.name}:test`,
    );
    return exitCodes.ok;
  },
};
