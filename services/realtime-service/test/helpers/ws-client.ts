import { WebSocket } from 'ws';

/** A server frame of the hub protocol (v1). */
export interface Frame {
  readonly v: 1;
  readonly type: 'ack' | 'data' | 'gap' | 'error';
  readonly topic?: string;
  readonly sub?: string;
  readonly id?: string;
  readonly code?: string;
  readonly data?: Record<string, unknown>;
}

/** A WebSocket test client that records every frame and waits on conditions (never on time). */
export class TestClient {
  readonly frames: Frame[] = [];
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame);
      for (const waiter of [...this.waiters]) waiter();
    });
  }

  /** Opens with the token in the `bearer` subprotocol (what browsers do) or the header. */
  static async open(
    url: string,
    token?: string,
    via: 'protocol' | 'header' = 'protocol',
  ): Promise<TestClient> {
    const ws =
      token === undefined
        ? new WebSocket(url)
        : via === 'protocol'
          ? new WebSocket(url, ['bearer', token])
          : new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
    const client = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  async subscribe(topic: string, filter?: Record<string, string>): Promise<Frame> {
    const id = `sub-${this.frames.length}-${topic}`;
    this.ws.send(JSON.stringify({ type: 'subscribe', topic, ...(filter ? { filter } : {}), id }));
    const answer = await this.waitFor((frame) => frame.id === id);
    if (answer.type !== 'ack') throw new Error(`subscribe refused: ${JSON.stringify(answer)}`);
    return answer;
  }

  data(topic?: string): Record<string, unknown>[] {
    return this.frames
      .filter((f) => f.type === 'data' && (topic === undefined || f.topic === topic))
      .map((f) => f.data as Record<string, unknown>);
  }

  /** Resolves with the first frame (seen or future) matching `match`. */
  waitFor(match: (frame: Frame) => boolean, timeoutMs = 30_000): Promise<Frame> {
    const found = this.frames.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(
          new Error(`no matching frame within ${timeoutMs} ms (${this.frames.length} frames)`),
        );
      }, timeoutMs);
      const check = (): void => {
        const frame = this.frames.find(match);
        if (frame === undefined) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve(frame);
      };
      this.waiters.push(check);
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

/** An upgrade the server refuses: resolves with the HTTP status it answered. */
export function refusedUpgradeStatus(url: string, protocols?: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    ws.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => {
      ws.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    ws.on('error', () => undefined);
  });
}

/** An upgrade the server refuses: the HTTP status and the code of its `{ code, message }` body. */
export function refusedUpgrade(
  url: string,
  token: string,
): Promise<{ status: number; code: string | undefined }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
    ws.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        resolve({
          status: response.statusCode ?? 0,
          code: (JSON.parse(body || '{}') as { code?: string }).code,
        });
        ws.terminate();
      });
    });
    ws.on('open', () => {
      ws.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    ws.on('error', () => undefined);
  });
}
