import { createServer } from 'node:net';
import { localInfraErrors } from './local-infra-errors.js';

/**
 * The one free-port helper of the repository (issue 18: it had three copies). It lives here, not in
 * the dev-only testkit, because code that ships in the CLI needs it at run time: every server
 * local-infra starts (`rtp dev`), local-cluster's control plane and app-render's composition
 * functions (`rtp render`). Tests take it from here too.
 */

/** Asks the OS for a port free on `host` now (bind port 0, read it, close). */
export type PortProbe = (host: string) => Promise<number>;

const maxProbes = 100;

/** The OS's answer: a listener on port 0 that is closed again at once. */
export const probeOsPort: PortProbe = (host) =>
  new Promise((resolve, reject) => {
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

/**
 * A free-port function over `probe` that never hands out the same port twice. The OS picks
 * ephemeral ports at random and may offer a port it just handed us again (two consecutive probes
 * returned the same port for Mosquitto's MQTT and WebSocket listeners under load, and for the two
 * composition functions of a render: a red CI), so every port handed out is remembered.
 */
export function portHandout(probe: PortProbe): (host?: string) => Promise<number> {
  const handedOut = new Set<number>();
  return async (host = '127.0.0.1') => {
    for (let attempt = 0; attempt < maxProbes; attempt += 1) {
      const port = await probe(host);
      if (!handedOut.has(port)) {
        handedOut.add(port);
        return port;
      }
    }
    throw localInfraErrors.NO_FREE_PORT({ host, probes: maxProbes });
  };
}

/**
 * A port the OS reports free on `host`, never one this process handed out before (one set for the
 * whole process: local-infra's servers, local-cluster and app-render's functions share it). Suites
 * run in parallel, so nothing uses fixed ports; the tiny window between closing the probe and the
 * server binding (another process could take it) is accepted.
 */
export const freePort: (host?: string) => Promise<number> = portHandout(probeOsPort);
