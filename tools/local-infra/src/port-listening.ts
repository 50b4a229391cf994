import { connect } from 'node:net';

/**
 * Whether something accepts TCP connections on `host:port` now (a connection is opened and closed
 * at once). For waiting on a server that gives no other sign of being ready: a composition
 * function `rtp render` starts, a function image under test.
 */
export function isListening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
