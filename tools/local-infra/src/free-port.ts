import { createServer } from 'node:net';

/**
 * A port the OS reports free on `host`. Suites run in parallel, so nothing uses fixed ports;
 * the tiny window between closing this probe and the server binding is accepted.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the probe port'));
      });
    });
  });
}
