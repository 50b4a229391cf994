import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { cacheDir, installScriptPath, kafkaDistribution, toolchainErrors } from '../src/index.js';

const scriptCacheDir = async (env: Record<string, string | undefined>): Promise<string> =>
  (await execa('bash', [installScriptPath, '--print-cache-dir'], { env, extendEnv: false })).stdout;

describe('cacheDir', () => {
  it.each([
    [{ HOME: homedir() }, join(homedir(), '.cache', 'realtime-platform')],
    [{ HOME: homedir(), XDG_CACHE_HOME: '/tmp/xdg' }, '/tmp/xdg/realtime-platform'],
    [{ HOME: homedir(), RTP_CACHE_DIR: '/tmp/rtp-cache' }, '/tmp/rtp-cache'],
  ])('agrees with install.sh for %j', async (env, expected) => {
    expect(cacheDir(env)).toBe(expected);
    expect(await scriptCacheDir(env)).toBe(expected);
  });
});

describe('kafkaDistribution', () => {
  it('points at the cached jars install.sh resolved', () => {
    const distribution = kafkaDistribution();
    expect(distribution.version).toBe('3.9.1');
    expect(distribution.classpath).toMatch(/kafka\/3\.9\.1\/libs\/\*$/);
  });

  it('names the install command when the jars are missing', () => {
    expect(() => kafkaDistribution({ RTP_CACHE_DIR: '/nonexistent' })).toThrow(
      expect.objectContaining({
        code: toolchainErrors.MISSING.code,
        message: expect.stringMatching(/install\.sh/),
      }),
    );
  });
});
