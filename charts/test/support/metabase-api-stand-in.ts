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
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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

export class MetabaseApiStandIn {
  readonly calls: MetabaseCall[] = [];
  readonly databases: MetabaseDatabase[] = [];
  admin: { email: string; password: string } | undefined;
  readonly setupToken = randomUUID();
  /** Answer POST /api/database with this instead of adding the database. */
  databaseFailure: { status: number; body: unknown } | undefined;
  /** Health checks answered 503 before Metabase is "up" (its first start migrates). */
  startingHealthChecks = 0;
  private readonly sessions = new Set<string>();
  private readonly server: Server = createServer((request, response) => {
    void this.handle(request, response);
  });

  static async start(): Promise<MetabaseApiStandIn> {
    const standIn = new MetabaseApiStandIn();
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The calls that changed something, as "METHOD path". */
  writes(): string[] {
    return this.calls.filter((call) => call.method !== 'GET').map((c) => `${c.method} ${c.path}`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = request.method ?? 'GET';
    const path = new URL(request.url ?? '/', this.url).pathname;
    const body = (raw ? JSON.parse(raw) : undefined) as Record<string, unknown> | undefined;
    const session = request.headers['x-metabase-session'];
    const authenticated = typeof session === 'string' && this.sessions.has(session);
    this.calls.push({ method, path, ...(body ? { body } : {}), authenticated });
    const send = (status: number, payload: unknown): void => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payload));
    };
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
      return send(200, { id: newSession() });
    }
    if (method === 'POST' && path === '/api/session') {
      if (
        !this.admin ||
        body?.username !== this.admin.email ||
        body?.password !== this.admin.password
      ) {
        return send(401, { errors: { password: 'did not match stored password' } });
      }
      return send(200, { id: newSession() });
    }
    if (!authenticated) return send(401, 'Unauthenticated');
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
    return send(404, 'API endpoint does not exist.');
  }
}
