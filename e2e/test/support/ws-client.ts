import WebSocket from 'ws';

export interface DataFrame {
  readonly type: string;
  readonly topic?: string;
  readonly id?: string;
  readonly data?: Record<string, unknown>;
}

/** A WebSocket client of the realtime service's hub that keeps every frame it receives. */
export class HubClient {
  readonly frames: DataFrame[] = [];
  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (raw) => this.frames.push(JSON.parse(raw.toString()) as DataFrame));
  }

  static connect(url: string, token?: string): Promise<HubClient> {
    const socket = new WebSocket(url, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new HubClient(socket)));
      socket.once('unexpected-response', (_request, response) =>
        reject(
          Object.assign(new Error(`HTTP ${response.statusCode}`), {
            statusCode: response.statusCode,
          }),
        ),
      );
      socket.once('error', reject);
    });
  }

  /** Subscribes and waits for the hub's ack. */
  async subscribe(topic: string, deviceId?: string): Promise<void> {
    const id = `${topic}:${deviceId ?? '*'}`;
    this.socket.send(
      JSON.stringify({
        type: 'subscribe',
        topic,
        id,
        ...(deviceId ? { filter: { deviceId } } : {}),
      }),
    );
    await this.waitFor((frame) => frame.type === 'ack' && frame.id === id, `ack of ${id}`);
  }

  /** Subscribes and waits for the hub's refusal: the coded `error` frame. */
  async subscribeRefused(topic: string, deviceId?: string): Promise<DataFrame & { code?: string }> {
    const id = `refused:${topic}:${deviceId ?? '*'}`;
    this.socket.send(
      JSON.stringify({
        type: 'subscribe',
        topic,
        id,
        ...(deviceId ? { filter: { deviceId } } : {}),
      }),
    );
    return this.waitFor((frame) => frame.type === 'error' && frame.id === id, `error of ${id}`);
  }

  async waitFor(
    match: (frame: DataFrame) => boolean,
    what: string,
    timeoutMs = 60_000,
  ): Promise<DataFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `no ${what} within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  close(): void {
    this.socket.close();
  }
}
