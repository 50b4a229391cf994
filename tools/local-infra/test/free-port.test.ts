import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { freePort, portHandout, type PortProbe } from '../src/free-port.js';
import { localInfraErrors } from '../src/local-infra-errors.js';

/** A fake OS that answers the probes with `ports`, in order, then keeps repeating the last one. */
function scriptedProbe(ports: number[]): PortProbe & { probes: number } {
  const probe = Object.assign(
    () => {
      const port = ports[Math.min(probe.probes, ports.length - 1)] ?? 0;
      probe.probes += 1;
      return Promise.resolve(port);
    },
    { probes: 0 },
  );
  return probe;
}

describe('portHandout', () => {
  it('skips a port the OS offers again after handing it out once', async () => {
    // What the OS did on a loaded CI machine: two consecutive probes, one port.
    const next = portHandout(scriptedProbe([41000, 41000, 41001]));
    expect(await next()).toBe(41000);
    expect(await next()).toBe(41001);
  });

  it('fails with a retriable coded error when the OS offers only ports handed out already', async () => {
    const probe = scriptedProbe([41000]);
    const next = portHandout(probe);
    await next();
    await expect(next()).rejects.toMatchObject({
      code: localInfraErrors.NO_FREE_PORT.code,
      retriable: true,
    });
    expect(probe.probes).toBe(101);
  });
});

describe('freePort', () => {
  it('never hands out the same port twice in one process, though the OS may offer it again', async () => {
    // 300 consecutive probes of ~28k ephemeral ports: without the guard a repeat is likely
    // (the birthday bound), which once gave Mosquitto the same MQTT and WebSocket port.
    const ports: number[] = [];
    for (let index = 0; index < 300; index += 1) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('hands out a port a server can then bind', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => server.close(resolve));
  });
});
