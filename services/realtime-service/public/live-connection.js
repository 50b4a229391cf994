// The WebSocket client of the dashboard: the SDK hub's protocol (subscribe/unsubscribe messages,
// versioned `ack`/`data`/`gap`/`error` frames), token in the `bearer` subprotocol, reconnect with
// backoff. See README.md, "WebSocket protocol".

const closeReasons = {
  1001: 'server restarting',
  1009: 'message too big',
  4401: 'token expired or refused',
  4408: 'heartbeat missed',
  4429: 'too slow',
};

/**
 * @param {{ url: string, token?: string, subscriptions: object[],
 *   onFrame: (frame: any) => void, onState: (state: string, detail?: string) => void,
 *   isTokenRefused?: () => Promise<boolean> }} options
 * @returns {{ close: () => void }}
 */
export function openLiveConnection(options) {
  let socket;
  let attempt = 0;
  let stopped = false;
  let timer;

  const connect = () => {
    options.onState('connecting');
    let opened = false;
    socket =
      options.token === undefined
        ? new WebSocket(options.url)
        : new WebSocket(options.url, ['bearer', options.token]);
    socket.addEventListener('open', () => {
      opened = true;
      attempt = 0;
      options.onState('live');
      for (const message of options.subscriptions) socket.send(JSON.stringify(message));
    });
    socket.addEventListener('message', (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      options.onFrame(frame);
    });
    socket.addEventListener('close', async (event) => {
      if (stopped) return;
      // Browsers hide the HTTP status of a refused upgrade (401 for a bad token): ask the page.
      const refused =
        event.code === 4401 ||
        (!opened && options.isTokenRefused !== undefined && (await options.isTokenRefused()));
      if (refused) {
        options.onState('unauthorized', closeReasons[4401]);
        return;
      }
      options.onState('disconnected', closeReasons[event.code] ?? `closed (${event.code})`);
      const delay = Math.min(15_000, 500 * 2 ** attempt);
      attempt += 1;
      timer = setTimeout(connect, delay);
    });
  };

  connect();
  return {
    close() {
      stopped = true;
      clearTimeout(timer);
      socket?.close(1000, 'bye');
    },
  };
}
