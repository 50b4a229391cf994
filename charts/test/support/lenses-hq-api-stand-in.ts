// A local stand-in for the Lenses HQ HTTP API (HQ is proprietary and cannot run here), built from
// Lenses' HQ API reference, that records every call. It serves:
//   GET  /                                 the UI (200), what a probe or a wait loop sees
//   POST /api/v1/login                     {"username","password"} -> session_id cookie;
//                                          204 like HQ 6.1, or 200 + JSON like 6.2/6.3
//   GET  /api/v1/environments              the environments (session or bearer token required)
//   GET  /api/v1/environments/{name}       200 with the environment, 404 when unknown
//   POST /api/v1/environments              {"name" (lowercase, hyphens, at most 63),
//                                          "display_name"?, "tier", "metadata"?} -> the
//                                          environment including agent_key (shown only here);
//                                          409 when the name is taken, 400 when invalid
// Requests without a valid session get 401. Failures can be injected per method and path.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { HttpStandIn, sendJson, type StandInRequest } from './stand-in-server.js';

export interface HqEnvironment {
  name: string;
  display_name: string;
  tier: 'development' | 'staging' | 'production';
  metadata?: Record<string, unknown>;
  status: { agent_connected: boolean };
}

export interface HqApiCall {
  method: string;
  path: string;
  /** The parsed JSON body, if any. */
  body?: unknown;
  /** Whether the call carried a valid session cookie or token. */
  authenticated: boolean;
}

export interface InjectedFailure {
  method: string;
  path: string;
  status: number;
  body?: unknown;
  /** Fail only the first `times` matching calls (default: all of them). */
  times?: number;
}

export interface LensesHqStandInOptions {
  /** Accepted logins, user name to password. */
  users: Record<string, string>;
  /** How login answers: '6.1' (204, no body) or '6.2' (200 with JSON). Default '6.1'. */
  loginStyle?: '6.1' | '6.2';
  /** Mark the session cookie Secure, as HQ does with http.secureSessionCookies. */
  secureCookies?: boolean;
  /** Environments that exist before the test (their keys are not known to anyone). */
  environments?: Omit<HqEnvironment, 'status'>[];
  /** Answers to return instead of the normal ones. */
  failures?: InjectedFailure[];
}

const environmentName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const tiers = new Set(['development', 'staging', 'production']);

export class LensesHqApiStandIn extends HttpStandIn {
  readonly calls: HqApiCall[] = [];
  readonly environments = new Map<string, HqEnvironment>();
  /** The agent key handed out for each environment created through the API. */
  readonly issuedKeys = new Map<string, string>();
  private readonly sessions = new Set<string>();
  private readonly options: LensesHqStandInOptions;

  private constructor(options: LensesHqStandInOptions) {
    super();
    // Own copies: injected failures count down.
    this.options = { ...options, failures: options.failures?.map((failure) => ({ ...failure })) };
    for (const environment of options.environments ?? []) {
      this.environments.set(environment.name, {
        ...environment,
        status: { agent_connected: false },
      });
    }
  }

  static async start(options: LensesHqStandInOptions): Promise<LensesHqApiStandIn> {
    const standIn = new LensesHqApiStandIn(options);
    await standIn.listen();
    return standIn;
  }

  /** The calls to one method and path. */
  callsTo(method: string, path: string): HqApiCall[] {
    return this.calls.filter((call) => call.method === method && call.path === path);
  }

  private authenticated(headers: IncomingHttpHeaders): boolean {
    const cookie = headers.cookie ?? '';
    const session = /(?:^|;\s*)session_id=([^;]+)/.exec(cookie)?.[1];
    const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    return (session !== undefined && this.sessions.has(session)) || bearer !== undefined;
  }

  protected async handle(
    { method, url, headers, raw }: StandInRequest,
    response: ServerResponse,
  ): Promise<void> {
    const path = url.pathname;
    let body: unknown;
    let malformed = false;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        malformed = true;
      }
    }
    const authenticated = this.authenticated(headers);
    this.calls.push({
      method,
      path,
      ...(raw ? { body: malformed ? raw : body } : {}),
      authenticated,
    });

    const send = (status: number, payload?: unknown, extra: Record<string, string> = {}): void =>
      sendJson(response, status, payload, extra);
    const error = (status: number, message: string): void =>
      send(status, { code: status, message });

    const failure = this.options.failures?.find(
      (f) => f.method === method && f.path === path && (f.times === undefined || f.times > 0),
    );
    if (failure) {
      if (failure.times !== undefined) failure.times -= 1;
      return send(
        failure.status,
        failure.body ?? { code: failure.status, message: 'injected failure' },
      );
    }
    if (malformed) return error(400, 'request body is not valid JSON');

    if (method === 'GET' && path === '/') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!doctype html><title>Lenses HQ</title>');
      return;
    }
    if (method === 'POST' && path === '/api/v1/login') {
      const { username, password } = (body ?? {}) as { username?: unknown; password?: unknown };
      if (typeof username !== 'string' || typeof password !== 'string')
        return error(400, 'username and password are required');
      if (this.options.users[username] !== password) return error(401, 'invalid credentials');
      const session = randomUUID();
      this.sessions.add(session);
      const cookie = `session_id=${session}; Path=/; HttpOnly; SameSite=Lax${this.options.secureCookies ? '; Secure' : ''}`;
      if (this.options.loginStyle === '6.2')
        return send(200, { username }, { 'set-cookie': cookie });
      return send(204, undefined, { 'set-cookie': cookie });
    }
    if (path === '/api/v1/environments' || path.startsWith('/api/v1/environments/')) {
      if (!authenticated) return error(401, 'authentication required');
      const name = path.split('/')[4];
      if (method === 'GET' && name === undefined)
        return send(200, { items: [...this.environments.values()] });
      if (method === 'GET' && name !== undefined) {
        const environment = this.environments.get(decodeURIComponent(name));
        return environment ? send(200, environment) : error(404, `environment ${name} not found`);
      }
      if (method === 'POST' && name === undefined) return this.createEnvironment(body, send, error);
    }
    return error(404, `no route ${method} ${path}`);
  }

  private createEnvironment(
    body: unknown,
    send: (status: number, payload?: unknown) => void,
    error: (status: number, message: string) => void,
  ): void {
    const { name, display_name, tier, metadata } = (body ?? {}) as Record<string, unknown>;
    if (typeof name !== 'string' || !environmentName.test(name) || name.length > 63)
      return error(400, 'name must be lowercase letters, digits and hyphens, at most 63');
    if (typeof tier !== 'string' || !tiers.has(tier))
      return error(400, 'tier must be development, staging or production');
    if (display_name !== undefined && typeof display_name !== 'string')
      return error(400, 'display_name must be a string');
    if (this.environments.has(name)) return error(409, `environment ${name} already exists`);
    const environment: HqEnvironment = {
      name,
      display_name: display_name ?? name,
      tier: tier as HqEnvironment['tier'],
      ...(metadata ? { metadata: metadata as Record<string, unknown> } : {}),
      status: { agent_connected: false },
    };
    const agentKey = `agent_key_${randomBytes(24).toString('base64url')}`;
    this.environments.set(name, environment);
    this.issuedKeys.set(name, agentKey);
    send(200, { ...environment, agent_key: agentKey });
  }
}
