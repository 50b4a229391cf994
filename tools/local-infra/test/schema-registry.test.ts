import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { generatePassword } from '../src/index.js';
import { useSchemaRegistry } from '../src/jest/index.js';

const reader = { username: 'reader', password: generatePassword(), access: 'read' } as const;
const registry = useSchemaRegistry({
  users: [{ username: 'admin', password: generatePassword(), access: 'admin' }, reader],
});

const CONFLUENT_JSON = 'application/vnd.schemaregistry.v1+json';

interface Reply {
  status: number;
  body: Record<string, unknown> & { error_code?: number };
}

/** One Confluent-API call with the Confluent content type; the parsed JSON body and the status. */
async function call(method: string, path: string, body?: unknown): Promise<Reply> {
  const response = await fetch(`${registry().url}${path}`, {
    method,
    headers: {
      'content-type': CONFLUENT_JSON,
      accept: CONFLUENT_JSON,
      authorization: registry().authorization(),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Reply['body'] };
}

const readingSchema = (extraFields: object[] = []): string =>
  JSON.stringify({
    type: 'record',
    name: 'Reading',
    namespace: 'dev.realtime.smoke',
    fields: [
      { name: 'deviceId', type: 'string' },
      { name: 'value', type: 'double' },
      ...extraFields,
    ],
  });

describe('SchemaRegistry (Apicurio Registry, Confluent API)', () => {
  it('serves the Confluent-compatible API on a loopback port chosen at start', async () => {
    expect(registry().url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/apis\/ccompat\/v7$/);
    expect(registry().port).not.toBe(8081);
    const subjects = await fetch(`${registry().url}/subjects`, {
      headers: { authorization: registry().authorization() },
    });
    expect(subjects.status).toBe(200);
    expect(Array.isArray(await subjects.json())).toBe(true);
  });

  it('registers an Avro schema and returns it by id', async () => {
    const subject = `readings-${randomUUID()}-value`;
    const schema = readingSchema();
    const registered = await call('POST', `/subjects/${subject}/versions`, { schema });
    expect(registered.status).toBe(200);
    expect(registered.body.id).toEqual(expect.any(Number));

    const byId = await call('GET', `/schemas/ids/${registered.body.id}`);
    expect(byId.status).toBe(200);
    expect(JSON.parse(byId.body.schema as string)).toEqual(JSON.parse(schema));

    const versions = await fetch(`${registry().url}/subjects/${subject}/versions`, {
      headers: { authorization: registry().authorization() },
    });
    expect(await versions.json()).toEqual([1]);
  });

  it('keeps BACKWARD compatibility per subject and refuses an incompatible change with 409', async () => {
    const subject = `readings-${randomUUID()}-value`;
    const first = await call('POST', `/subjects/${subject}/versions`, { schema: readingSchema() });
    expect(first.status).toBe(200);

    const set = await call('PUT', `/config/${subject}`, { compatibility: 'BACKWARD' });
    expect(set.status).toBe(200);
    const read = await call('GET', `/config/${subject}`);
    expect(read.status).toBe(200);
    expect(read.body.compatibilityLevel).toBe('BACKWARD');

    // A new required field without a default: readers of the new schema cannot read old data.
    const breaking = readingSchema([{ name: 'unit', type: 'string' }]);
    const check = await call('POST', `/compatibility/subjects/${subject}/versions/latest`, {
      schema: breaking,
    });
    expect(check.status).toBe(200);
    expect(check.body.is_compatible).toBe(false);
    const refused = await call('POST', `/subjects/${subject}/versions`, { schema: breaking });
    expect(refused.status).toBe(409);
    expect(refused.body.error_code).toBe(409);

    // The same field with a default is a backward-compatible evolution: version 2, a new id.
    const compatible = readingSchema([{ name: 'unit', type: 'string', default: 'C' }]);
    const second = await call('POST', `/subjects/${subject}/versions`, { schema: compatible });
    expect(second.status).toBe(200);
    expect(second.body.id).not.toBe(first.body.id);
    const latest = await call('GET', `/subjects/${subject}/versions/latest`);
    expect(latest.body).toMatchObject({ subject, version: 2, id: second.body.id });
  });

  it('answers an unknown subject with 404', async () => {
    const missing = await call('GET', `/subjects/missing-${randomUUID()}/versions`);
    expect(missing.status).toBe(404);
  });

  it('refuses anonymous requests and wrong passwords with 401, and writes by a read-only user with 403', async () => {
    const subject = `readings-${randomUUID()}-value`;
    const body = JSON.stringify({ schema: readingSchema() });
    const post = (authorization?: string) =>
      fetch(`${registry().url}/subjects/${subject}/versions`, {
        method: 'POST',
        headers: {
          'content-type': CONFLUENT_JSON,
          ...(authorization === undefined ? {} : { authorization }),
        },
        body,
      });
    const basic = (user: string, password: string) =>
      `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    expect((await post()).status).toBe(401);
    expect((await fetch(`${registry().url}/subjects`)).status).toBe(401);
    expect((await post(basic('admin', 'not-the-password'))).status).toBe(401);
    expect((await post(basic(reader.username, reader.password))).status).toBe(403);
    // The read-only user reads; nothing was registered by the refused writes.
    const subjects = await fetch(`${registry().url}/subjects`, {
      headers: { authorization: basic(reader.username, reader.password) },
    });
    expect(subjects.status).toBe(200);
    expect(await subjects.json()).not.toContain(subject);
  });

  it('keeps every schema and id across a kill -9 and restart on the same port (as a Kafka-backed registry does)', async () => {
    const subject = `crash-${randomUUID()}-value`;
    const registered = await call('POST', `/subjects/${subject}/versions`, {
      schema: readingSchema(),
    });
    const port = registry().port;
    await registry().kill('SIGKILL');
    await expect(fetch(`${registry().url}/subjects`)).rejects.toThrow();
    await registry().restart();
    expect(registry().port).toBe(port);
    const byId = await call('GET', `/schemas/ids/${registered.body.id}`);
    expect(byId.status).toBe(200);
    expect(JSON.parse(byId.body.schema as string)).toEqual(JSON.parse(readingSchema()));
  });
});
