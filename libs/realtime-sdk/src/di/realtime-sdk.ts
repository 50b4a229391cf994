// tsyringe needs the Reflect metadata polyfill before it loads.
import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import type { RealtimeConfig } from '../config/realtime-config.js';
import type { MessageBus } from '../kafka/message-bus.port.js';
import type { MqttBus } from '../mqtt/mqtt-bus.client.js';
import type { HealthRegistry } from '../operations/health.registry.js';
import { RealtimeServer, type ServerHubOptions } from '../operations/realtime-server.js';
import type { Logger } from '../telemetry/sdk.logger.js';
import type { SdkMetrics } from '../telemetry/sdk.metrics.js';
import type { WsHub } from '../ws-hub/ws-hub.js';
import { realtimeTokens } from './di.tokens.js';

export interface RealtimeSdkOptions {
  /** Serve the WebSocket hub for these topics (bridged from Kafka). */
  readonly hub?: ServerHubOptions;
  /** Connect MQTT at start. */
  readonly mqtt?: boolean;
  /** Install SIGTERM/SIGINT drain handlers at start (default true). */
  readonly signals?: boolean;
}

/** The composed SDK a service resolves: `await sdk.start()`, and SIGTERM drains it. */
@injectable()
export class RealtimeSdk {
  readonly server: RealtimeServer;
  private removeSignalHandlers: (() => void) | undefined;

  constructor(
    @inject(realtimeTokens.Config) readonly config: RealtimeConfig,
    @inject(realtimeTokens.Logger) readonly logger: Logger,
    @inject(realtimeTokens.Metrics) readonly metrics: SdkMetrics,
    @inject(realtimeTokens.Health) readonly health: HealthRegistry,
    @inject(realtimeTokens.MessageBus) readonly bus: MessageBus,
    @inject(realtimeTokens.Options) private readonly options: RealtimeSdkOptions,
  ) {
    this.server = new RealtimeServer({
      config,
      logger,
      metrics,
      bus,
      health,
      ...(options.hub === undefined ? {} : { hub: options.hub }),
      ...(options.mqtt === undefined ? {} : { mqtt: options.mqtt }),
    });
  }

  get hub(): WsHub {
    return this.server.app.realtimeHub;
  }

  get mqtt(): MqttBus {
    return this.server.mqtt;
  }

  /** Connects, starts consuming and listens; resolves with the address. */
  async start(): Promise<string> {
    if (this.options.signals ?? true)
      this.removeSignalHandlers = this.server.installSignalHandlers();
    return this.server.start();
  }

  async stop(): Promise<void> {
    this.removeSignalHandlers?.();
    await this.server.stop();
  }

  /** Called by `container.dispose()`. */
  dispose(): Promise<void> {
    return this.stop();
  }
}
