import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { dirname, join } from 'node:path';
import { installScriptPath, toolchainManifest } from '../src/index.js';

const withNode = join(dirname(installScriptPath), 'with-node.sh');
const pinned = (toolchainManifest as unknown as { node: { version: string } }).node.version;

describe('the pinned Node (toolchain.json "node")', () => {
  it('is an LTS line that is not past its end of life (24)', () => {
    expect(pinned).toMatch(/^24\.\d+\.\d+$/);
  });

  it('runs what with-node.sh starts, and every `#!/usr/bin/env node` bin beneath it', async () => {
    const direct = await execa('bash', [withNode, 'node', '--version']);
    expect(direct.stdout).toBe(`v${pinned}`);
    const viaEnv = await execa('bash', [
      withNode,
      'sh',
      '-c',
      'exec /usr/bin/env node -p process.version',
    ]);
    expect(viaEnv.stdout).toBe(`v${pinned}`);
  });
});
