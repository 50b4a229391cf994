// A local stand-in for the Lenses HQ calls the SQL processors Job makes (Lenses' HQ API reference;
// HQ is proprietary and cannot run here), recording every call:
//   GET  /                                                    200 (HQ answers)
//   POST /api/v1/login                                        {"username","password"} -> 204 and a
//                                                             session_id cookie; 401 otherwise
//   GET  /api/v1/environments/{env}                           the environment with
//                                                             status.agent_connected; 404 unknown
//   GET  /api/v1/environments/{env}/proxy/api/v2/streams      {"streams": [{name, sql, ...}]}
//   POST /api/v1/environments/{env}/proxy/api/v2/streams      {"name","sql","deployment"} -> 201
// The agent connects after `agentConnectsAfter` environment reads; POSTs can be refused.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { HttpStandIn, sendJson, type StandInRequest } from './stand-in-server.js';

export interface Processor {
  name: string;
  sql: string;
  description?: string;
  tags?: string[];
  deployment: { mode: string };
}

export class LensesProcessorsStandIn extends HttpStandIn {
  readonly calls: { method: string; path: string; authenticated: boolean }[] = [];
  readonly processors: Processor[] = [];
  agentConnectsAfter = 0;
  refuseCreate: { status: number; body: unknown } | undefined;
  private readonly sessions = new Set<string>();

  private constructor(
    private readonly environment: string,
    private readonly users: Record<string, string>,
  ) {
    super();
  }

  static async start(environment: string, users: Record<string, string>) {
    const standIn = new LensesProcessorsStandIn(environment, users);
    await standIn.listen();
    return standIn;
  }

  protected async handle(
    { method, url, headers, raw }: StandInRequest,
    response: ServerResponse,
  ): Promise<void> {
    const path = url.pathname;
    const session = /(?:^|;\s*)session_id=([^;]+)/.exec(headers.cookie ?? '')?.[1];
    const authenticated = session !== undefined && this.sessions.has(session);
    this.calls.push({ method, path, authenticated });
    const send = (status: number, payload?: unknown, extra: Record<string, string> = {}) =>
      sendJson(response, status, payload, extra);
    if (method === 'GET' && path === '/') return send(200, { ui: true });
    if (method === 'POST' && path === '/api/v1/login') {
      const body = JSON.parse(raw || '{}') as { username?: string; password?: string };
      if (!body.username || this.users[body.username] !== body.password) {
        return send(401, { code: 401, message: 'invalid credentials' });
      }
      const id = randomUUID();
      this.sessions.add(id);
      return send(204, undefined, { 'set-cookie': `session_id=${id}; Path=/; HttpOnly` });
    }
    if (!authenticated) return send(401, { code: 401, message: 'unauthenticated' });
    const base = `/api/v1/environments/${this.environment}`;
    if (method === 'GET' && path.startsWith('/api/v1/environments/') && !path.includes('/proxy/')) {
      if (path !== base) return send(404, { code: 404, message: 'environment not found' });
      const connected = this.agentConnectsAfter <= 0;
      this.agentConnectsAfter -= 1;
      return send(200, { name: this.environment, status: { agent_connected: connected } });
    }
    if (path === `${base}/proxy/api/v2/streams`) {
      if (method === 'GET') return send(200, { streams: this.processors });
      if (method === 'POST') {
        if (this.refuseCreate) return send(this.refuseCreate.status, this.refuseCreate.body);
        const processor = JSON.parse(raw) as Processor;
        this.processors.push(processor);
        return send(201, { id: randomUUID(), ...processor });
      }
    }
    return send(404, { code: 404, message: 'not found' });
  }
}
