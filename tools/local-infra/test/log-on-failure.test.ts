import { describe, expect, it } from '@jest/globals';
import { execa } from 'execa';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fixtureConfig = fileURLToPath(
  new URL('./fixtures/log-on-failure/jest.config.js', import.meta.url),
);

describe('infrastructure fixtures in a jest suite', () => {
  it('print the server log tail for a suite with a failed test and keep its run directory; stay quiet for a passing one and remove it', async () => {
    const run = await execa('jest', ['--config', fixtureConfig, '--runInBand'], {
      preferLocal: true,
      env: { NODE_OPTIONS: '--experimental-vm-modules --disable-warning=ExperimentalWarning' },
      reject: false,
      all: true,
    });

    expect(run.exitCode).toBe(1);
    const reports =
      run.all.match(/\[local-infra\] 1 failure\(s\) in this suite; mosquitto log/g) ?? [];
    expect(reports).toHaveLength(1);
    // The tail is the real broker's own log, not a summary of it.
    expect(run.all).toMatch(/mosquitto version 2\.\d+\.\d+ (starting|running)/);
    // Passwords given on a setup command line are not copied into the log.
    expect(run.all).toMatch(/mosquitto_passwd -b \S+ app-[0-9a-f]{6} \*{4}/);

    // Run directories: removed after the passing file, kept (for the log above) after the failing one.
    const runDir = (file: string) => run.all.match(new RegExp(`${file} run dir: (\\S+)`))?.[1];
    const passing = runDir('passing');
    const failing = runDir('failing');
    expect(passing).toMatch(/rtp-mosquitto-/);
    expect(failing).toMatch(/rtp-mosquitto-/);
    expect(existsSync(passing!)).toBe(false);
    expect(existsSync(failing!)).toBe(true);
    rmSync(failing!, { recursive: true, force: true });
  }, 120_000);
});
