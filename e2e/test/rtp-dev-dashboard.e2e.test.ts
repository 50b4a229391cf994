import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execa, type ResultPromise } from 'execa';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { chromium, type Browser } from 'playwright-core';
import { deviceMqttTopic } from '@realtime-platform/platform-contract';
import {
  processesMentioningInCommandOrEnvironment,
  waitForOutput,
} from '@realtime-platform/testkit';
import { reading } from './support/readings.js';

/** The built CLI of this workspace (`npm start` runs the same `rtp dev`). */
const rtp = join(import.meta.dirname, '..', '..', 'tools', 'cli', 'dist', 'main.js');
/** Kept after the run (git-ignored): what the page looked like, for people and for CI artifacts. */
const artifactsDir = join(import.meta.dirname, '..', 'artifacts');
/** Debian's chromium (installed by `install.sh --with-browser`), never a downloaded browser. */
const chromiumPath = '/usr/bin/chromium';

const field = (output: string, label: string): string => {
  const match = new RegExp(`${label}\\s+(\\S+)`).exec(output);
  if (!match?.[1]) throw new Error(`no "${label}" in:\n${output}`);
  return match[1];
};

/**
 * Issue 8: `npm start`'s `rtp dev` runs the real pipeline; its dashboard shows live values from
 * simulated devices in headless Chromium; Ctrl-C leaves no process behind.
 */
describe('rtp dev with the live dashboard (headless Chromium)', () => {
  let child: ResultPromise;
  let output: string;
  let browser: Browser;

  beforeAll(async () => {
    // The token grants the three simulated devices and the one this test publishes as.
    const args = ['dev', '--name', 'e2e-dev', '--devices', '3', '--rate', '15'];
    child = execa('node', [rtp, ...args, '--grant-devices', 'e2e-bedside'], {
      reject: false,
      env: { FORCE_COLOR: '0' },
    });
    output = await waitForOutput(child, /Ctrl-C stops it[\s\S]*Logs\s+.+\n/, 300_000);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      // As root Chromium needs --no-sandbox; the background switches keep it off the closed network.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    if (child.exitCode === null) child.kill('SIGINT');
    await child;
  }, 60_000);

  it('shows live vitals of the simulated devices and a reading published over MQTT', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(field(output, 'Dashboard'));
      await page
        .locator('[data-testid="connection-status"][data-state="live"]')
        .waitFor({ timeout: 60_000 });
      // Simulated devices appear with numbers, not placeholders.
      await page.locator('[data-testid="device-card"]').nth(2).waitFor({ timeout: 90_000 });
      const heartRate = page
        .locator('[data-testid="device-card"] [data-testid="vital-value"][data-metric="heartRate"]')
        .first();
      await expect(heartRate.textContent()).resolves.toMatch(/\d/);

      // A reading of our own, published like a device would, reaches the page through the whole path.
      // As a gateway (the requirements' topic, any deviceId): the user `rtp dev` prints for it.
      const [username, password] = /gateway\s+(\S+) \/ (\S+)/.exec(output)!.slice(1);
      const device = await connectAsync(field(output, 'MQTT'), {
        username,
        password,
        reconnectPeriod: 0,
      });
      try {
        await device.publishAsync(
          deviceMqttTopic,
          JSON.stringify(reading('e2e-bedside', 1, { heartRate: 77 })),
          { qos: 1 },
        );
      } finally {
        await device.endAsync();
      }
      const card = page.locator('[data-testid="device-card"][data-device-id="e2e-bedside"]');
      await card.waitFor({ timeout: 60_000 });
      await expect(
        card.locator('[data-testid="vital-value"][data-metric="heartRate"]').textContent(),
      ).resolves.toContain('77');

      mkdirSync(artifactsDir, { recursive: true });
      await page.screenshot({ path: join(artifactsDir, 'dashboard.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('stops everything on Ctrl-C and exits 0, leaving no process of the run behind', async () => {
    const runDir = field(output, 'Logs');
    // Servers name their run directory on the command line, services carry RTP_PLATFORM_NAME.
    const ofThisRun = (): string[] => [
      ...processesMentioningInCommandOrEnvironment(runDir),
      ...processesMentioningInCommandOrEnvironment('RTP_PLATFORM_NAME=e2e-dev\0'),
    ];
    // Kafka, Mosquitto, PostgreSQL, the registry and the four services.
    expect(ofThisRun().length).toBeGreaterThanOrEqual(8);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(ofThisRun()).toEqual([]);
  });
});
