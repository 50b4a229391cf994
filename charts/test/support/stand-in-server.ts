import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * The HTTP server of a stand-in API. A handler that throws (say, on a body the script under test
 * sent malformed) answers 500 with the error, so the script sees the failure and the test fails on
 * it, instead of an unhandled rejection that stops the test worker while the script waits.
 */
export function standInServer(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
): Server {
  return createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      if (!response.writableEnded) response.end(String(error));
    });
  });
}
