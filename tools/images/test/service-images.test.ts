import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import {
  LocalPlatform,
  platformServices,
  serviceNodeOptions,
  type PlatformServiceName,
} from '@realtime-platform/local-platform';
import { ContainerService } from '@realtime-platform/local-infra';
import { isPlatformSecretKey, runtimeEnvCatalog } from '@realtime-platform/platform-contract';
import { Buildah, type ImageConfig } from '@realtime-platform/toolchain';
import {
  baseImage,
  catalogServices,
  imageBuildArgs,
  imageCatalog,
  imageName,
  readPackage,
  repoRoot,
} from './support/image-catalog.js';
import { MountedImage } from './support/mounted-image.js';

/**
 * Issue 15: every service image, built by build-images.sh from services/Dockerfile (nx runs the
 * services' `image` targets first), holds exactly what its service runs and runs as a pod would
 * run it: non-root, read-only root filesystem, configured only by the platform's secrets and the
 * RTP_* variables the chart sets, ready against a loopback platform.
 */
const buildah = Buildah.locate();
const runtimeNames = new Set<string>(runtimeEnvCatalog.map((variable) => variable.name));

/** The `@realtime-platform/*` workspace folders a service needs at run time, transitively. */
function workspaceClosure(service: string): Set<string> {
  const folderOf = new Map<string, string>();
  for (const group of ['libs', 'services']) {
    for (const name of readdirSync(join(repoRoot, group))) {
      if (existsSync(join(repoRoot, group, name, 'package.json')))
        folderOf.set(readPackage(`${group}/${name}`).name, `${group}/${name}`);
    }
  }
  const closure = new Set<string>([`services/${service}`]);
  const visit = (dir: string): void => {
    for (const dependency of Object.keys(readPackage(dir).dependencies ?? {})) {
      const folder = folderOf.get(dependency);
      if (folder === undefined || closure.has(folder)) continue;
      closure.add(folder);
      visit(folder);
    }
  };
  visit(`services/${service}`);
  return closure;
}

/** Every path under `dir` (files, folders, links), relative to `root`. */
function* walk(root: string, dir = ''): Generator<string> {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
    yield path;
    if (entry.isDirectory()) yield* walk(root, path);
  }
}

describe.each(catalogServices)('image of %s', (service) => {
  const image = imageName(service);
  let config: ImageConfig;
  let mounted: MountedImage;

  beforeAll(async () => {
    config = await buildah.imageConfig(image);
    mounted = await MountedImage.mount(image);
  });
  afterAll(async () => mounted?.release());

  it('is tagged as a release publishes it, and the chart and the addon pull that name', () => {
    const version = readPackage(`services/${service}`).version;
    expect(image).toBe(`${imageCatalog.registry}/${imageCatalog.namespace}/${service}:${version}`);
    const chartKey = { 'mqtt-bridge': 'mqttBridge', 'stream-processor': 'streamProcessor' }[
      service
    ];
    if (chartKey !== undefined) {
      const values = parse(
        readFileSync(join(repoRoot, 'charts/realtime-platform/values.yaml'), 'utf8'),
      ) as { builtin: Record<string, { image: Record<string, string> }> };
      const { registry, repository, tag } = values.builtin[chartKey]?.image ?? {};
      expect(`${registry}/${repository}:${tag}`).toBe(image);
    }
    if (service === 'realtime-service') {
      const parameters = readFileSync(
        join(repoRoot, 'addons/realtime-platform/parameter.cue'),
        'utf8',
      );
      expect(parameters).toContain(`repository: *"${image.slice(0, image.lastIndexOf(':'))}"`);
      expect(parameters).toContain(`tag: *"${version}"`);
    }
  });

  it('runs node dist/main.js of the service as 65532:65532 with /tmp as its only volume', () => {
    expect(config.User).toBe('65532:65532');
    expect(config.WorkingDir).toBe(`/app/services/${service}`);
    expect(config.Cmd).toEqual(['node', '--enable-source-maps', 'dist/main.js']);
    expect(Object.keys(config.Volumes ?? {})).toEqual(['/tmp']);
    expect(config.Env).toEqual(expect.arrayContaining(['NODE_ENV=production']));
    for (const [name, value] of Object.entries(imageBuildArgs(service)))
      expect(config.Env).toContain(`${name}=${value}`);
    expect(existsSync(join(mounted.root, `app/services/${service}/dist/main.js`))).toBe(true);
  });

  it('sets NODE_OPTIONS as rtp dev and the bench run the service: the heap cap every image gets, then its own flags', () => {
    const nodeOptions = serviceNodeOptions(service as PlatformServiceName);
    expect(config.Env).toContain(`NODE_OPTIONS=${nodeOptions}`);
    expect(nodeOptions).toBe(
      `${imageCatalog.nodeOptions} ${imageCatalog.services[service]?.nodeOptions}`,
    );
  });

  it('holds exactly the workspace packages the service depends on, as they publish themselves', () => {
    const present = ['libs', 'services'].flatMap((group) =>
      existsSync(join(mounted.root, 'app', group))
        ? readdirSync(join(mounted.root, 'app', group)).map((name) => `${group}/${name}`)
        : [],
    );
    expect(new Set(present)).toEqual(workspaceClosure(service));
    // What package.json "files" publishes: compiled code (libraries also their sources, for
    // source maps), never tests or build configuration.
    for (const folder of present) {
      expect(existsSync(join(mounted.root, 'app', folder, 'dist'))).toBe(true);
      const unpublished = [...walk(join(mounted.root, 'app', folder))].filter((path) =>
        /(^|\/)(test|coverage)(\/|$)|\.test\.ts$|(^|\/)(tsconfig[^/]*\.json|jest\.config\.js|eslint\.config\.js)$/.test(
          path,
        ),
      );
      expect([folder, unpublished]).toEqual([folder, []]);
    }
    expect(existsSync(join(mounted.root, 'app/services', service, 'src'))).toBe(false);
  });

  it('holds the production dependencies and none of the build or test tooling', () => {
    const modules = join(mounted.root, 'app/node_modules');
    const { dependencies = {} } = readPackage(`services/${service}`);
    for (const dependency of Object.keys(dependencies))
      expect([dependency, existsSync(join(modules, dependency))]).toEqual([dependency, true]);
    for (const tool of [
      'typescript',
      'jest',
      'ts-jest',
      'eslint',
      'nx',
      '@realtime-platform/local-infra',
      '@realtime-platform/toolchain',
      '@realtime-platform/cli',
      '@realtime-platform/local-platform',
      '@realtime-platform/testkit',
    ])
      expect([tool, existsSync(join(modules, tool))]).toEqual([tool, false]);
  });

  it("leaves every file of /app owned by root and unwritable by the service's user", () => {
    const writable: string[] = [];
    for (const path of walk(join(mounted.root, 'app'))) {
      const stat = lstatSync(join(mounted.root, 'app', path));
      if (stat.isSymbolicLink()) continue;
      if (stat.uid !== 0 || (stat.mode & 0o002) !== 0) writable.push(path);
    }
    expect(writable).toEqual([]);
  });
});

describe('ContainerService on the service images', () => {
  const image = imageName('stream-processor');
  const run = async (script: string): Promise<{ exit: unknown; log: string }> => {
    const container = await ContainerService.start({
      name: 'write-probe',
      image,
      env: {},
      waitFor: 'none',
      args: ['node', '-e', script],
    });
    const exit = await container.exited;
    await container.stop();
    return { exit, log: readFileSync(container.logFile, 'utf8') };
  };

  it('refuses a write to the root filesystem (EROFS) and allows one to the /tmp volume', async () => {
    const refused = await run(
      "require('node:fs').writeFileSync('/app/written-by-the-service', 'x')",
    );
    expect(refused.exit).toEqual({ exitCode: 1, signal: null });
    expect(refused.log).toMatch(/EROFS: read-only file system/);
    const allowed = await run(
      "require('node:fs').writeFileSync('/tmp/scratch', 'x'); console.log('wrote /tmp/scratch')",
    );
    expect(allowed.exit).toEqual({ exitCode: 0, signal: null });
    expect(allowed.log).toContain('wrote /tmp/scratch');
  });

  it('refuses to run an image whose user is root (the node base image)', async () => {
    await expect(
      ContainerService.start({ name: 'root-probe', image: baseImage, env: {}, waitFor: 'none' }),
    ).rejects.toMatchObject({ code: 'RTP_ERR_INFRA_IMAGE_RUNS_AS_ROOT' });
  });
});

describe('service images against a loopback platform', () => {
  let platform: LocalPlatform;
  /**
   * What the chart gives the service: its Secrets (its own Kafka principal and MQTT role in the
   * kafka and mqtt slots) and its RTP_* variables.
   */
  const chartEnv = (service: PlatformServiceName): Record<string, string> => {
    const spec = platformServices({
      platformName: 'images',
      wsJwtSecret: platform.wsJwtSecret,
      wsJwtIssuer: platform.wsJwtIssuer,
      wsJwtAudience: platform.wsJwtAudience,
      wsMaxSubscriptions: 256,
      simulator: { devices: 1, rate: 1 },
    }).find((candidate) => candidate.name === service);
    if (spec === undefined) throw new Error(`no service ${service}`);
    return { ...platform.envFor(spec), ...spec.env };
  };

  beforeAll(async () => {
    platform = await LocalPlatform.start({ name: 'images', services: false });
  }, 300_000);
  afterAll(async () => platform?.stop(), 60_000);

  /** The container's main process as the host sees it: the child unshare forked. */
  const containerProcess = (container: ContainerService): number => {
    const children = readFileSync(
      `/proc/${container.pid}/task/${container.pid}/children`,
      'utf8',
    ).trim();
    return Number(children.split(' ')[0]);
  };

  it.each(catalogServices as PlatformServiceName[])(
    '%s answers /health/ready as 65532 with a read-only root, given only the five secrets and its RTP_* variables',
    async (service) => {
      const given = { ...chartEnv(service), RTP_HTTP_HOST: '127.0.0.1' };
      const container = await ContainerService.start({
        name: service,
        image: imageName(service),
        env: given,
      });
      try {
        const response = await fetch(`${container.url}/health/ready`);
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ status: 'ready' });

        const pid = containerProcess(container);
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        expect(status).toMatch(/^Uid:\s+65532\s+65532\s+65532\s+65532$/m);
        expect(status).toMatch(/^Gid:\s+65532\s+65532\s+65532\s+65532$/m);
        expect(status).toMatch(/^Groups:\s*$/m);
        expect(status).toMatch(/^CapEff:\s+0+$/m);
        expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
        expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toEqual(
          expect.arrayContaining(['node', 'dist/main.js']),
        );

        // mountinfo: <id> <parent> <dev> <root> <mount point> <options> ... - <type> <source> <super options>
        const mounts = readFileSync(`/proc/${pid}/mountinfo`, 'utf8')
          .trim()
          .split('\n')
          .map((line) => line.split(' '))
          .map((fields) => ({
            point: fields[4],
            options: fields[5]?.split(',') ?? [],
            type: fields[fields.indexOf('-') + 1],
          }));
        const mountAt = (point: string) => mounts.filter((mount) => mount.point === point).at(-1);
        expect(mountAt('/')?.options).toContain('ro');
        expect(mountAt('/tmp')).toMatchObject({
          type: 'tmpfs',
          options: expect.arrayContaining(['rw']),
        });
        // Nothing else the service could write to.
        const writable = mounts
          .filter((mount) => mount.options.includes('rw'))
          .map((mount) => mount.point)
          .filter(
            (point) =>
              point !== '/tmp' && !point?.startsWith('/proc') && !point?.startsWith('/dev'),
          );
        expect(writable).toEqual([]);

        const environment = readFileSync(`/proc/${pid}/environ`, 'utf8')
          .split('\0')
          .filter((entry) => entry !== '')
          .map((entry) => entry.slice(0, entry.indexOf('=')));
        const { Env: imageEnv = [] } = await buildah.imageConfig(container.image);
        const fromImage = new Set(imageEnv.map((entry) => entry.slice(0, entry.indexOf('='))));
        // PWD: the image's entrypoint shell exports it, under any runtime.
        const unexpected = environment.filter(
          (name) =>
            name !== 'PWD' &&
            !fromImage.has(name) &&
            !isPlatformSecretKey(name) &&
            !runtimeNames.has(name),
        );
        expect(unexpected).toEqual([]);
        expect(environment.filter(isPlatformSecretKey).sort()).toEqual(
          Object.keys(platform.platformEnv).sort(),
        );
      } finally {
        await container.stop();
      }
      expect(await container.exited).toEqual({ exitCode: 0, signal: null });
    },
    120_000,
  );
});
