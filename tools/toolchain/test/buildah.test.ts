import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { homedir } from 'node:os';
import { buildahScriptPath, buildahStorageArgs } from '../src/index.js';

describe('buildahStorageArgs', () => {
  it.each([[{ HOME: homedir() }], [{ HOME: homedir(), RTP_CACHE_DIR: '/tmp/rtp-cache' }]])(
    'agrees with scripts/buildah.sh for %j',
    async (env) => {
      const script = await execa('bash', [buildahScriptPath, '--print-storage-args'], {
        env,
        extendEnv: false,
      });
      expect(buildahStorageArgs(env)).toEqual(script.stdout.split('\n'));
    },
  );

  it('keeps the image storage under the tool cache', () => {
    expect(buildahStorageArgs({ RTP_CACHE_DIR: '/tmp/rtp-cache' })).toEqual(
      expect.arrayContaining(['--root', '/tmp/rtp-cache/containers/storage']),
    );
  });
});
