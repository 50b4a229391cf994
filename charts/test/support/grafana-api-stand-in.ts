// A local stand-in for the parts of Grafana's HTTP API the setup Job uses (Grafana's API reference:
// https://grafana.com/docs/grafana/latest/developers/http_api/), with basic auth, recording calls:
//   GET   /api/health                         200 (503 for the first `startingHealthChecks`)
//   GET   /api/users/lookup?loginOrEmail=x    the user, 404 {"message":"user not found"}
//   POST  /api/admin/users                    {name, login, email, password} -> {id}
//   PUT   /api/admin/users/{id}/password      {password}
//   PUT   /api/admin/users/{id}/permissions   {isGrafanaAdmin}
//   POST  /api/admin/users/{id}/enable
//   PATCH /api/org/users/{id}                 {role}
// Everything needs the server admin's basic auth (401 without a valid login, 403 for others).
import type { ServerResponse } from 'node:http';
import { HttpStandIn, sendJson, type StandInRequest } from './stand-in-server.js';

export interface GrafanaUser {
  id: number;
  login: string;
  email: string;
  password: string;
  isGrafanaAdmin: boolean;
  isDisabled: boolean;
  role: 'Admin' | 'Editor' | 'Viewer';
}

export class GrafanaApiStandIn extends HttpStandIn {
  readonly calls: { method: string; path: string }[] = [];
  readonly users: GrafanaUser[];
  startingHealthChecks = 0;

  private constructor(admin: { login: string; password: string }) {
    super();
    this.users = [
      {
        id: 1,
        ...admin,
        email: 'admin@localhost',
        isGrafanaAdmin: true,
        isDisabled: false,
        role: 'Admin',
      },
    ];
  }

  /** Grafana as it starts from GF_SECURITY_ADMIN_USER/PASSWORD: the admin, user 1. */
  static async start(admin: { login: string; password: string }): Promise<GrafanaApiStandIn> {
    const standIn = new GrafanaApiStandIn(admin);
    await standIn.listen();
    return standIn;
  }

  /** The calls that changed something, as "METHOD path". */
  writes(): string[] {
    return this.calls.filter((call) => call.method !== 'GET').map((c) => `${c.method} ${c.path}`);
  }

  protected async handle(
    { method, url, headers, raw }: StandInRequest,
    response: ServerResponse,
  ): Promise<void> {
    const path = url.pathname;
    const body = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
    this.calls.push({ method, path });
    const send = (status: number, payload: unknown): void => sendJson(response, status, payload);
    if (method === 'GET' && path === '/api/health') {
      if (this.startingHealthChecks > 0) {
        this.startingHealthChecks -= 1;
        return send(503, { database: 'failing' });
      }
      return send(200, { database: 'ok' });
    }
    const basic = /^Basic (.+)$/.exec(headers.authorization ?? '')?.[1];
    const [login, ...rest] = Buffer.from(basic ?? '', 'base64')
      .toString('utf8')
      .split(':');
    const caller = this.users.find(
      (user) => !user.isDisabled && user.login === login && user.password === rest.join(':'),
    );
    if (!caller) return send(401, { message: 'invalid username or password' });
    if (!caller.isGrafanaAdmin) return send(403, { message: 'Permission denied' });
    const view = ({ password: _password, ...user }: GrafanaUser) => user;

    if (method === 'GET' && path === '/api/users/lookup') {
      const wanted = url.searchParams.get('loginOrEmail');
      const user = this.users.find((u) => u.login === wanted || u.email === wanted);
      return user ? send(200, view(user)) : send(404, { message: 'user not found' });
    }
    if (method === 'POST' && path === '/api/admin/users') {
      if (this.users.some((u) => u.login === body.login || u.email === body.email)) {
        return send(412, { message: 'user already exists' });
      }
      const user: GrafanaUser = {
        id: this.users.length + 1,
        login: String(body.login),
        email: String(body.email),
        password: String(body.password),
        isGrafanaAdmin: false,
        isDisabled: false,
        // Grafana's default for a new user (users.auto_assign_org_role).
        role: 'Viewer',
      };
      this.users.push(user);
      return send(200, { id: user.id, message: 'User created' });
    }
    const admin = /^\/api\/admin\/users\/(\d+)\/(password|permissions|enable)$/.exec(path);
    const org = /^\/api\/org\/users\/(\d+)$/.exec(path);
    const target = this.users.find((u) => u.id === Number((admin ?? org)?.[1]));
    if ((admin || org) && !target) return send(404, { message: 'user not found' });
    if (target && admin?.[2] === 'password' && method === 'PUT') {
      target.password = String(body.password);
      return send(200, { message: 'User password updated' });
    }
    if (target && admin?.[2] === 'permissions' && method === 'PUT') {
      target.isGrafanaAdmin = body.isGrafanaAdmin === true;
      return send(200, { message: 'User permissions updated' });
    }
    if (target && admin?.[2] === 'enable' && method === 'POST') {
      target.isDisabled = false;
      return send(200, { message: 'User enabled' });
    }
    if (target && org && method === 'PATCH') {
      target.role = body.role as GrafanaUser['role'];
      return send(200, { message: 'Organization user updated' });
    }
    return send(404, { message: 'Not found' });
  }
}
