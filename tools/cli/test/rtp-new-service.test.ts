import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const rtp = fileURLToPath(new URL('../dist/main.js', import.meta.url));

describe('rtp new service', () => {
  it('creates a service from the template with the new name in its package', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'rtp-new-'));
    const target = join(parent, 'ward-monitor');
    try {
      const result = await execa('node', [
        rtp,
        'new',
        'service',
        'ward-monitor',
        '--directory',
        target,
      ]);
      expect(result.stdout).toMatch(/created .*ward-monitor \(\d+ files\)/);
      const pkg = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as {
        name: string;
        nx: { name: string };
      };
      expect(pkg).toMatchObject({
        name: '@realtime-platform/ward-monitor',
        nx: { name: 'ward-monitor' },
      });
      expect(existsSync(join(target, 'src', 'main.ts'))).toBe(true);
      expect(existsSync(join(target, 'node_modules'))).toBe(false);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('refuses an invalid name with a coded error (exit 1) and a missing one as usage (exit 2)', async () => {
    const invalid = await execa('node', [rtp, 'new', 'service', 'Ward_Monitor'], { reject: false });
    expect(invalid.exitCode).toBe(1);
    expect(invalid.stderr).toMatch(/RTP_ERR_\w+_NAME_INVALID/);
    const missing = await execa('node', [rtp, 'new', 'service'], { reject: false });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/missing the service name/);
  });
});
