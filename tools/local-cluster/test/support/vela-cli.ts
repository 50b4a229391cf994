import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GoTool, type GoToolResult } from '@realtime-platform/toolchain';
import type { LocalCluster } from '../../src/index.js';

/** The real vela CLI against the local cluster (its own HOME: vela keeps state in ~/.vela). */
export class VelaCli {
  private readonly home = mkdtempSync(join(tmpdir(), 'rtp-vela-home-'));

  constructor(private readonly cluster: () => LocalCluster) {}

  run(args: string[]): Promise<GoToolResult> {
    return GoTool.locate('vela').run(args, {
      env: { KUBECONFIG: this.cluster().kubeconfig, HOME: this.home, NO_COLOR: '1' },
    });
  }
}
