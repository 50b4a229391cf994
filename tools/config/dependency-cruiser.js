// The direction of the import graph, enforced in lint (issue 18): runtime code, what libs/ and
// services/ ship, never imports tools/. Tools (the toolchain, local-infra, the CLI, ...) are
// build, test and dev machinery; an SDK user installs none of them. Tests and benches of libs and
// services may use the test infrastructure in tools/ (local-infra, testkit) as dev dependencies,
// and nothing else there.
//
// Each lib's and service's `lint` runs `depcruise --config ../../tools/config/dependency-cruiser.js
// src test` in its folder; `npx depcruise --config tools/config/dependency-cruiser.js libs services`
// checks all of them from the root. dependency-cruiser names modules relative to the folder it
// runs in, so the patterns below are built for that folder.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import process from 'node:process';

const root = resolve(import.meta.dirname, '../..');

/** Test infrastructure (folders under tools/) that tests and benches of libs and services may import. */
export const testInfrastructure = ['local-infra', 'testkit'];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A root-relative folder as dependency-cruiser names it from here, with a trailing slash ('' for here). */
const fromHere = (folder) => {
  const path = relative(process.cwd(), join(root, folder)).split(sep).join('/');
  return path === '' ? '' : `${path}/`;
};
const packagesIn = (folder) =>
  readdirSync(join(root, folder), { withFileTypes: true })
    .filter(
      (entry) => entry.isDirectory() && existsSync(join(root, folder, entry.name, 'package.json')),
    )
    .map((entry) => ({
      folder: `${folder}/${entry.name}`,
      name: JSON.parse(readFileSync(join(root, folder, entry.name, 'package.json'), 'utf8')).name,
    }));
const anyOf = (alternatives) => `(?:${alternatives.join('|')})`;

const runtimePackages = [...packagesIn('libs'), ...packagesIn('services')];
const tools = packagesIn('tools');
const runtimeFolders = anyOf(runtimePackages.map((p) => escape(fromHere(p.folder))));
// A tool is reached by its path (a relative import, or its package resolved to its folder), through
// the workspace's node_modules link, or by its bare package name when it did not resolve (not built
// yet, or not declared): all count.
const toolPaths = (folders) => {
  const names = anyOf(
    tools
      .filter((t) => folders.includes(t.folder.slice('tools/'.length)))
      .map((t) => escape(t.name)),
  );
  return [
    `^${escape(fromHere('tools'))}${anyOf(folders.map(escape))}/`,
    `(?:^|/)node_modules/${names}/`,
    `^${names}(?:/|$)`,
  ];
};
const allTools = tools.map((t) => t.folder.slice('tools/'.length));

// The onion layers of a service (STYLE.md, Onion service layout): every import points inward.
// A package is laid out in layers when its src/ has domain/, application/, infrastructure/ and
// interface/ folders (every service, a generated one included); the files directly in src/ are
// outside the layers: the composition root (composition-root.ts, the only file that knows every
// layer), main.ts (starts it), index.ts (a library entry) and the service's error table. $1 is the
// package's folder as dependency-cruiser names it (empty when run in the package), so an arrow
// only counts inside one package.
const inPackage = (folder) => `^(|.*/)src/${folder}`;
const samePackage = (folder) => `^$1src/${folder}`;

/** The onion rules, one set for every service (names start with `onion-`). */
export const onionRules = [
  {
    name: 'onion-domain-inward',
    comment:
      'The domain knows no other layer: no use case, port, adapter or controller (imports point inward).',
    severity: 'error',
    from: { path: inPackage('domain/') },
    to: { path: samePackage('(?:application|infrastructure|interface)/') },
  },
  {
    name: 'onion-application-inward',
    comment:
      'Use cases and their ports know only the domain: adapters (infrastructure) and controllers (interface) plug into the ports, never the other way round.',
    severity: 'error',
    from: { path: inPackage('application/') },
    to: { path: samePackage('(?:infrastructure|interface)/') },
  },
  {
    name: 'onion-adapters-apart',
    comment:
      'Infrastructure (driven adapters) and interface (driving adapters) do not import each other: both reach the core through the application, and the composition root joins them.',
    severity: 'error',
    from: { path: inPackage('(infrastructure|interface)/') },
    to: { path: samePackage('(?:infrastructure|interface)/'), pathNot: samePackage('$2/') },
  },
  {
    name: 'onion-layers-not-to-composition-root',
    comment:
      'No layer imports the composition root, main.ts or the library entry: they sit outside the layers and import them, not the other way round.',
    severity: 'error',
    from: { path: inPackage('(?:domain|application|infrastructure|interface)/') },
    to: { path: samePackage('(?:composition-root|main|index)\\.ts$') },
  },
];

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    ...onionRules,
    {
      name: 'runtime-not-to-tools',
      comment:
        'Runtime code of libs/ and services/ (src/, tests excluded) never imports tools/: what they ship must not pull build or test machinery into applications.',
      severity: 'error',
      from: { path: `^${runtimeFolders}src/`, pathNot: '\\.test\\.ts$' },
      to: { path: toolPaths(allTools) },
    },
    {
      name: 'runtime-tests-only-to-test-infrastructure',
      comment: `Tests and benches of libs/ and services/ import from tools/ only the test infrastructure (${testInfrastructure.join(', ')}).`,
      severity: 'error',
      from: {
        path: [`^${runtimeFolders}(?:test|bench)/`, `^${runtimeFolders}src/.*\\.test\\.ts$`],
      },
      to: {
        path: toolPaths(allTools),
        pathNot: toolPaths(testInfrastructure.filter((t) => allTools.includes(t))),
      },
    },
  ],
  options: {
    // Type-only imports are arrows of the graph too.
    tsPreCompilationDeps: true,
    // Other workspace packages (reached through their built dist/) are checked by their own lint:
    // only the arrow into them counts here, not what they import.
    doNotFollow: { path: ['(?:^|/)node_modules/', '(?:^|/)dist/', '^\\.\\./'] },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'default'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
