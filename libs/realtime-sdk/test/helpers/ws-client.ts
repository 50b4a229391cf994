import { SignJWT } from 'jose';
import { WebSocket } from 'ws';
import { accessClaimName, type ServerFrame } from '../../src/index.js';
import { jwtSecret } from './platform-env.js';

/** The access claim of a token: exactly the topics and devices (or "*") a test needs. */
export function grants(
  topics: readonly string[] | '*',
  devices: readonly string[] | '*',
  wards?: readonly string[],
): Record<string, unknown> {
  return {
    [accessClaimName]: { topics, devices, ...(wards === undefined ? {} : { wards }) },
  };
}

export async function signToken(
  claims: Record<string, unknown> = {},
  options: { secret?: string; expiresIn?: string | number; subject?: string } = {},
): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(options.subject ?? 'user-1')
    .setIssuedAt();
  jwt.setExpirationTime(options.expiresIn ?? '5m');
  return jwt.sign(new TextEncoder().encode(options.secret ?? jwtSecret));
}

/** A test client that records every frame and the close code. */
export class TestClient {
  readonly frames: ServerFrame[] = [];
  closeCode: number | undefined;
  readonly closed: Promise<number>;
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as ServerFrame);
      this.notify();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code) => {
        this.closeCode = code;
        this.notify();
        resolve(code);
      }),
    );
  }

  static async open(
    url: string,
    options: { token?: string; via?: 'header' | 'protocol'; autoPong?: boolean } = {},
  ): Promise<TestClient> {
    const headers: Record<string, string> = {};
    let protocols: string[] | undefined;
    if (options.token !== undefined) {
      if (options.via === 'protocol') protocols = ['bearer', options.token];
      else headers.authorization = `Bearer ${options.token}`;
    }
    const ws = new WebSocket(url, protocols, { headers, autoPong: options.autoPong ?? true });
    const client = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return client;
  }

  data(): Extract<ServerFrame, { type: 'data' }>[] {
    return this.frames.filter(
      (frame): frame is Extract<ServerFrame, { type: 'data' }> => frame.type === 'data',
    );
  }

  ofType<K extends ServerFrame['type']>(type: K): Extract<ServerFrame, { type: K }>[] {
    return this.frames.filter(
      (frame): frame is Extract<ServerFrame, { type: K }> => frame.type === type,
    );
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  async subscribe(
    topic: string,
    filter?: Record<string, unknown>,
  ): Promise<Extract<ServerFrame, { type: 'ack' }>> {
    const id = `s${this.frames.length}-${Math.random()}`;
    this.send({ type: 'subscribe', topic, filter, id });
    await this.waitFor(() =>
      this.frames.some((f) => (f.type === 'ack' || f.type === 'error') && f.id === id),
    );
    const answer = this.frames.find(
      (f) => (f.type === 'ack' || f.type === 'error') && f.id === id,
    ) as ServerFrame;
    if (answer.type !== 'ack') throw new Error(`subscribe failed: ${JSON.stringify(answer)}`);
    return answer;
  }

  /** Resolves when `condition` holds (re-checked on every frame and close), or fails after `timeoutMs`. */
  waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`condition not met within ${timeoutMs} ms; frames: ${this.frames.length}`),
          ),
        timeoutMs,
      );
      const check = (): void => {
        if (condition()) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve();
        }
      };
      this.waiters.push(check);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Opening an upgrade that the server refuses: resolves with the HTTP status. */
export function expectRejectedUpgrade(
  url: string,
  options: { headers?: Record<string, string>; protocols?: string[] } = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options.protocols, { headers: options.headers ?? {} });
    ws.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => undefined);
  });
}

/** A refused upgrade: the HTTP status and the coded body `{ code, message }`. */
export function refusedUpgrade(
  url: string,
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; code: string | undefined }> {
  const headers = {
    ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        let code: string | undefined;
        try {
          code = (JSON.parse(body) as { code?: string }).code;
        } catch {
          code = undefined;
        }
        resolve({ status: response.statusCode ?? 0, code });
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
