import {
  ServiceProcess,
  type ServiceLaunch,
  type ServiceProcessOptions,
} from './service-process.js';

export interface NodeServiceOptions extends ServiceProcessOptions {
  /** The service's built entry point, e.g. `services/mqtt-bridge/dist/main.js` (absolute). */
  readonly entry: string;
  /** The platform secrets (`localPlatformEnv`) plus the service's RTP_* variables. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Node flags before the entry, for those NODE_OPTIONS refuses (`--cpu-prof`, `--cpu-prof-dir`):
   * the benches profile a service this way.
   */
  readonly nodeArgs?: readonly string[];
}

/**
 * A platform service run as its own Node process (this process's node binary), the way a pod
 * runs it: configuration only from the environment, health on RTP_HTTP_PORT.
 */
export class NodeService extends ServiceProcess {
  private constructor(
    private readonly nodeOptions: NodeServiceOptions,
    httpPort: number,
  ) {
    super(nodeOptions, httpPort);
  }

  static async start(options: NodeServiceOptions): Promise<NodeService> {
    const service = new NodeService(options, await ServiceProcess.choosePort(options));
    await service.begin();
    return service;
  }

  protected launch(): ServiceLaunch {
    return {
      command: process.execPath,
      args: ['--enable-source-maps', ...(this.nodeOptions.nodeArgs ?? []), this.nodeOptions.entry],
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_ENV: 'production',
        RTP_LOG_LEVEL: 'info',
        RTP_HTTP_HOST: '127.0.0.1',
        ...this.nodeOptions.env,
        RTP_HTTP_PORT: String(this.httpPort),
      },
    };
  }
}
