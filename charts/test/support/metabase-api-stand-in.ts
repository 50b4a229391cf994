// A local stand-in for the parts of Metabase's API the setup Job uses (Metabase's API reference:
// https://www.metabase.com/docs/latest/api), recording every call:
//   GET  /api/health                  200 {"status":"ok"} (503 for the first `startingHealthChecks`)
//   GET  /api/session/properties      {"setup-token", "has-user-setup"}
//   POST /api/setup                   {token, user{email,password,...}, prefs} -> {id: session}; 400
//                                     for a wrong token, 403 once set up
//   POST /api/session                 {username, password} -> {id}; 401 for a wrong password
//   GET  /api/database                {data: [...], total}           (session required)
//   POST /api/database                {name, engine, details} -> the database with its id
//   PUT  /api/database/{id}           updates it
//   GET  /api/user?status=all         {data: [{id, email, is_superuser, is_active}]} (the admin is 1)
//   POST /api/user                    {email, password, first_name, last_name} -> a plain user; 400
//                                     when the e-mail address is taken
//   PUT  /api/user/{id}               {is_superuser}; PUT /api/user/{id}/password {password};
//   PUT  /api/user/{id}/reactivate
//   GET  /api/card, POST /api/card, PUT /api/card/{id}            cards (questions), by id
//   GET  /api/dashboard, POST /api/dashboard, PUT /api/dashboard/{id} (with dashcards: the layout,
//                                     negative ids create; Metabase >= 0.47)
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { HttpStandIn, sendJson, type StandInRequest } from './stand-in-server.js';

export interface MetabaseCall {
  method: string;
  path: string;
  body?: Record<string, unknown>;
  authenticated: boolean;
}

export interface MetabaseDatabase {
  id: number;
  name: string;
  engine: string;
  details: Record<string, unknown>;
}

export interface MetabaseUser {
  id: number;
  email: string;
  password: string;
  is_superuser: boolean;
  is_active: boolean;
}

export interface MetabaseCard {
  id: number;
  name: string;
  display: string;
  dataset_query: { type: string; database: number; native: { query: string } };
}

export interface MetabaseDashboard {
  id: number;
  name: string;
  description: string;
  dashcards: {
    id: number;
    card_id: number;
    row: number;
    col: number;
    size_x: number;
    size_y: number;
  }[];
}

export class MetabaseApiStandIn extends HttpStandIn {
  readonly cards: MetabaseCard[] = [];
  readonly dashboards: MetabaseDashboard[] = [];
  readonly calls: MetabaseCall[] = [];
  readonly databases: MetabaseDatabase[] = [];
  admin: { email: string; password: string } | undefined;
  /** The users besides the admin (id 1). */
  readonly users: MetabaseUser[] = [];
  readonly setupToken = randomUUID();
  /** Answer POST /api/database with this instead of adding the database. */
  databaseFailure: { status: number; body: unknown } | undefined;
  /** Health checks answered 503 before Metabase is "up" (its first start migrates). */
  startingHealthChecks = 0;
  private readonly sessions = new Set<string>();
  private readonly adminSessions = new Set<string>();

  static async start(): Promise<MetabaseApiStandIn> {
    const standIn = new MetabaseApiStandIn();
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
    const body = (raw ? JSON.parse(raw) : undefined) as Record<string, unknown> | undefined;
    const session = headers['x-metabase-session'];
    const authenticated = typeof session === 'string' && this.sessions.has(session);
    this.calls.push({ method, path, ...(body ? { body } : {}), authenticated });
    const send = (status: number, payload: unknown): void => sendJson(response, status, payload);
    const newSession = (): string => {
      const id = randomUUID();
      this.sessions.add(id);
      return id;
    };

    if (method === 'GET' && path === '/api/health') {
      if (this.startingHealthChecks > 0) {
        this.startingHealthChecks -= 1;
        return send(503, { status: 'initializing', progress: 0.5 });
      }
      return send(200, { status: 'ok' });
    }
    if (method === 'GET' && path === '/api/session/properties') {
      return send(200, {
        'setup-token': this.admin ? null : this.setupToken,
        'has-user-setup': this.admin !== undefined,
        'site-name': 'Metabase',
      });
    }
    if (method === 'POST' && path === '/api/setup') {
      if (this.admin)
        return send(403, {
          message:
            'The /api/setup route can only be used to create the first user, however many users currently exist.',
        });
      const user = body?.user as { email?: string; password?: string } | undefined;
      if (body?.token !== this.setupToken)
        return send(400, { errors: { token: 'Token does not match the setup token.' } });
      if (!user?.email || !user.password)
        return send(400, { errors: { email: 'value must be a valid email address.' } });
      this.admin = { email: user.email, password: user.password };
      const id = newSession();
      this.adminSessions.add(id);
      return send(200, { id });
    }
    if (method === 'POST' && path === '/api/session') {
      const isAdmin =
        this.admin && body?.username === this.admin.email && body?.password === this.admin.password;
      const isUser = this.users.some(
        (user) =>
          user.is_active && user.email === body?.username && user.password === body?.password,
      );
      if (!isAdmin && !isUser) {
        return send(401, { errors: { password: 'did not match stored password' } });
      }
      const id = newSession();
      if (isAdmin) this.adminSessions.add(id);
      return send(200, { id });
    }
    if (!authenticated) return send(401, 'Unauthenticated');
    // Everything below is the admin's (a viewer's session gets 403, as in Metabase).
    if (!this.adminSessions.has(session as string)) {
      return send(403, "You don't have permissions to do that.");
    }
    if (method === 'GET' && path === '/api/user') {
      const all = [
        ...(this.admin
          ? [{ id: 1, email: this.admin.email, is_superuser: true, is_active: true }]
          : []),
        ...this.users.map(({ password: _password, ...user }) => user),
      ];
      return send(200, { data: all, total: all.length });
    }
    if (method === 'POST' && path === '/api/user') {
      const email = String(body?.email ?? '');
      if (email === this.admin?.email || this.users.some((user) => user.email === email)) {
        return send(400, { errors: { email: 'Email address already in use.' } });
      }
      const user: MetabaseUser = {
        id: this.users.length + 2,
        email,
        password: String(body?.password ?? ''),
        is_superuser: false,
        is_active: true,
      };
      this.users.push(user);
      return send(200, { id: user.id, email, is_superuser: false });
    }
    const userMatch = /^\/api\/user\/(\d+)(\/password|\/reactivate)?$/.exec(path);
    if (method === 'PUT' && userMatch) {
      const user = this.users.find((candidate) => candidate.id === Number(userMatch[1]));
      if (!user) return send(404, 'Not found.');
      if (userMatch[2] === '/password') user.password = String(body?.password ?? '');
      else if (userMatch[2] === '/reactivate') user.is_active = true;
      else if (typeof body?.is_superuser === 'boolean') user.is_superuser = body.is_superuser;
      return send(200, { id: user.id, email: user.email, is_superuser: user.is_superuser });
    }
    if (method === 'GET' && path === '/api/database') {
      return send(200, { data: this.databases, total: this.databases.length });
    }
    if (method === 'POST' && path === '/api/database') {
      if (this.databaseFailure) return send(this.databaseFailure.status, this.databaseFailure.body);
      const database: MetabaseDatabase = {
        id: this.databases.length + 1,
        name: String(body?.name),
        engine: String(body?.engine),
        details: (body?.details ?? {}) as Record<string, unknown>,
      };
      this.databases.push(database);
      return send(200, database);
    }
    const match = /^\/api\/database\/(\d+)$/.exec(path);
    if (method === 'PUT' && match) {
      const database = this.databases.find((db) => db.id === Number(match[1]));
      if (!database) return send(404, 'Not found.');
      database.details = (body?.details ?? database.details) as Record<string, unknown>;
      return send(200, database);
    }
    if (method === 'GET' && path === '/api/card') return send(200, this.cards);
    const cardMatch = /^\/api\/card(?:\/(\d+))?$/.exec(path);
    if ((method === 'POST' || method === 'PUT') && cardMatch) {
      const query = body?.dataset_query as MetabaseCard['dataset_query'] | undefined;
      if (query?.type !== 'native' || !this.databases.some((db) => db.id === query.database))
        return send(400, {
          errors: { dataset_query: 'value must be a valid query on a database.' },
        });
      const fields = {
        name: String(body?.name),
        display: String(body?.display),
        dataset_query: query,
      };
      if (method === 'POST' && !cardMatch[1]) {
        const card = { id: this.cards.length + 1, ...fields };
        this.cards.push(card);
        return send(200, card);
      }
      const card = this.cards.find((candidate) => candidate.id === Number(cardMatch[1]));
      if (!card) return send(404, 'Not found.');
      Object.assign(card, fields);
      return send(200, card);
    }
    if (method === 'GET' && path === '/api/dashboard') return send(200, this.dashboards);
    const dashboardMatch = /^\/api\/dashboard(?:\/(\d+))?$/.exec(path);
    if (method === 'POST' && dashboardMatch && !dashboardMatch[1]) {
      const dashboard = {
        id: this.dashboards.length + 1,
        name: String(body?.name),
        description: String(body?.description ?? ''),
        dashcards: [],
      };
      this.dashboards.push(dashboard);
      return send(200, dashboard);
    }
    if (method === 'PUT' && dashboardMatch?.[1]) {
      const dashboard = this.dashboards.find((d) => d.id === Number(dashboardMatch[1]));
      if (!dashboard) return send(404, 'Not found.');
      const layout = (body?.dashcards ?? []) as MetabaseDashboard['dashcards'];
      if (layout.some((dashcard) => !this.cards.some((card) => card.id === dashcard.card_id)))
        return send(400, { message: 'a dashboard card names a card that does not exist' });
      // Negative ids are new dashboard cards: Metabase gives them ids of their own.
      let next = Math.max(0, ...dashboard.dashcards.map((d) => d.id)) + 1;
      dashboard.dashcards = layout.map((d) => (d.id < 0 ? { ...d, id: next++ } : d));
      dashboard.name = String(body?.name ?? dashboard.name);
      dashboard.description = String(body?.description ?? dashboard.description);
      return send(200, dashboard);
    }
    return send(404, 'API endpoint does not exist.');
  }
}
