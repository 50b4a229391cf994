// What every stand-in API (Grafana, Metabase, Kafka Connect, Lenses HQ) does alike: listen on a
// free loopback port, read each request whole, answer JSON, and close with its connections. Each
// stand-in keeps only its own routes, its own body parsing and what it records.
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The HTTP server of a stand-in API. A handler that throws (say, on a body the script under test
 * sent malformed) answers 500 with the error, so the script sees the failure and the test fails on
 * it, instead of an unhandled rejection that stops the test worker while the script waits.
 */
function standInServer(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
): Server {
  return createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      if (!response.writableEnded) response.end(String(error));
    });
  });
}

/** A request as a stand-in reads it: the body already read whole (parsing is the stand-in's). */
export interface StandInRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  /** The body as UTF-8 text, '' when there is none. */
  raw: string;
}

/**
 * Answers `payload` as JSON (application/json), or an empty body without a content type when
 * there is no payload (204, 202 without a body), with `headers` added.
 */
export function sendJson(
  response: ServerResponse,
  status: number,
  payload?: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    ...headers,
  });
  response.end(payload === undefined ? undefined : JSON.stringify(payload));
}

/** A stand-in API on 127.0.0.1 and a free port; a subclass's static start() calls listen(). */
export abstract class HttpStandIn {
  private readonly server: Server = standInServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    await this.handle(
      {
        method: request.method ?? 'GET',
        url: new URL(request.url ?? '/', this.url),
        headers: request.headers,
        raw: Buffer.concat(chunks).toString('utf8'),
      },
      response,
    );
  });

  /** Base URL of the stand-in, e.g. http://127.0.0.1:40123. */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  protected async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  protected abstract handle(request: StandInRequest, response: ServerResponse): Promise<void>;
}
