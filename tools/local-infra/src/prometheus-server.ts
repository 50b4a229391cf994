import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prometheusBinary } from '@realtime-platform/toolchain';
import { freePort } from './free-port.js';
import { localInfraErrors } from './local-infra-errors.js';
import { ManagedProcess } from './managed-process.js';
import { makeRunDir } from './run-dir.js';
import { waitUntilReady } from './wait-until-ready.js';

/** One scrape job: a /metrics endpoint on loopback and the target labels it gets. */
export interface ScrapeTarget {
  readonly job: string;
  /** host:port, e.g. 127.0.0.1:8080. */
  readonly address: string;
  /** Target labels (what a PodMonitor's relabelings set in a cluster). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly metricsPath?: string;
}

export interface PrometheusServerOptions {
  readonly targets: readonly ScrapeTarget[];
  /** Rule files' contents (`groups:` YAML or JSON), loaded as Prometheus loads them. */
  readonly ruleFiles?: readonly string[];
  /** Scrape and rule evaluation interval, seconds (short, so alerts fire within a test). */
  readonly intervalSeconds?: number;
  readonly readyTimeoutMs?: number;
}

/** An alert of `/api/v1/alerts`. */
export interface PrometheusAlert {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly state: 'pending' | 'firing';
  readonly value: string;
}

/** A sample of an instant query. */
export interface PrometheusSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

/**
 * A real Prometheus server (Debian's prometheus package) on a free loopback port, scraping the
 * given targets and evaluating the given rule files every `intervalSeconds`, with its TSDB in a
 * fresh run directory.
 */
export class PrometheusServer {
  readonly host = '127.0.0.1';
  private process: ManagedProcess | undefined;

  private constructor(
    readonly runDir: string,
    readonly port: number,
  ) {}

  static async start(options: PrometheusServerOptions): Promise<PrometheusServer> {
    const runDir = makeRunDir('prometheus');
    const port = await freePort();
    const interval = `${options.intervalSeconds ?? 1}s`;
    const ruleFiles = (options.ruleFiles ?? []).map((rules, index) => {
      const file = join(runDir, `rules-${index}.yaml`);
      writeFileSync(file, rules);
      return file;
    });
    // JSON is YAML: the config needs no YAML library.
    const config = {
      global: {
        scrape_interval: interval,
        evaluation_interval: interval,
        scrape_timeout: interval,
      },
      rule_files: ruleFiles,
      scrape_configs: options.targets.map((target) => ({
        job_name: target.job,
        metrics_path: target.metricsPath ?? '/metrics',
        static_configs: [{ targets: [target.address], labels: target.labels ?? {} }],
      })),
    };
    const configFile = join(runDir, 'prometheus.json');
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const server = new PrometheusServer(runDir, port);
    const process = new ManagedProcess({
      service: 'prometheus',
      command: prometheusBinary(),
      args: [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(runDir, 'data')}`,
        `--web.listen-address=${server.host}:${port}`,
      ],
      logFile: server.logFile,
    });
    server.process = process;
    await waitUntilReady({
      process,
      probe: async () => (await fetch(`${server.url}/-/ready`)).ok,
      timeoutMs: options.readyTimeoutMs ?? 30_000,
    });
    return server;
  }

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  get logFile(): string {
    return join(this.runDir, 'prometheus.log');
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  /** An instant query's vector. */
  async query(expr: string): Promise<PrometheusSample[]> {
    return this.api<{ resultType: string; result: PrometheusSample[] }>(
      `/api/v1/query?query=${encodeURIComponent(expr)}`,
    ).then((data) => data.result);
  }

  /** Pending and firing alerts of the loaded rules. */
  async alerts(): Promise<PrometheusAlert[]> {
    return this.api<{ alerts: PrometheusAlert[] }>('/api/v1/alerts').then((data) => data.alerts);
  }

  /** The names of the alerting rules Prometheus loaded. */
  async alertingRules(): Promise<string[]> {
    const data = await this.api<{ groups: { rules: { type: string; name: string }[] }[] }>(
      '/api/v1/rules?type=alert',
    );
    return data.groups.flatMap((group) => group.rules.map((rule) => rule.name));
  }

  async stop(): Promise<void> {
    await this.process?.stop();
  }

  private async api<T>(path: string): Promise<T> {
    if (!this.running) throw localInfraErrors.NOT_STARTED({ service: 'prometheus' });
    const response = await fetch(`${this.url}${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (!response.ok || body.status !== 'success')
      throw localInfraErrors.API_FAILED({
        service: 'prometheus',
        request: path,
        status: response.status,
        body: body.error ?? '',
      });
    return body.data;
  }
}
