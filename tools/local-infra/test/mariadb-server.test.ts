import { describe, expect, it } from '@jest/globals';
import mysql from 'mysql2/promise';
import { useMariaDbServer } from '../src/jest/index.js';

const mariadb = useMariaDbServer();

/** Runs `sql` with the given connection options: true, or the server's error code and message. */
async function attempt(options: mysql.ConnectionOptions, sql = 'SELECT 1'): Promise<true | string> {
  let connection: mysql.Connection | undefined;
  try {
    connection = await mysql.createConnection(options);
    await connection.query(sql);
    return true;
  } catch (error) {
    return `${(error as { code?: string }).code} ${(error as Error).message}`;
  } finally {
    await connection?.end().catch(() => undefined);
  }
}

describe('MariaDbServer (real MariaDB, the MySQL stand-in)', () => {
  it("accepts the applications' generated credentials and runs SQL in its database", async () => {
    const connection = await mysql.createConnection(mariadb().connectionConfig());
    try {
      await connection.query('CREATE TABLE readings (device_id VARCHAR(64), value INT)');
      await connection.execute('INSERT INTO readings VALUES (?, ?)', ['d1', 72]);
      const [rows] = await connection.query('SELECT device_id, value FROM readings');
      expect(rows).toEqual([{ device_id: 'd1', value: 72 }]);
    } finally {
      await connection.end();
    }
  });

  it('connects with the mysql:// URL the db secret carries', async () => {
    const connection = await mysql.createConnection(mariadb().connectionUrl());
    try {
      const [rows] = await connection.query('SELECT DATABASE() AS db, CURRENT_USER() AS user');
      expect(rows).toEqual([{ db: 'rtp', user: `${mariadb().application.user}@%` }]);
    } finally {
      await connection.end();
    }
  });

  it('refuses a wrong password and a login without one (ER_ACCESS_DENIED_ERROR)', async () => {
    expect(await attempt({ ...mariadb().connectionConfig(), password: 'wrong' })).toMatch(
      /^ER_ACCESS_DENIED_ERROR Access denied for user 'app_local'/,
    );
    expect(await attempt({ ...mariadb().connectionConfig(), password: undefined })).toMatch(
      /^ER_ACCESS_DENIED_ERROR .*\(using password: NO\)/,
    );
    // root exists for the server's own socket only (unix_socket): not over TCP, with no password.
    expect(await attempt({ ...mariadb().connectionConfig(), user: 'root', password: '' })).toMatch(
      /^ER_ACCESS_DENIED_ERROR/,
    );
  });

  it("gives applications their database and nothing more (the server's access errors)", async () => {
    const app = mariadb().connectionConfig();
    expect(await attempt(app, 'CREATE TABLE own (id INT)')).toBe(true);
    expect(await attempt(app, 'CREATE DATABASE other')).toMatch(/^ER_DBACCESS_DENIED_ERROR/);
    expect(await attempt(app, 'SELECT user FROM mysql.user')).toMatch(
      /^ER_TABLEACCESS_DENIED_ERROR/,
    );
    expect(await attempt(app, "CREATE USER intruder IDENTIFIED BY 'x'")).toMatch(
      /^ER_SPECIFIC_ACCESS_DENIED_ERROR/,
    );
  });

  it('stop() then restart() brings the same data back on the same port, without the init file', async () => {
    await mariadb().query('CREATE TABLE rtp.outage (n INT)');
    await mariadb().query('INSERT INTO rtp.outage VALUES (1)');
    const port = mariadb().port;
    await mariadb().stop();
    await expect(mariadb().query('SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
    await mariadb().restart();
    expect(mariadb().port).toBe(port);
    expect(await mariadb().query('SELECT n FROM rtp.outage')).toEqual([{ n: 1 }]);
  });
});
