import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cpuArea,
  summarizeCpuProfile,
  summarizeCpuProfiles,
  type CpuProfile,
} from '../src/cpu-profile.summary.js';

const root = '/repo';

describe('cpuArea', () => {
  it('names the npm package, scoped or not, of code under node_modules', () => {
    expect(cpuArea('decode', 'file:///repo/node_modules/@platformatic/kafka/dist/x.js', root)).toBe(
      '@platformatic/kafka',
    );
    expect(cpuArea('send', '/repo/node_modules/ws/lib/sender.js', root)).toBe('ws');
  });

  it('names the workspace package, Node core module and V8 work', () => {
    expect(cpuArea('consume', 'file:///repo/libs/realtime-sdk/dist/kafka/a.js', root)).toBe(
      'libs/realtime-sdk',
    );
    expect(cpuArea('read', 'node:internal/streams/readable', root)).toBe('node:internal/streams');
    expect(cpuArea('(garbage collector)', '', root)).toBe('V8 garbage collector');
    expect(cpuArea('(idle)', '', root)).toBe('idle');
  });
});

describe('summarizeCpuProfile', () => {
  // Samples: a, a, gc, idle, b (each sample's time is the delta to the next one).
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
      {
        id: 2,
        callFrame: {
          functionName: 'decode',
          url: '/repo/node_modules/avsc/lib/a.js',
          lineNumber: 9,
        },
      },
      { id: 3, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1 } },
      { id: 4, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
      {
        id: 5,
        callFrame: {
          functionName: '',
          url: '/repo/services/realtime-service/dist/m.js',
          lineNumber: 0,
        },
      },
    ],
    startTime: 0,
    endTime: 10_000,
    samples: [2, 2, 3, 4, 5],
    timeDeltas: [0, 1000, 2000, 3000, 4000],
  };

  it('gives each sample the time to the next one, leaves idle out of the busy share', () => {
    const summary = summarizeCpuProfile(profile, root);
    expect(summary.busyMs).toBe(6);
    expect(summary.idleMs).toBe(4);
    expect(summary.areas).toEqual([
      { name: 'avsc', ms: 3, percent: 50 },
      { name: 'V8 garbage collector', ms: 3, percent: 50 },
      { name: 'services/realtime-service', ms: 0, percent: 0 },
    ]);
    expect(summary.functions[0]).toEqual({ name: 'decode avsc/lib/a.js:10', ms: 3, percent: 50 });
    expect(summary.functions.map((fn) => fn.name)).toContain(
      '(anonymous) services/realtime-service/dist/m.js:1',
    );
  });

  it('reads the profile a real `node --cpu-prof` writes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rtp-cpu-prof-'));
    try {
      const script = join(dir, 'busy.mjs');
      writeFileSync(
        script,
        'function spin(){let x=0;const end=Date.now()+200;while(Date.now()<end)x+=Math.sqrt(x+1);return x}\nspin();\n',
      );
      execFileSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, script]);
      const [summary] = summarizeCpuProfiles(dir, dir);
      expect(summary?.busyMs).toBeGreaterThan(0);
      expect(summary?.functions.map((fn) => fn.name)).toContain('spin busy.mjs:1');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
