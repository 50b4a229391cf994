import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { runtimeEnv } from '@realtime-platform/platform-contract';
import { LocalPlatform } from '../src/index.js';

/** Pids of this process's live children (the servers and services it spawned). */
function children(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // pid (comm) state ppid …: comm may hold spaces, so split after its closing parenthesis.
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(ppid) === process.pid && state !== 'Z';
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number);
}

describe('LocalPlatform.start', () => {
  it('stops the servers it started when a service fails to start, leaving no process behind', async () => {
    expect(children()).toEqual([]);
    await expect(
      LocalPlatform.start({
        name: 'broken',
        services: ['mqtt-bridge'],
        simulator: false,
        // Refused by the service's configuration: it exits at start.
        serviceEnv: { [runtimeEnv.kafkaClient]: 'no-such-client' },
      }),
    ).rejects.toMatchObject({ code: 'RTP_ERR_INFRA_EXITED' });
    expect(children()).toEqual([]);
  }, 180_000);
});
