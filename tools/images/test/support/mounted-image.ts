import { Buildah } from '@realtime-platform/toolchain';

/** An image's root filesystem, mounted read-write-free for inspection (a working container). */
export class MountedImage {
  private constructor(
    private readonly buildah: Buildah,
    private readonly container: string,
    readonly root: string,
  ) {}

  static async mount(image: string): Promise<MountedImage> {
    const buildah = Buildah.locate();
    const container = (await buildah.run(['from', '--pull=never', '--quiet', image])).trim();
    const root = (await buildah.run(['mount', container])).trim();
    return new MountedImage(buildah, container, root);
  }

  async release(): Promise<void> {
    await this.buildah.run(['umount', this.container]).catch(() => undefined);
    await this.buildah.run(['rm', this.container]).catch(() => undefined);
  }
}
