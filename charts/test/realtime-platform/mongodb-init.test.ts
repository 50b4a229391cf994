// The MongoDB container's own provisioning, for real: its postStart hook's script, run by a real
// mongosh (the npm package, the shell the mongo image ships) with the environment the rendered
// StatefulSet takes from the rendered Secrets, on a real MongoDB-wire-protocol server (FerretDB
// 1.24 on SQLite, with authentication: no mongod is served to this machine). The root user of
// the rendered admin Secret is created in the server's `admin` first, as the image does at its
// first start; only where the server listens is rewritten (the pod's loopback becomes the test
// server's port).
//
// What FerretDB 1.x proves and what it cannot: it authenticates users (SCRAM-SHA-256) and keeps
// them per database, so the root login, the users' creation in `realtime` (DB_URL's authSource),
// the second run's update, a rotated password and the refusals are proven here. It implements no
// roles (createUser/updateUser accept only `roles: []`, and every authenticated user may use every
// database), so the roles the script asks for (readWrite and dbAdmin on `realtime`, read for the
// reader) are proven by no server here; the last case records that limit, so it fails, and asks
// for the role checks, the day the server enforces them.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useFerretDbServer } from '@realtime-platform/local-infra/jest';
import { MongoClient, MongoServerError } from 'mongodb';
import {
  databaseContainer,
  databaseEnvironment,
  databaseInitHook,
  runDatabaseInit,
} from '../support/database-pod.js';
import { renderChart, type RenderedChart } from '../support/render-chart.js';
import type { ScriptResult } from '../support/run-shell-script.js';

const chart = 'realtime-platform';
/** mongosh's own entry point (its package's `bin`), run by the node on PATH. */
const mongosh = join(
  dirname(createRequire(import.meta.url).resolve('mongosh/package.json')),
  'bin',
  'mongosh.js',
);
const ferretdb = useFerretDbServer();

let render: RenderedChart;
let dir: string;

/** init-mongodb.sh as the postStart hook runs it (../support/database-pod.ts), on the test server; `extra` overrides any variable. */
const runInit = (extra: Record<string, string> = {}): Promise<ScriptResult> =>
  runDatabaseInit(
    render,
    'mongodb',
    {
      MONGO_HOST: ferretdb().host,
      MONGO_PORT: String(ferretdb().port),
      MONGOSH: mongosh,
      LOG_FILE: join(dir, 'container.log'),
      // The one departure from the pod: FerretDB 1.x has no roles (see the header).
      ACCEPT_SERVER_WITHOUT_ROLES: 'true',
      POLL_SECONDS: '1',
      ...extra,
    },
    120_000,
  );

/** A rendered secret's DB_URL, pointed at the test server (the Service name becomes its port). */
function urlOf(secret: Record<string, string | undefined>, password?: string): string {
  const url = new URL(secret.DB_URL ?? '');
  url.host = `${ferretdb().host}:${ferretdb().port}`;
  if (password !== undefined) url.password = encodeURIComponent(password);
  return url.toString();
}

/** Runs `body` on the database of `url`: true, or the server's code name. */
async function as(
  url: string,
  body: (client: MongoClient) => Promise<unknown>,
): Promise<true | string> {
  const client = new MongoClient(url, ferretdb().clientOptions());
  try {
    await client.connect();
    await body(client);
    return true;
  } catch (error) {
    return error instanceof MongoServerError ? String(error.codeName) : (error as Error).message;
  } finally {
    await client.close();
  }
}

beforeAll(async () => {
  render = await renderChart(chart, { namespace: 'apps', fixtures: ['mongodb'] });
  dir = await mkdtemp(join(tmpdir(), 'rtp-mongodb-init-'));
  // The image's first start: the root user of the admin Secret, in admin.
  const root = render.secretData('health-data-mongodb-admin-secret');
  const client = new MongoClient(
    ferretdb().connectionUrl(ferretdb().admin, 'admin'),
    ferretdb().clientOptions(),
  );
  try {
    await client.connect();
    await client.db('admin').command({
      createUser: root.MONGO_INITDB_ROOT_USERNAME,
      pwd: root.MONGO_INITDB_ROOT_PASSWORD,
      roles: [],
    });
  } finally {
    await client.close();
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('realtime-platform: init-mongodb.sh (the MongoDB pod provisions its users itself)', () => {
  it('runs as the postStart hook over the pod loopback, root from the admin Secret only', () => {
    expect(databaseInitHook(render, 'mongodb')).toEqual({
      env: { LOG_FILE: '/proc/1/fd/2' },
      script: '/scripts/init-mongodb.sh',
    });
    const env = databaseContainer(render, 'mongodb').env ?? [];
    for (const name of ['MONGO_INITDB_ROOT_USERNAME', 'MONGO_INITDB_ROOT_PASSWORD']) {
      const root = env.find((v) => v.name === name);
      expect(root?.valueFrom?.secretKeyRef?.name).toBe('health-data-mongodb-admin-secret');
    }
    expect(databaseEnvironment(render, 'mongodb')).not.toHaveProperty(
      'ACCEPT_SERVER_WITHOUT_ROLES',
    );
  });

  it('refuses a server without roles at once, unless told to accept it', async () => {
    const result = await runInit({ ACCEPT_SERVER_WITHOUT_ROLES: '', WAIT_SECONDS: '600' });
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).not.toContain('retrying');
    expect(result.stderr).toContain('MongoServerError[238]: createUser: support for field "roles"');
    expect(result.stderr).toContain(
      'init-mongodb: ERROR: MongoDB refused the provisioning (a server without roles, such as FerretDB 1.x: see ACCEPT_SERVER_WITHOUT_ROLES)',
    );
    const app = render.secretData('health-data-db-secret');
    expect(await as(urlOf(app), (c) => c.db().command({ ping: 1 }))).toBe('AuthenticationFailed');
  });

  it('creates both users in the application database, and a second run updates them (idempotent)', async () => {
    const first = await runInit();
    expect(first).toMatchObject({ exitCode: 0 });
    expect(first.stdout).toContain('init-mongodb: the users of realtime are in place\n');
    expect(first.stdout).toContain('WARNING: the server implements no roles');
    expect(await runInit()).toMatchObject({ exitCode: 0 });
    expect(await readFile(join(dir, 'container.log'), 'utf8')).toContain('are in place');

    const admin = new MongoClient(
      ferretdb().connectionUrl(ferretdb().admin, 'admin'),
      ferretdb().clientOptions(),
    );
    try {
      await admin.connect();
      const { users } = await admin.db('realtime').command({ usersInfo: 1 });
      const app = render.secretData('health-data-db-secret');
      const reader = render.secretData('health-data-db-reader-secret');
      expect(
        (users as { user: string; db: string }[]).map(({ user, db }) => ({ user, db })),
      ).toEqual(
        expect.arrayContaining([
          { user: app.DB_USER, db: 'realtime' },
          { user: reader.DB_USER, db: 'realtime' },
        ]),
      );
      expect(users).toHaveLength(2);
    } finally {
      await admin.close();
    }
  });

  it("the URLs of {name}-db-secret and -db-reader-secret log their users in: the applications' writes, the reader reads", async () => {
    await runInit();
    const app = render.secretData('health-data-db-secret');
    const reader = render.secretData('health-data-db-reader-secret');
    expect(
      await as(urlOf(app), async (client) => {
        expect(client.db().databaseName).toBe('realtime');
        await client.db().collection('alerts').insertOne({ id: 'a1', value: 72 });
        const status = await client.db().command({ connectionStatus: 1 });
        expect(status.authInfo.authenticatedUsers).toEqual([{ user: app.DB_USER, db: 'realtime' }]);
      }),
    ).toBe(true);
    expect(
      await as(urlOf(reader), async (client) => {
        const found = await client
          .db()
          .collection('alerts')
          .find({ id: 'a1' }, { projection: { _id: 0 } })
          .toArray();
        expect(found).toEqual([{ id: 'a1', value: 72 }]);
      }),
    ).toBe(true);
  });

  it('sets a changed password again on the next start (a rotated Secret)', async () => {
    await runInit();
    const app = render.secretData('health-data-db-secret');
    const rotated = 'rotated-"pass\\word:@/';
    expect(await runInit({ APP_DB_PASSWORD: rotated })).toMatchObject({ exitCode: 0 });
    const ping = (c: MongoClient) => c.db().command({ ping: 1 });
    expect(await as(urlOf(app), ping)).toBe('AuthenticationFailed');
    expect(await as(urlOf(app, rotated), ping)).toBe(true);
    await runInit();
    expect(await as(urlOf(app), ping)).toBe(true);
  });

  it('fails loudly, naming the variable, when a password is missing', async () => {
    const result = await runInit({ READER_DB_PASSWORD: '' });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('init-mongodb: ERROR: READER_DB_PASSWORD is not set');
  });

  it('waits for the root user (the image creates it at its first start), then fails after WAIT_SECONDS', async () => {
    const result = await runInit({ MONGO_INITDB_ROOT_PASSWORD: 'wrong', WAIT_SECONDS: '2' });
    expect(result.exitCode).not.toBe(0);
    // Retried until the deadline (a refused root is what the image's first start looks like),
    // not failed at once as a refusal that waiting cannot change.
    expect(result.stderr).toContain('MongoServerError[18]: Authentication failed.');
    expect(result.stderr).not.toContain('waiting will not change that');
    expect(result.stderr).toContain('MongoDB did not accept the root user within 2s');
  });

  it('the limit of this server (no roles): the reader writes and the applications use another database, so the roles are proven by no server here', async () => {
    await runInit();
    const app = render.secretData('health-data-db-secret');
    const reader = render.secretData('health-data-db-reader-secret');
    // On mongod both would be refused (Unauthorized): read on realtime, readWrite on realtime only.
    expect(
      await as(urlOf(reader), (c) => c.db().collection('alerts').insertOne({ id: 'by-reader' })),
    ).toBe(true);
    expect(
      await as(urlOf(app), (c) => c.db('other').collection('x').insertOne({ id: 'elsewhere' })),
    ).toBe(true);
  });
});
