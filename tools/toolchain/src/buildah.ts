import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheDir } from './cache-dir.js';
import { findExecutable } from './system-binaries.js';
import { installScriptPath } from './toolchain-manifest.js';
import { toolchainErrors } from './toolchain-errors.js';

const execFileAsync = promisify(execFile);

/** scripts/buildah.sh: buildah on this project's image storage (for shells and other scripts). */
export const buildahScriptPath = new URL('../scripts/buildah.sh', import.meta.url).pathname;

/**
 * The global options that put buildah on this project's image storage under the tool cache.
 * Mirrors scripts/buildah.sh (a test checks that both agree). The run root is on tmpfs (mount
 * state must not outlive a reboot) and one per graph root (two storages must never share one).
 */
export function buildahStorageArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  const graphRoot = join(cacheDir(env), 'containers', 'storage');
  const runRoot = `/run/realtime-platform/containers-${createHash('sha256').update(graphRoot).digest('hex').slice(0, 12)}`;
  return ['--root', graphRoot, '--runroot', runRoot, '--storage-driver', 'overlay'];
}

/** The parts of an OCI image configuration a container runner honours. */
export interface ImageConfig {
  readonly User?: string;
  readonly Env?: readonly string[];
  readonly Entrypoint?: readonly string[];
  readonly Cmd?: readonly string[];
  readonly WorkingDir?: string;
  readonly Volumes?: Readonly<Record<string, unknown>>;
  readonly ExposedPorts?: Readonly<Record<string, unknown>>;
  readonly Labels?: Readonly<Record<string, string>>;
}

/** Debian's buildah, run as root on the project's image storage. */
export class Buildah {
  private constructor(readonly binary: string) {}

  /** Throws RTP_ERR_TOOLCHAIN_MISSING with the install hint when buildah or root is missing. */
  static locate(): Buildah {
    const binary = findExecutable('buildah', ['/usr/bin']);
    if (binary === undefined)
      throw toolchainErrors.MISSING({
        tool: 'buildah',
        hint: `install the Debian packages "buildah" and "mmdebstrap" (sudo bash ${installScriptPath} --with-images)`,
      });
    if (process.getuid?.() !== 0)
      throw toolchainErrors.MISSING({
        tool: 'buildah (as root)',
        hint: 'the images are built and run as root (--isolation chroot, chroot of the mounted image): run the tests as root',
      });
    return new Buildah(binary);
  }

  /** Runs `buildah <args>` on the project storage; resolves with stdout. */
  async run(args: readonly string[]): Promise<string> {
    try {
      const { stdout } = await execFileAsync(this.binary, [...buildahStorageArgs(), ...args], {
        maxBuffer: 64 * 1024 * 1024,
      });
      return stdout;
    } catch (error) {
      const failure = error as { code?: number; stderr?: string; message: string };
      throw toolchainErrors.BUILDAH_FAILED(
        {
          command: args.join(' '),
          exitCode: typeof failure.code === 'number' ? failure.code : undefined,
          stderr: failure.stderr || failure.message,
        },
        { cause: error },
      );
    }
  }

  /** The OCI configuration of a local image (never pulls). */
  async imageConfig(image: string): Promise<ImageConfig> {
    const inspected = JSON.parse(await this.run(['inspect', '--type', 'image', image])) as {
      OCIv1: { config?: ImageConfig };
    };
    return inspected.OCIv1.config ?? {};
  }

  /** Whether the image is in the project storage. */
  async hasImage(image: string): Promise<boolean> {
    try {
      await this.run(['inspect', '--type', 'image', '--format', '{{.FromImageID}}', image]);
      return true;
    } catch {
      return false;
    }
  }
}
