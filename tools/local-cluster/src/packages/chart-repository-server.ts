import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, normalize } from 'node:path';

/**
 * A Helm chart repository over plain HTTP on loopback: serves a folder of packaged charts and
 * their index.yaml (`npx nx run charts:package`), read-only. The Composition's chartRepository
 * points at it; helm and provider-helm fetch index.yaml, then the archive it names.
 */
export class ChartRepositoryServer {
  private constructor(
    readonly url: string,
    readonly port: number,
    private readonly server: Server,
  ) {}

  static async start(root: string): Promise<ChartRepositoryServer> {
    const server = createServer((req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      const file = join(root, path);
      if (
        req.method !== 'GET' ||
        !file.startsWith(root) ||
        !existsSync(file) ||
        !statSync(file).isFile()
      ) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'content-type': file.endsWith('.yaml') ? 'application/x-yaml' : 'application/gzip',
      });
      createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return new ChartRepositoryServer(`http://127.0.0.1:${port}`, port, server);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
