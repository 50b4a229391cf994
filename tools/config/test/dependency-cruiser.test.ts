// The module-boundary rules (dependency-cruiser.js) run by every lib's and service's lint: proven on
// a throwaway workspace of the same shape (libs/, services/, tools/, workspace links in
// node_modules), with the real dependency-cruiser, run the way lint runs it (in the package folder).
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';

const repoRoot = resolve(import.meta.dirname, '../../..');
const depcruise = join(repoRoot, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');

interface CruiseResult {
  status: number | null;
  output: string;
}

function run(cwd: string, config: string, paths: string[]): CruiseResult {
  const result = spawnSync(process.execPath, [depcruise, '--config', config, ...paths], {
    cwd,
    encoding: 'utf8',
    // Plain text to match on, also when nx forces colours on its children.
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const workspaces: string[] = [];
afterEach(() => {
  for (const dir of workspaces.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A workspace with one lib, one service and three tools (toolchain, local-infra, testkit; each
 * linked in node_modules as npm workspaces do) plus `@realtime-platform/cli`, a tool that is not
 * linked, so importing it does not resolve. `files` adds or replaces source files.
 */
function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'rtp-boundaries-'));
  workspaces.push(root);
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  mkdirSync(join(root, 'tools/config'), { recursive: true });
  copyFileSync(
    join(repoRoot, 'tools/config/dependency-cruiser.js'),
    join(root, 'tools/config/dependency-cruiser.js'),
  );
  write('package.json', JSON.stringify({ name: 'fixture', private: true, type: 'module' }));
  const packages = {
    'libs/errors': '@realtime-platform/errors',
    'services/mqtt-bridge': '@realtime-platform/mqtt-bridge',
    'tools/toolchain': '@realtime-platform/toolchain',
    'tools/local-infra': '@realtime-platform/local-infra',
    'tools/testkit': '@realtime-platform/testkit',
  };
  for (const [folder, name] of Object.entries(packages)) {
    write(
      `${folder}/package.json`,
      JSON.stringify({ name, type: 'module', exports: { '.': './index.js' } }),
    );
    write(`${folder}/index.js`, 'export const value = 1;\n');
    mkdirSync(join(root, 'node_modules/@realtime-platform'), { recursive: true });
    symlinkSync(join(root, folder), join(root, 'node_modules', name));
  }
  write(
    'tools/cli/package.json',
    JSON.stringify({ name: '@realtime-platform/cli', type: 'module' }),
  );
  write('libs/errors/src/index.ts', "export const code = 'RTP_ERR_X';\n");
  write('libs/errors/test/index.test.ts', "import { code } from '../src/index.js';\nvoid code;\n");
  write(
    'services/mqtt-bridge/src/main.ts',
    "import { code } from '@realtime-platform/errors';\nvoid code;\n",
  );
  write('services/mqtt-bridge/test/main.test.ts', "import '../src/main.js';\n");
  for (const [path, text] of Object.entries(files)) write(path, text);
  return root;
}

/** Runs the rules as a lib's or service's lint does: in its folder, over src and test. */
function lintPackage(root: string, folder: string): CruiseResult {
  return run(join(root, folder), '../../tools/config/dependency-cruiser.js', ['src', 'test']);
}

describe('module boundaries: libs/ and services/ never import tools/', () => {
  it('passes a workspace whose runtime code imports only libs', () => {
    const root = workspace({});
    expect(lintPackage(root, 'libs/errors')).toMatchObject({ status: 0 });
    expect(lintPackage(root, 'services/mqtt-bridge')).toMatchObject({ status: 0 });
  });

  it('fails a lib whose source imports a tool by its package name', () => {
    const root = workspace({
      'libs/errors/src/runtime.ts':
        "import { value } from '@realtime-platform/toolchain';\nvoid value;\n",
    });
    const result = lintPackage(root, 'libs/errors');
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(
      'error runtime-not-to-tools: src/runtime.ts → ../../tools/toolchain/index.js',
    );
  });

  it('fails a service whose source imports a tool by a relative path', () => {
    const root = workspace({
      'services/mqtt-bridge/src/main.ts':
        "import { value } from '../../../tools/local-infra/index.js';\nvoid value;\n",
    });
    const result = lintPackage(root, 'services/mqtt-bridge');
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(
      'error runtime-not-to-tools: src/main.ts → ../../tools/local-infra/index.js',
    );
  });

  it('fails source that imports a tool whose package does not resolve (not built or not declared)', () => {
    const root = workspace({
      'libs/errors/src/runtime.ts': "import { run } from '@realtime-platform/cli';\nvoid run;\n",
    });
    const result = lintPackage(root, 'libs/errors');
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(
      'error runtime-not-to-tools: src/runtime.ts → @realtime-platform/cli',
    );
  });

  it('fails a type-only import of a tool too', () => {
    const root = workspace({
      'libs/errors/src/runtime.ts':
        "import type { value } from '@realtime-platform/toolchain';\nexport type V = typeof value;\n",
    });
    const result = lintPackage(root, 'libs/errors');
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(
      'error runtime-not-to-tools: src/runtime.ts → ../../tools/toolchain/index.js',
    );
  });

  it('lets tests use the test infrastructure (local-infra, testkit) but no other tool', () => {
    const allowed = workspace({
      'libs/errors/test/broker.test.ts':
        "import { value } from '@realtime-platform/local-infra';\nimport { value as v } from '@realtime-platform/testkit';\nvoid value;\nvoid v;\n",
    });
    expect(lintPackage(allowed, 'libs/errors')).toMatchObject({ status: 0 });

    const refused = workspace({
      'libs/errors/test/helm.test.ts':
        "import { value } from '@realtime-platform/toolchain';\nvoid value;\n",
    });
    const result = lintPackage(refused, 'libs/errors');
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(
      'error runtime-tests-only-to-test-infrastructure: test/helm.test.ts → ../../tools/toolchain/index.js',
    );
  });

  it('finds the same violations when run over libs and services from the root', () => {
    const root = workspace({
      'services/mqtt-bridge/src/main.ts':
        "import { value } from '@realtime-platform/testkit';\nvoid value;\n",
    });
    const result = run(root, 'tools/config/dependency-cruiser.js', ['libs', 'services']);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(
      'error runtime-not-to-tools: services/mqtt-bridge/src/main.ts → tools/testkit/index.js',
    );
  });

  it('holds for this repository: no lib or service imports a tool it may not', () => {
    const result = run(repoRoot, 'tools/config/dependency-cruiser.js', ['libs', 'services']);
    expect(result.output).toContain('no dependency violations found');
    expect(result.status).toBe(0);
  });
});

describe('onion layers: every import of a service points inward', () => {
  /** The service of the fixture workspace, laid out in the four layers, imports pointing inward. */
  const layered = (files: Record<string, string> = {}) =>
    workspace({
      'services/mqtt-bridge/src/domain/reading.model.ts': 'export type Reading = { id: string };\n',
      'services/mqtt-bridge/src/application/forward.use-case.ts':
        "import type { Reading } from '../domain/reading.model.js';\nexport const forward = (r: Reading) => r.id;\n",
      'services/mqtt-bridge/src/infrastructure/kafka.sink.ts':
        "import { forward } from '../application/forward.use-case.js';\nexport const sink = forward;\n",
      'services/mqtt-bridge/src/interface/http.routes.ts':
        "import { forward } from '../application/forward.use-case.js';\nexport const routes = forward;\n",
      'services/mqtt-bridge/src/composition-root.ts':
        "import { sink } from './infrastructure/kafka.sink.js';\nimport { routes } from './interface/http.routes.js';\nexport const parts = [sink, routes];\n",
      'services/mqtt-bridge/test/domain.test.ts':
        "import { parts } from '../src/composition-root.js';\nvoid parts;\n",
      ...files,
    });

  it('passes a service whose layers import inward and whose composition root and tests import every layer', () => {
    expect(lintPackage(layered(), 'services/mqtt-bridge')).toMatchObject({ status: 0 });
  });

  it.each([
    [
      'the domain imports a use case',
      'src/domain/reading.policy.ts',
      "import { forward } from '../application/forward.use-case.js';\nexport const policy = forward;\n",
      'error onion-domain-inward: src/domain/reading.policy.ts → src/application/forward.use-case.ts',
    ],
    [
      'a use case imports an adapter (type-only)',
      'src/application/send.use-case.ts',
      "import type { sink } from '../infrastructure/kafka.sink.js';\nexport type Sink = typeof sink;\n",
      'error onion-application-inward: src/application/send.use-case.ts → src/infrastructure/kafka.sink.ts',
    ],
    [
      'infrastructure imports interface',
      'src/infrastructure/routes.adapter.ts',
      "import { routes } from '../interface/http.routes.js';\nexport const adapter = routes;\n",
      'error onion-adapters-apart: src/infrastructure/routes.adapter.ts → src/interface/http.routes.ts',
    ],
    [
      'interface imports infrastructure',
      'src/interface/sink.routes.ts',
      "import { sink } from '../infrastructure/kafka.sink.js';\nexport const routes = sink;\n",
      'error onion-adapters-apart: src/interface/sink.routes.ts → src/infrastructure/kafka.sink.ts',
    ],
    [
      'a layer imports the composition root',
      'src/infrastructure/restart.adapter.ts',
      "import { parts } from '../composition-root.js';\nexport const restart = parts;\n",
      'error onion-layers-not-to-composition-root: src/infrastructure/restart.adapter.ts → src/composition-root.ts',
    ],
  ])('fails a service where %s', (_what, file, text, message) => {
    const result = lintPackage(
      layered({ [`services/mqtt-bridge/${file}`]: text }),
      'services/mqtt-bridge',
    );
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(message);
  });

  it('finds the same violation when run over libs and services from the root', () => {
    const root = layered({
      'services/mqtt-bridge/src/domain/reading.policy.ts':
        "import { forward } from '../application/forward.use-case.js';\nexport const policy = forward;\n",
    });
    const result = run(root, 'tools/config/dependency-cruiser.js', ['libs', 'services']);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain(
      'error onion-domain-inward: services/mqtt-bridge/src/domain/reading.policy.ts → services/mqtt-bridge/src/application/forward.use-case.ts',
    );
  });
});
