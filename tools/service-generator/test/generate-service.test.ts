import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { generateService, generatorErrors, planService } from '../src/index.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../../..');
const suffix = randomBytes(3).toString('hex');
const created: string[] = [];

afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

const fileOf = (plan: Plan, path: string): string => {
  const file = plan.files.find((f) => f.path === path);
  if (file === undefined) throw new Error(`${path} was not generated`);
  return file.content.toString('utf8');
};

type Plan = Awaited<ReturnType<typeof planService>>;

describe('planService', () => {
  const name = `ward-monitor-${suffix}`;
  let plan: Plan;
  beforeAll(async () => {
    plan = await planService({ name, workspaceRoot: root });
  });

  it('names the package, the nx project and the default service name after the new service', () => {
    const manifest = JSON.parse(fileOf(plan, 'package.json')) as {
      name: string;
      nx: { name: string };
    };
    expect(manifest.name).toBe(`@realtime-platform/${name}`);
    expect(manifest.nx.name).toBe(name);
    expect(fileOf(plan, 'src/infrastructure/config/service-config.ts')).toContain(
      `export const defaultServiceName = '${name}';`,
    );
    expect(fileOf(plan, 'src/infrastructure/postgres/database-schema.ts')).toContain(
      `export const databaseSchema = 'ward_monitor_${suffix}';`,
    );
    expect(fileOf(plan, 'src/domain/domain.errors.ts')).toContain(
      `'RTP_ERR_WARD_MONITOR_${suffix.toUpperCase()}'`,
    );
  });

  it('rewrites the image target (services/Dockerfile, SERVICE=<name>) and the README for the new name', () => {
    const manifest = JSON.parse(fileOf(plan, 'package.json')) as {
      main: string;
      nx: { targets: { image: { command: string } } };
    };
    expect(manifest.nx.targets.image.command).toBe(
      `bash tools/images/scripts/build-images.sh ${name}`,
    );
    // What the image runs (services/Dockerfile: WORKDIR /app/services/<name>, node dist/main.js).
    expect(manifest.main).toBe('./dist/main.js');
    expect(fileOf(plan, 'README.md')).toMatch(new RegExp(`^# @realtime-platform/${name}$`, 'm'));
  });

  it('leaves no spelling of the template name, except lines marked to keep', () => {
    for (const file of plan.files) {
      const lines = file.content
        .toString('utf8')
        .split('\n')
        .filter((line) => !line.includes('generator:keep-line'));
      expect({
        file: file.path,
        hits: lines.filter((l) =>
          /realtime-service|realtime_service|REALTIME_SERVICE|RealtimeService|realtimeService/.test(
            l,
          ),
        ),
      }).toEqual({ file: file.path, hits: [] });
    }
  });

  it('copies sources, tests, migrations and the dashboard, but no build output or node_modules', () => {
    const paths = plan.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'src/main.ts',
        'migrations/0001_create_alerts.sql',
        'public/index.html',
        'test/unit/errors.test.ts',
        'package.json',
      ]),
    );
    expect(paths.filter((p) => /(^|\/)(node_modules|dist)\//.test(p))).toEqual([]);
  });

  it('points root-relative config paths at the workspace root from any depth', async () => {
    const deep = await planService({
      name,
      workspaceRoot: root,
      directory: `apps/team-a/${name}`,
    });
    expect(fileOf(deep, 'tsconfig.json')).toContain('"../../../tsconfig.base.json"');
    expect(fileOf(deep, 'jest.config.js')).toContain("'../../../tools/config/jest.preset.js'");
  });

  it('refuses a name a workspace package already has, and a non-empty target', async () => {
    await expect(planService({ name: 'service-generator', workspaceRoot: root })).rejects.toThrow(
      expect.objectContaining({ code: generatorErrors.NAME_TAKEN.code }),
    );
    const dir = join(root, 'services', `__gen-occupied-${suffix}`);
    created.push(dir);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'keep.txt'), 'mine');
    await expect(
      planService({ name: `occupied-${suffix}`, workspaceRoot: root, directory: dir }),
    ).rejects.toThrow(expect.objectContaining({ code: generatorErrors.TARGET_EXISTS.code }));
  });
});

describe('generateService', () => {
  it('creates a service whose unit tests pass unchanged', async () => {
    const name = `gen-test-${suffix}`;
    const directory = join(root, 'services', `__gen-test-${suffix}`);
    created.push(directory);
    const generated = await generateService({ name, directory, workspaceRoot: root });
    expect(generated.directory).toBe(directory);
    expect(existsSync(join(directory, 'src/main.ts'))).toBe(true);

    const report = join(directory, 'jest-report.json');
    await run(
      process.execPath,
      [
        join(root, 'node_modules/jest/bin/jest.js'),
        'test/unit',
        '--json',
        `--outputFile=${report}`,
      ],
      {
        cwd: directory,
        env: {
          ...process.env,
          NODE_OPTIONS: '--experimental-vm-modules --disable-warning=ExperimentalWarning',
        },
        timeout: 280_000,
        maxBuffer: 64 * 1024 * 1024,
      },
    ).catch((error: unknown) => {
      throw new Error(
        `the generated service's unit tests failed:\n${(error as { stderr?: string }).stderr ?? error}`,
      );
    });
    const result = JSON.parse(readFileSync(report, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numTotalTestSuites: number;
    };
    expect(result.numFailedTests).toBe(0);
    expect(result.numPassedTests).toBeGreaterThan(50);
    // Its lint passes too (formatting follows the longer or shorter name).
    await run(
      process.execPath,
      [join(root, 'node_modules/.bin/prettier'), '--check', '{src,test,public}/**/*.{ts,js}'],
      {
        cwd: directory,
      },
    );
    await run(
      process.execPath,
      [join(root, 'node_modules/.bin/tsc'), '-p', 'tsconfig.json', '--noEmit'],
      {
        cwd: directory,
        timeout: 120_000,
      },
    );
    console.log(
      `generated service: ${result.numPassedTests} unit tests passed in ${result.numTotalTestSuites} suites`,
    );
  });
});

describe('nx generator', () => {
  it('is registered: `nx g @realtime-platform/service-generator:service <name> --dry-run` plans the files', async () => {
    const name = `nx-gen-${suffix}`;
    const { stdout } = await run(
      process.execPath,
      [
        join(root, 'node_modules/.bin/nx'),
        'g',
        '@realtime-platform/service-generator:service',
        name,
        '--dry-run',
        '--no-interactive',
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          NX_DAEMON: 'false',
          NX_NO_CLOUD: 'true',
          NX_TUI: 'false',
          FORCE_COLOR: '0',
          NO_COLOR: '1',
        },
        timeout: 120_000,
      },
    );
    // Under a parent nx run colours may be forced: compare the text only.
    // eslint-disable-next-line no-control-regex
    const text = stdout.replace(/\u001b\[[0-9;]*m/g, '');
    expect(text).toContain(`CREATE services/${name}/package.json`);
    expect(text).toContain(`CREATE services/${name}/src/main.ts`);
    expect(existsSync(join(root, 'services', name))).toBe(false);
  });
});
