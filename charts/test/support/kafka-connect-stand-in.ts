// A local stand-in for the Kafka Connect REST API (https://kafka.apache.org/documentation/#connect_rest),
// enough for the connector scripts, recording every call. It serves:
//   GET    /connectors                       the connector names
//   GET    /connectors/{name}/config         200 with the stored configuration, 404 when unknown
//   PUT    /connectors/{name}/config         creates (201) or replaces (200); Connect adds "name"
//   GET    /connectors/{name}/status         {name, connector: {state}, tasks: [{id, state}]}
//   POST   /connectors/{name}/restart        202 (?includeTasks=true&onlyFailed=true); tasks RUNNING
//   DELETE /connectors/{name}                204
// Failures can be injected per method and path; tasks can be marked FAILED.
import type { ServerResponse } from 'node:http';
import { HttpStandIn, sendJson, type StandInRequest } from './stand-in-server.js';

export interface ConnectCall {
  method: string;
  path: string;
  query: string;
  body?: unknown;
}

export interface ConnectFailure {
  method: string;
  path: string;
  status: number;
  body?: unknown;
}

interface StoredConnector {
  config: Record<string, string>;
  connectorState: 'RUNNING' | 'FAILED';
  taskState: 'RUNNING' | 'FAILED';
}

export class KafkaConnectStandIn extends HttpStandIn {
  readonly calls: ConnectCall[] = [];
  readonly connectors = new Map<string, StoredConnector>();
  readonly failures: ConnectFailure[] = [];

  static async start(): Promise<KafkaConnectStandIn> {
    const standIn = new KafkaConnectStandIn();
    await standIn.listen();
    return standIn;
  }

  /** The calls that changed something (PUT, POST, DELETE), as "METHOD path". */
  writes(): string[] {
    return this.calls
      .filter((call) => call.method !== 'GET')
      .map((call) => `${call.method} ${call.path}${call.query}`);
  }

  /** Marks a connector's task FAILED, as a task that could not reach its source would be. */
  failTask(name: string): void {
    const connector = this.connectors.get(name);
    if (!connector) throw new Error(`no connector ${name}`);
    connector.taskState = 'FAILED';
  }

  protected async handle(
    { method, url, raw }: StandInRequest,
    response: ServerResponse,
  ): Promise<void> {
    const body: unknown = raw ? JSON.parse(raw) : undefined;
    this.calls.push({ method, path: url.pathname, query: url.search, ...(raw ? { body } : {}) });
    const send = (status: number, payload?: unknown): void => sendJson(response, status, payload);
    const failure = this.failures.find((f) => f.method === method && f.path === url.pathname);
    if (failure)
      return send(
        failure.status,
        failure.body ?? { error_code: failure.status, message: 'injected' },
      );

    if (method === 'GET' && url.pathname === '/connectors')
      return send(200, [...this.connectors.keys()]);
    const match = /^\/connectors\/([^/]+)(\/config|\/status|\/restart)?$/.exec(url.pathname);
    if (!match) return send(404, { error_code: 404, message: 'not found' });
    const name = decodeURIComponent(match[1] as string);
    const connector = this.connectors.get(name);
    const notFound = () => send(404, { error_code: 404, message: `Connector ${name} not found` });
    switch (`${method} ${match[2] ?? ''}`) {
      case 'GET /config':
        return connector ? send(200, connector.config) : notFound();
      case 'PUT /config': {
        const config = { ...(body as Record<string, string>), name };
        this.connectors.set(name, { config, connectorState: 'RUNNING', taskState: 'RUNNING' });
        return send(connector ? 200 : 201, { name, config, tasks: [], type: 'source' });
      }
      case 'GET /status':
        return connector
          ? send(200, {
              name,
              connector: { state: connector.connectorState, worker_id: 'stand-in:8083' },
              tasks: [{ id: 0, state: connector.taskState, worker_id: 'stand-in:8083' }],
            })
          : notFound();
      case 'POST /restart':
        if (!connector) return notFound();
        connector.connectorState = 'RUNNING';
        connector.taskState = 'RUNNING';
        return send(202, { name, connector: { state: 'RESTARTING' }, tasks: [] });
      case 'DELETE ':
        if (!connector) return notFound();
        this.connectors.delete(name);
        return send(204);
      default:
        return send(405, { error_code: 405, message: 'method not allowed' });
    }
  }
}
