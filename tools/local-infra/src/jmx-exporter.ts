import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jmxExporterDistribution } from '@realtime-platform/toolchain';
import { freePort } from './free-port.js';
import { localInfraErrors } from './local-infra-errors.js';
import { ManagedProcess } from './managed-process.js';
import { makeRunDir } from './run-dir.js';
import { waitUntilReady } from './wait-until-ready.js';

export interface JmxExporterOptions {
  /**
   * The exporter's configuration file as text (`hostPort`/`jmxUrl` of the JVM to read, and the
   * rules), e.g. the one the chart renders.
   */
  readonly config: string;
  readonly readyTimeoutMs?: number;
}

/**
 * Prometheus' JMX exporter (the standalone jmx_prometheus_httpserver jar from the toolchain cache)
 * on a free loopback port: it reads a JVM's MBeans over remote JMX and serves them at /metrics,
 * named by the configuration's rules. As the chart runs it beside Kafka.
 */
export class JmxExporter {
  readonly host = '127.0.0.1';

  private constructor(
    readonly runDir: string,
    readonly port: number,
    private readonly process: ManagedProcess,
  ) {}

  static async start(options: JmxExporterOptions): Promise<JmxExporter> {
    const runDir = makeRunDir('jmx-exporter');
    const port = await freePort();
    const configFile = join(runDir, 'jmx-exporter.yaml');
    writeFileSync(configFile, options.config);
    const { jar, javaBinary } = jmxExporterDistribution();
    const process = new ManagedProcess({
      service: 'jmx-exporter',
      command: javaBinary,
      args: ['-Xmx64m', '-jar', jar, `127.0.0.1:${port}`, configFile],
      logFile: join(runDir, 'jmx-exporter.log'),
    });
    const exporter = new JmxExporter(runDir, port, process);
    await waitUntilReady({
      process,
      probe: async () => (await fetch(exporter.metricsUrl)).ok,
      timeoutMs: options.readyTimeoutMs ?? 30_000,
    });
    return exporter;
  }

  get metricsUrl(): string {
    return `http://${this.host}:${this.port}/metrics`;
  }

  /** The exposition text of one scrape. */
  async scrape(): Promise<string> {
    const response = await fetch(this.metricsUrl);
    const body = await response.text();
    if (!response.ok) {
      throw localInfraErrors.API_FAILED({
        service: 'jmx-exporter',
        request: `GET ${this.metricsUrl}`,
        status: response.status,
        body,
      });
    }
    return body;
  }

  async stop(): Promise<void> {
    await this.process.stop();
  }
}
