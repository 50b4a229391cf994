import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Buildah, type ImageConfig } from '@realtime-platform/toolchain';
import { localInfraErrors } from './local-infra-errors.js';
import {
  ServiceProcess,
  type ServiceLaunch,
  type ServiceProcessOptions,
} from './service-process.js';

export interface ContainerServiceOptions extends ServiceProcessOptions {
  /** A local image of the project's image storage, e.g. `ghcr.io/realtime-platform/mqtt-bridge:0.1.0`. */
  readonly image: string;
  /**
   * The container's whole environment besides what the image declares (ENV): what a pod's
   * `envFrom`/`env` would inject. Nothing of this process's environment is passed on.
   */
  readonly env: Readonly<Record<string, string>>;
  /** Set RTP_HTTP_PORT to the chosen port (default): the container shares the host's network. */
  readonly setHttpPort?: boolean;
  /** Replaces the image's CMD (a pod's `args`); the entrypoint stays. */
  readonly args?: readonly string[];
}

/**
 * Mounts, inside a private mount and PID namespace, what a container runtime with a pod's
 * security context gives a container: the image's root filesystem read-only, a fresh tmpfs on
 * every volume the image declares, /proc, a minimal /dev; then becomes the image's user (numeric
 * uid:gid, no supplementary groups, no capabilities, no new privileges) and runs its entrypoint
 * and command in its working directory. Only host tools run before the image's entrypoint.
 * Arguments: <rootfs> <uid> <gid> <workdir> <volume paths, ':'-separated> -- <argv...>
 */
const launcher = String.raw`# Written by @realtime-platform/local-infra ContainerService: runs one container of an image.
set -eu
root=$1 uid=$2 gid=$3 workdir=$4 volumes=$5
shift 5
[ "$1" = -- ] && shift
mount --make-rprivate /
mount --bind "$root" "$root"
mount -o remount,bind,ro "$root"
IFS=:
for volume in $volumes; do
  [ -z "$volume" ] || mount -t tmpfs -o nosuid,nodev,mode=1777 tmpfs "$root$volume"
done
unset IFS
# /proc and /dev where the image has their mount points (a FROM scratch image has neither).
if [ -d "$root/proc" ]; then mount -t proc -o nosuid,nodev,noexec proc "$root/proc"; fi
if [ -d "$root/dev" ]; then
  mount -t tmpfs -o nosuid,noexec,mode=0755 tmpfs "$root/dev"
  for device in null zero full random urandom; do
    touch "$root/dev/$device"
    mount --bind "/dev/$device" "$root/dev/$device"
  done
  ln -s /proc/self/fd "$root/dev/fd"
  mkdir "$root/dev/shm"
  mount -t tmpfs -o nosuid,nodev,noexec,mode=1777 tmpfs "$root/dev/shm"
fi
# The host's setpriv and unshare, so the image needs no tools of its own: no new privileges, then
# chroot, working directory, groups cleared and the image's uid:gid (which clears every capability).
exec setpriv --no-new-privs --inh-caps=-all -- \
  unshare --root="$root" --wd="$workdir" --setgid="$gid" --setuid="$uid" -- "$@"
`;

/**
 * A platform service run as a container of its image, with no container engine: buildah (from
 * Debian) creates a working container and mounts its root filesystem, and the service runs
 * chrooted into it, as the image's non-root user, with a read-only root filesystem, only the
 * image's ENV plus the given environment, and the host's network (so loopback servers are
 * reachable). `podman run` fails here with Debian's defaults (crun: rlimits above the VM's hard
 * limit, hybrid cgroups; see tools/images/README.md), and a killed `podman run` leaves its
 * container running, which crash tests cannot use. The image's user, entrypoint, command,
 * working directory and volumes come from its configuration, so what runs is what a cluster
 * would run.
 */
export class ContainerService extends ServiceProcess {
  private constructor(
    private readonly containerOptions: ContainerServiceOptions,
    httpPort: number,
    private readonly buildah: Buildah,
    private readonly config: ImageConfig,
    private readonly container: string,
    private readonly rootfs: string,
  ) {
    super(containerOptions, httpPort);
  }

  static async start(options: ContainerServiceOptions): Promise<ContainerService> {
    const buildah = Buildah.locate();
    const config = await buildah.imageConfig(options.image);
    const user = /^(\d+)(?::(\d+))?$/.exec(config.User ?? '');
    if (user === null || user[1] === '0')
      throw localInfraErrors.IMAGE_RUNS_AS_ROOT({ image: options.image, user: config.User ?? '' });
    const httpPort = await ServiceProcess.choosePort(options);
    const name = `rtp-${options.name}-${randomBytes(4).toString('hex')}`;
    const container = (
      await buildah.run(['from', '--pull=never', '--quiet', '--name', name, options.image])
    ).trim();
    let rootfs: string;
    try {
      rootfs = (await buildah.run(['mount', container])).trim();
    } catch (error) {
      await buildah.run(['rm', container]).catch(() => undefined);
      throw error;
    }
    const service = new ContainerService(options, httpPort, buildah, config, container, rootfs);
    await service.begin();
    return service;
  }

  get image(): string {
    return this.containerOptions.image;
  }

  /** The image's user as uid:gid (never root: start() refuses such an image). */
  get user(): string {
    const [uid, gid = uid] = (this.config.User ?? '').split(':');
    return `${uid}:${gid}`;
  }

  /** The environment the container gets: the image's ENV, then the given variables. */
  get environment(): Readonly<Record<string, string>> {
    const env: Record<string, string> = {};
    for (const entry of this.config.Env ?? []) {
      const at = entry.indexOf('=');
      env[entry.slice(0, at)] = entry.slice(at + 1);
    }
    Object.assign(env, this.containerOptions.env);
    if (this.containerOptions.setHttpPort ?? true) env.RTP_HTTP_PORT = String(this.httpPort);
    return env;
  }

  protected launch(): ServiceLaunch {
    const [uid = '', gid = uid] = this.user.split(':');
    const argv = [
      ...(this.config.Entrypoint ?? []),
      ...(this.containerOptions.args ?? this.config.Cmd ?? []),
    ];
    const volumes = Object.keys(this.config.Volumes ?? {}).join(':');
    return {
      command: '/usr/bin/unshare',
      args: [
        '--mount',
        '--pid',
        '--fork',
        '--kill-child',
        '/bin/sh',
        this.launcherFile(),
        this.rootfs,
        uid,
        gid,
        this.config.WorkingDir || '/',
        volumes,
        '--',
        ...argv,
      ],
      env: this.environment,
    };
  }

  /** The launcher, written into the run directory (readable, and short in the log's header). */
  private launcherFile(): string {
    const file = join(this.runDir, 'run-container.sh');
    writeFileSync(file, launcher);
    return file;
  }

  protected override async release(): Promise<void> {
    await this.buildah.run(['umount', this.container]).catch(() => undefined);
    await this.buildah.run(['rm', this.container]).catch(() => undefined);
  }
}
