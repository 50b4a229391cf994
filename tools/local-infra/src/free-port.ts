import { createServer } from 'node:net';
import { localInfraErrors } from './local-infra-errors.js';

/**
 * Ports this process has handed out. The OS picks ephemeral ports at random and may offer a port
 * it just handed us again (two consecutive probes returned the same port for Mosquitto's MQTT and
 * WebSocket listeners under load), so a process never hands out the same port twice.
 */
const handedOut = new Set<number>();
const maxProbes = 100;

function probe(host: string): Promise<number> {
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

/**
 * A port the OS reports free on `host`, never one this process handed out before. Suites run in
 * parallel, so nothing uses fixed ports; the tiny window between closing this probe and the server
 * binding (another process could take it) is accepted.
 */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < maxProbes; attempt += 1) {
    const port = await probe(host);
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw localInfraErrors.NO_FREE_PORT({ host, probes: maxProbes });
}
