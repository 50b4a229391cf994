import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { connect as tlsConnect } from 'node:tls';

/** GET https://127.0.0.1:<port><path> verified against the cluster CA; true on 200. */
export function httpsHealthy(port: number, caFile: string, path = '/healthz'): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'GET', ca: readFileSync(caFile), timeout: 5_000 },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200));
      },
    );
    req.on('timeout', () => req.destroy(new Error('health probe timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** True once 127.0.0.1:<port> completes a TLS handshake with a certificate of the cluster CA. */
export function tlsServing(port: number, caFile: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tlsConnect({
      host: '127.0.0.1',
      port,
      ca: readFileSync(caFile),
      timeout: 5_000,
    });
    socket.once('secureConnect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
