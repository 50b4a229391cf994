import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { freePort } from '../src/free-port.js';

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
