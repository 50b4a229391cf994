import { mkdirSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';

/**
 * The host half of a pod sandbox's network: a Unix socket per host loopback port, piped to
 * 127.0.0.1:<port>. The sandbox's forwarder listens on the same port inside its namespace.
 */
export class PortBridge {
  private readonly servers: Server[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(readonly socketDir: string) {}

  static async open(socketDir: string, ports: number[]): Promise<PortBridge> {
    mkdirSync(socketDir, { recursive: true });
    const bridge = new PortBridge(socketDir);
    for (const port of ports) {
      const path = join(socketDir, `${port}.sock`);
      rmSync(path, { force: true });
      const server = createServer((inbound) => {
        const outbound = connect(port, '127.0.0.1');
        bridge.track(inbound);
        bridge.track(outbound);
        inbound.pipe(outbound).pipe(inbound);
        const close = (): void => {
          inbound.destroy();
          outbound.destroy();
        };
        inbound.on('error', close);
        outbound.on('error', close);
      });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(path, resolve);
      });
      bridge.servers.push(server);
    }
    return bridge;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(
      this.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
    );
  }
}
