import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeService } from '../src/index.js';

const entry = join(import.meta.dirname, 'fixtures/node-service/health-server.mjs');

interface Health {
  pid: number;
  kafka: string;
}

const health = async (service: NodeService): Promise<Health> =>
  (await (await fetch(`${service.url}/health/ready`)).json()) as Health;

describe('NodeService', () => {
  it('runs a service with the given env and waits until /health/ready answers', async () => {
    const service = await NodeService.start({
      name: 'stand-in',
      entry,
      env: { KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:1' },
    });
    try {
      const body = await health(service);
      expect(body).toEqual({
        pid: service.pid,
        kafka: '127.0.0.1:1',
        startedAt: expect.any(Number),
      });
    } finally {
      await service.stop();
    }
    expect(service.running).toBe(false);
  });

  it('survives kill -9 and restarts on the same port, appending to the same log', async () => {
    const service = await NodeService.start({ name: 'stand-in', entry, env: {} });
    try {
      const before = await health(service);
      await service.kill('SIGKILL');
      expect((await service.exited).signal).toBe('SIGKILL');
      await expect(fetch(`${service.url}/health/live`)).rejects.toThrow();

      await service.restart();
      const after = await health(service);
      expect(after.pid).not.toBe(before.pid);
      expect(readFileSync(service.logFile, 'utf8').match(/^--- /gm)).toHaveLength(2);
    } finally {
      await service.stop();
    }
  });

  it('fails with the log tail when the entry point crashes at start', async () => {
    await expect(
      NodeService.start({
        name: 'broken',
        entry: join(import.meta.dirname, 'missing.mjs'),
        env: {},
      }),
    ).rejects.toMatchObject({ code: 'RTP_ERR_INFRA_EXITED' });
  });
});
