import Fastify, { type FastifyInstance } from 'fastify';
import {
  HealthRegistry,
  SdkMetrics,
  createLogger,
  loadRealtimeConfig,
  operationsPlugin,
  sdkErrors,
  type Logger,
  type RealtimeConfig,
} from '@realtime-platform/realtime-sdk';
import type { SimulationOptionsInput } from './application/simulation.options.js';
import type { SimulationReport } from './application/simulation.use-case.js';
import type { SimulatorArguments } from './interface/simulator.argv.js';
import { registerSimulatorMetrics } from './infrastructure/prometheus-simulator.metrics.js';
import { simulationOptionsFromEnv } from './infrastructure/config/service-config.js';
import { startSimulation, type SimulationHandle } from './infrastructure/simulation.launcher.js';

export interface DeviceSimulatorServiceOptions {
  /** Defaults to `process.env`: the five platform secrets plus `RTP_*`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Command-line values; they win over the `RTP_SIM_*` variables. */
  readonly args?: SimulatorArguments;
  readonly logger?: Logger;
  /** How often the achieved rate is logged (ms). */
  readonly progressIntervalMs?: number;
}

/**
 * The composition root of the simulator as a service: the simulation from env (and argv),
 * `/health/live`, `/health/ready` (MQTT connected) and `/metrics` from the SDK's operations plugin,
 * the achieved rate in the log. With `--count` or `--duration` it ends by itself; otherwise on
 * SIGTERM.
 */
export class DeviceSimulatorService {
  readonly config: RealtimeConfig;
  readonly simulationOptions: SimulationOptionsInput;
  readonly logger: Logger;
  readonly metrics: SdkMetrics;
  readonly health = new HealthRegistry();
  readonly app: FastifyInstance;
  private simulation: SimulationHandle | undefined;
  private progressTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<SimulationReport | undefined> | undefined;

  constructor(private readonly options: DeviceSimulatorServiceOptions = {}) {
    const env = options.env ?? process.env;
    this.config = loadRealtimeConfig({ env, websocket: false });
    const { help: _help, ...args } = options.args ?? {};
    this.simulationOptions = { ...simulationOptionsFromEnv(env), ...args };
    this.logger =
      options.logger ??
      createLogger({ level: this.config.logLevel, name: this.config.serviceName });
    this.metrics = new SdkMetrics({ defaultLabels: { service: this.config.serviceName } });
    registerSimulatorMetrics(this.metrics.registry, () => this.simulation);
    this.health.add('mqtt', () => {
      const connected = this.simulation?.connected() ?? false;
      return { ok: connected, detail: connected ? 'connected' : 'not connected' };
    });
    this.app = Fastify({
      loggerInstance: this.logger,
      return503OnClosing: true,
    }) as unknown as FastifyInstance;
    this.app.register(operationsPlugin, { health: this.health, metrics: this.metrics });
  }

  /** The running simulation (after `start`). */
  get handle(): SimulationHandle | undefined {
    return this.simulation;
  }

  /** Connects, starts publishing, listens; resolves with the HTTP address. */
  async start(): Promise<string> {
    const connection = this.config.platform.mqtt;
    if (connection === undefined) throw sdkErrors.MQTT_DISABLED(undefined);
    const simulation = await startSimulation({
      ...this.simulationOptions,
      connection,
      clientIdPrefix: this.config.serviceName,
      logger: this.logger,
    });
    this.simulation = simulation;
    const { devices, rate, topic, qos, malformedRatio, seed } = simulation.options;
    this.logger.info({ devices, rate, topic, qos, malformedRatio, seed }, 'simulation started');
    this.progressTimer = setInterval(() => {
      this.logger.info(
        { ...simulation.counts(), achievedRate: Math.round(simulation.achievedRate()) },
        'simulation progress',
      );
    }, this.options.progressIntervalMs ?? 10_000);
    this.progressTimer.unref();
    // A finished simulation (--count, --duration) stops the service; a stop that fails is logged
    // and fails the process, as on SIGTERM, rather than an unhandled rejection.
    simulation.done
      .then((report) => {
        this.logger.info({ ...report }, 'simulation finished');
        return this.stop();
      })
      .catch(this.stopFailed);
    return this.app.listen({ host: this.config.http.host, port: this.config.http.port });
  }

  /** Not ready any more, stop publishing (readings in flight get their acknowledgement), close. */
  stop(): Promise<SimulationReport | undefined> {
    this.stopping ??= (async () => {
      this.health.startDraining();
      clearInterval(this.progressTimer);
      const report = await this.simulation?.stop(
        Math.max(1000, Math.floor(this.config.shutdownTimeoutMs * 0.6)),
      );
      if (report !== undefined) this.logger.info({ ...report }, 'simulation stopped');
      await this.app.close();
      return report;
    })();
    return this.stopping;
  }

  private readonly stopFailed = (error: unknown): void => {
    this.logger.error({ err: error }, 'stop failed');
    process.exitCode = 1;
  };

  /** SIGTERM/SIGINT stop the service; past `RTP_SHUTDOWN_TIMEOUT_MS` the process exits with 1. */
  installSignalHandlers(signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT']): void {
    const onSignal = (signal: NodeJS.Signals): void => {
      this.logger.info({ signal }, 'stopping');
      const timer = setTimeout(() => {
        this.logger.error({ timeoutMs: this.config.shutdownTimeoutMs }, 'stop timed out');
        process.exit(1);
      }, this.config.shutdownTimeoutMs);
      timer.unref();
      this.stop().catch(this.stopFailed);
    };
    for (const signal of signals) process.once(signal, onSignal);
  }
}
