import { describe, expect, it } from '@jest/globals';
import {
  HealthRegistry,
  kafkaConsumersCheck,
  type MessageBus,
  type Subscription,
} from '../../src/index.js';

describe('HealthRegistry', () => {
  it('readiness should be true only when every check passes', async () => {
    const health = new HealthRegistry(100).add('a', () => ({ ok: true, detail: 'fine' }));
    expect(await health.readiness()).toEqual({
      ready: true,
      checks: { a: { ok: true, detail: 'fine' } },
    });
    health.add('b', async () => ({ ok: false, detail: 'broker away' }));
    expect((await health.readiness()).ready).toBe(false);
  });

  it('a check that hangs or throws should count as failed, not hang the probe', async () => {
    const health = new HealthRegistry(50)
      .add('hangs', () => new Promise(() => undefined))
      .add('throws', () => {
        throw new Error('boom');
      });
    const readiness = await health.readiness();
    expect(readiness.ready).toBe(false);
    expect(readiness.checks.hangs?.detail).toMatch(/timed out/);
    expect(readiness.checks.throws?.detail).toBe('boom');
  });

  it('draining should make the process unready', async () => {
    const health = new HealthRegistry().add('a', () => ({ ok: true, detail: '' }));
    health.startDraining();
    expect((await health.readiness()).ready).toBe(false);
  });

  it('kafkaConsumersCheck should fail while any subscription is not joined', () => {
    const subscription = (joined: boolean): Subscription => ({
      groupId: joined ? 'g-joined' : 'g-waiting',
      mode: 'shared',
      topics: ['t'],
      joined: () => joined,
      waitUntilJoined: async () => undefined,
      failed: () => undefined,
      stop: async () => undefined,
    });
    const bus = (subscriptions: Subscription[]) =>
      ({ subscriptions: () => subscriptions }) as unknown as MessageBus;
    expect(kafkaConsumersCheck(bus([subscription(true)]))()).toMatchObject({ ok: true });
    expect(kafkaConsumersCheck(bus([subscription(true), subscription(false)]))()).toEqual({
      ok: false,
      detail: 'not joined: g-waiting',
    });
  });
});
