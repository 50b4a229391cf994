import { describe, expect, it } from '@jest/globals';
import { MongoClient, MongoServerError } from 'mongodb';
import { useFerretDbServer } from '../src/jest/index.js';

const ferretdb = useFerretDbServer();

/** Runs `ping` on the database of `url`: true, or the error's code name (or message). */
async function attempt(url: string): Promise<true | string> {
  const client = new MongoClient(url, ferretdb().clientOptions());
  try {
    await client.connect();
    await client.db().command({ listCollections: 1 });
    return true;
  } catch (error) {
    return error instanceof MongoServerError
      ? `${error.code} ${error.codeName ?? ''} ${error.message}`
      : (error as Error).message;
  } finally {
    await client.close();
  }
}

describe('FerretDbServer (real MongoDB wire protocol, FerretDB on SQLite)', () => {
  it("authenticates the applications' user with SCRAM-SHA-256 and stores documents", async () => {
    const client = new MongoClient(ferretdb().connectionUrl(), {
      ...ferretdb().clientOptions(),
      authMechanism: 'SCRAM-SHA-256',
    });
    try {
      await client.connect();
      const readings = client.db().collection<{ deviceId: string; value: number }>('readings');
      await readings.insertOne({ deviceId: 'd1', value: 72 });
      const found = await readings.find({}, { projection: { _id: 0 } }).toArray();
      expect(found).toEqual([{ deviceId: 'd1', value: 72 }]);
      const status = await client.db().command({ connectionStatus: 1 });
      expect(status.authInfo.authenticatedUsers).toEqual([
        { user: ferretdb().application.user, db: 'rtp' },
      ]);
    } finally {
      await client.close();
    }
  });

  it('refuses a wrong password (AuthenticationFailed)', async () => {
    const url = ferretdb()
      .connectionUrl()
      .replace(encodeURIComponent(ferretdb().application.password), 'wrong');
    expect(await attempt(url)).toMatch(/^18 AuthenticationFailed/);
  });

  it('refuses every command of a client without credentials (Unauthorized)', async () => {
    expect(await attempt(`mongodb://${ferretdb().host}:${ferretdb().port}/rtp`)).toMatch(
      /^13 Unauthorized .*requires authentication/,
    );
  });

  it('stop() then restart() keeps the users and the documents on the same port', async () => {
    const write = new MongoClient(ferretdb().connectionUrl(), ferretdb().clientOptions());
    await write.connect();
    await write.db().collection('outage').insertOne({ n: 1 });
    await write.close();
    const port = ferretdb().port;
    await ferretdb().stop();
    await ferretdb().restart();
    expect(ferretdb().port).toBe(port);
    const read = new MongoClient(ferretdb().connectionUrl(), ferretdb().clientOptions());
    try {
      await read.connect();
      const found = await read
        .db()
        .collection('outage')
        .find({}, { projection: { _id: 0 } })
        .toArray();
      expect(found).toEqual([{ n: 1 }]);
    } finally {
      await read.close();
    }
  });
});
