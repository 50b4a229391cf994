import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { packPublishedPackages } from '@realtime-platform/release';
import { generatorErrors } from './generator.errors.js';
import { formatRendered } from './prettier.formatter.js';
import { checkServiceName, templateName } from './service-name.js';
import { renderService, type RenderedFile } from './template-renderer.js';

export interface GenerateStandaloneOptions {
  /** kebab-case name of the new service, e.g. `ward-monitor`. */
  readonly name: string;
  /** The new repository's folder (absolute, or relative to the current directory); outside the monorepo. */
  readonly directory: string;
  /** Defaults to the workspace this package lives in. */
  readonly workspaceRoot?: string;
  /** Resolve and write package-lock.json (`npm install --package-lock-only`); default true. */
  readonly lockfile?: boolean;
}

export interface GeneratedStandalone {
  readonly name: string;
  readonly directory: string;
  /** Relative to `directory`. */
  readonly files: readonly string[];
  /** The packed SDK packages the repository depends on, relative to `directory` (`vendor/*.tgz`). */
  readonly vendored: readonly string[];
}

/** tools/service-generator/dist/ → the workspace root. */
const defaultWorkspaceRoot = (): string =>
  fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');

/**
 * Left out of a standalone repository: the integration suites start brokers through
 * @realtime-platform/local-infra, which is internal to the monorepo (its Kafka comes from the
 * monorepo's Maven-built toolchain), and the Dockerfile that builds from the monorepo's root.
 */
const monorepoOnly = [
  /^test\/integration\//,
  // Only the integration suites use it (it logs in to the local broker of local-infra).
  /^test\/helpers\/platform-kafka\.ts$/,
  // The shared onion rules run through @realtime-platform/testkit and the root's dependency-cruiser
  // config; the standalone repository keeps the self-contained layer-dependencies test.
  /^test\/unit\/architecture\/onion-layers\.test\.ts$/,
  /^Dockerfile$/,
  /^Dockerfile\.dockerignore$/,
];

/** The workspace's shared config, copied into `config/` of the new repository. */
const sharedConfigFiles = ['jest.preset.js', 'jest-environment.js', 'eslint.config.js'];

/** Tooling the template's scripts run, whose versions the monorepo root pins. */
const rootToolingPackages = [
  '@eslint/js',
  '@jest/globals',
  '@types/jest',
  '@types/node',
  'eslint',
  'jest',
  'jest-environment-node',
  'prettier',
  'ts-jest',
  'typescript',
  'typescript-eslint',
];

interface Manifest {
  name?: string;
  version?: string;
  description?: string;
  license?: string;
  type?: string;
  main?: string;
  engines?: Record<string, string>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  prettier?: unknown;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const text = (path: string, content: string): RenderedFile => ({
  path,
  content: Buffer.from(content),
});

/** `../../tools/config/x` → `./config/x`, `../../tsconfig.base.json` → `./tsconfig.base.json`. */
function standaloneConfigPaths(file: RenderedFile): RenderedFile {
  if (!/^(tsconfig(\.build)?\.json|jest\.config\.js|eslint\.config\.js)$/.test(file.path))
    return file;
  const content = file.content
    .toString('utf8')
    .replace(/(?:\.\.\/)+tools\/config\//g, './config/')
    .replace(/(?:\.\.\/)+(?=tsconfig\.base\.json)/g, './');
  return text(file.path, content);
}

/**
 * The template's base image (`ARG NODE_IMAGE=...` of the services' shared Dockerfile, beside the
 * template's folder): one place names it.
 */
function templateNodeImage(templateDir: string): string {
  const dockerfile = join(templateDir, '..', 'Dockerfile');
  const match = /^ARG NODE_IMAGE=(\S+)/m.exec(readFileSync(dockerfile, 'utf8'));
  if (match === null) throw generatorErrors.TEMPLATE_NODE_IMAGE_MISSING({ dockerfile });
  return match[1] as string;
}

function dockerfile(nodeImage: string): string {
  return `# syntax=docker/dockerfile:1
# The service image, built from this repository: docker build -t <name>:<version> .
ARG NODE_IMAGE=${nodeImage}

# 1. Build: every dependency (the SDK from vendor/), then tsc.
FROM \${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY vendor vendor
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json tsconfig.json tsconfig.build.json ./
COPY src src
RUN npx tsc -p tsconfig.build.json

# 2. Runtime: production dependencies only, the compiled code, migrations and the dashboard.
FROM \${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY vendor vendor
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force && rm -rf vendor
COPY --from=build /app/dist dist
COPY migrations migrations
COPY public public
# Files stay root-owned and read-only to the process; a numeric non-root uid (runAsNonRoot can
# verify it), as the platform's own images use.
USER 65532:65532
# The only writable path: run with a read-only root filesystem.
VOLUME ["/tmp"]
EXPOSE 8080
CMD ["node", "--enable-source-maps", "dist/main.js"]
`;
}

function readmeIntro(name: string, vendored: readonly string[]): string {
  return `# ${name}

A realtime service created from the realtime-platform template with
\`rtp new service ${name} --standalone <dir>\`: its own repository, outside the monorepo.

\`\`\`sh
npm ci && npm test   # build (tsc), lint (eslint, prettier, tsc --noEmit) and the unit tests
npm start            # runs dist/main.js with the five platform secrets in env or mounted
\`\`\`

- **The SDK** comes from the packed packages in \`vendor/\` (${vendored.map((file) => `\`${basename(file)}\``).join(', ')}),
  referenced as \`file:\` dependencies and pinned with their integrity in package-lock.json: the
  same commit as the template this code came from, installable without a registry of your own.
  Once the versions you want are on npm, switch with
  \`npm install @realtime-platform/realtime-sdk@<version> @realtime-platform/errors@<version> ...\`
  and delete \`vendor/\`.
- **Tests.** \`test/unit\` runs here: the domain, the use cases through in-memory ports, the mappers,
  the REST and WebSocket interfaces through fastify's inject, the layer rules. The template's
  integration suites (a real Kafka, Schema Registry and PostgreSQL) stay in the realtime-platform
  repository, where they run against the same code on every change; their broker harness is internal
  to it. Run this service against a real platform with \`rtp dev\` there, or in a cluster.
- **Image.** \`docker build .\` (the \`Dockerfile\` of this repository).

The rest of this README is the template's.

`;
}

/**
 * The template's lint without the monorepo's module-boundary check (dependency-cruiser with
 * tools/config's rules: libs/ and services/ never import tools/): a standalone repository has no
 * tools/ to guard, nor the rules' file.
 */
function standaloneLint(lint: string | undefined): string | undefined {
  return lint
    ?.split(' && ')
    .filter((step) => !step.startsWith('depcruise '))
    .join(' && ');
}

/**
 * A new service as its own repository: the template with the name replaced (as
 * `generateService`), plus what the monorepo gave it: the shared tsconfig, jest and eslint
 * configuration, its tooling as devDependencies, the SDK packages packed into `vendor/` as
 * `file:` dependencies, a Dockerfile that builds from the repository itself, and a lockfile, so
 * that `npm ci && npm test` passes there.
 */
export async function generateStandaloneService(
  options: GenerateStandaloneOptions,
): Promise<GeneratedStandalone> {
  const name = checkServiceName(options.name);
  const root = resolve(options.workspaceRoot ?? defaultWorkspaceRoot());
  const templateDir = join(root, 'services', templateName);
  if (!existsSync(join(templateDir, 'package.json')))
    throw generatorErrors.TEMPLATE_MISSING({ directory: templateDir });
  const directory = resolve(options.directory);
  if (!relative(root, directory).startsWith('..'))
    throw generatorErrors.STANDALONE_INSIDE_WORKSPACE({ directory, workspaceRoot: root });
  if (existsSync(directory) && readdirSync(directory).length > 0)
    throw generatorErrors.TARGET_EXISTS({ directory });

  const rendered = renderService({
    templateDir,
    name,
    targetPath: name,
    templatePath: relative(root, templateDir).split('\\').join('/'),
  })
    .filter((file) => !monorepoOnly.some((pattern) => pattern.test(file.path)))
    .map(standaloneConfigPaths);

  mkdirSync(directory, { recursive: true });
  const packed = await packPublishedPackages(join(directory, 'vendor'), root);
  const vendored = packed.map((pkg) => relative(directory, pkg.tarball).split('\\').join('/'));
  const tarballOf = new Map(packed.map((pkg, i) => [pkg.name, vendored[i] as string]));

  const rootManifest = readJson<Manifest>(join(root, 'package.json'));
  const template = readJson<Manifest>(join(templateDir, 'package.json'));
  const sdkDependency = (deps: Record<string, string> = {}) =>
    Object.fromEntries(
      Object.entries(deps)
        .filter(([dep]) => !dep.startsWith('@realtime-platform/') || tarballOf.has(dep))
        .map(([dep, version]) => [
          dep,
          tarballOf.has(dep) ? `file:${tarballOf.get(dep)}` : version,
        ]),
    );
  const sorted = (deps: Record<string, string>) =>
    Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
  const renamedDescription = template.description ?? '';
  const manifest = {
    name,
    version: '0.1.0',
    private: true,
    description: renamedDescription,
    type: template.type,
    main: template.main,
    engines: rootManifest.engines,
    scripts: {
      build: template.scripts?.build,
      lint: standaloneLint(template.scripts?.lint),
      'test:unit': template.scripts?.test,
      test: 'npm run build && npm run lint && npm run test:unit',
      start: template.scripts?.start,
      format: 'prettier --write .',
    },
    dependencies: sorted(sdkDependency(template.dependencies)),
    devDependencies: sorted({
      ...sdkDependency(template.devDependencies),
      ...Object.fromEntries(
        rootToolingPackages.map((dep) => [dep, rootManifest.devDependencies?.[dep] as string]),
      ),
    }),
    prettier: rootManifest.prettier,
  };

  const readme = rendered.find((file) => file.path === 'README.md');
  const files: RenderedFile[] = [
    ...rendered.filter((file) => file.path !== 'package.json' && file.path !== 'README.md'),
    text('package.json', `${JSON.stringify(manifest, null, 2)}\n`),
    text('README.md', readmeIntro(name, vendored) + (readme?.content.toString('utf8') ?? '')),
    text('tsconfig.base.json', readFileSync(join(root, 'tsconfig.base.json'), 'utf8')),
    ...sharedConfigFiles.map((file) =>
      text(`config/${file}`, readFileSync(join(root, 'tools', 'config', file), 'utf8')),
    ),
    text('.npmrc', readFileSync(join(root, '.npmrc'), 'utf8')),
    text('.gitignore', 'node_modules/\ndist/\ncoverage/\n*.tsbuildinfo\n*.log\n'),
    text('.prettierignore', 'vendor/\ndist/\ncoverage/\npackage-lock.json\n'),
    text('Dockerfile', dockerfile(templateNodeImage(templateDir))),
    text('.dockerignore', 'node_modules\ndist\ncoverage\n*.tsbuildinfo\n*.log\n.git\n'),
  ];
  // The manifest first: it carries the prettier settings the formatting below resolves.
  writeFileSync(join(directory, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  for (const file of await formatRendered(files, directory)) {
    const path = join(directory, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, file.content);
  }

  if (options.lockfile !== false) {
    const install = await execa(
      'npm',
      [
        'install',
        '--package-lock-only',
        '--ignore-scripts',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
      ],
      { cwd: directory, reject: false },
    );
    if (install.exitCode !== 0)
      throw generatorErrors.STANDALONE_INSTALL_FAILED({
        directory,
        detail: String(install.stderr).trim().slice(-1000),
      });
  }
  return {
    name,
    directory,
    files: [...files.map((file) => file.path), ...vendored, 'package-lock.json'].sort(),
    vendored,
  };
}
