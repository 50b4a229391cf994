import { describe, expect, it } from '@jest/globals';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { isListening } from '../src/port-listening.js';

describe('isListening', () => {
  it('is true while a server accepts connections on the port, false once it has closed', async () => {
    const server = createServer((socket) => socket.end());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await expect(isListening(port)).resolves.toBe(true);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await expect(isListening(port)).resolves.toBe(false);
  });
});
