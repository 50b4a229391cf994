import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from '@jest/globals';
import { packPublishedPackages, type PackedPackage } from '../../src/index.js';

/** Packs the published packages once per test file (like `npm publish` would) into a temp dir. */
export function usePackedPackages(): () => PackedPackage[] {
  let dir: string | undefined;
  let packed: PackedPackage[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rtp-packed-'));
    packed = await packPublishedPackages(dir);
  });
  afterAll(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  return () => packed;
}
