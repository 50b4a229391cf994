import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { usePostgresServer } from '../src/jest/index.js';

const postgres = usePostgresServer({ databases: ['hq', 'agent1'] });

describe('PostgresServer (real PostgreSQL)', () => {
  it('accepts the generated credentials and runs SQL', async () => {
    await postgres().query('CREATE TABLE readings (device_id text, value int)');
    await postgres().query('INSERT INTO readings VALUES ($1, $2)', ['d1', 72]);
    const { rows } = await postgres().query('SELECT device_id, value FROM readings');
    expect(rows).toEqual([{ device_id: 'd1', value: 72 }]);
  });

  it('creates the databases the suite asked for', async () => {
    const { rows } = await postgres().query<{ datname: string }>(
      'SELECT datname FROM pg_database ORDER BY datname',
    );
    expect(rows.map((row) => row.datname)).toEqual(expect.arrayContaining(['agent1', 'hq', 'rtp']));
  });

  it('refuses a wrong password (scram-sha-256 on TCP)', async () => {
    const client = new pg.Client({ ...postgres().connectionConfig(), password: 'wrong' });
    await expect(client.connect()).rejects.toThrow(/password authentication failed/);
  });

  it("gives applications a role of their own: their schemas in rtp, and nothing more (the server's 42501)", async () => {
    const { user, password } = postgres().application;
    expect(user).not.toBe(postgres().user);
    const as = async (sql: string, database = postgres().database): Promise<true | string> => {
      const client = new pg.Client({ ...postgres().connectionConfig(database), user, password });
      try {
        await client.connect();
        await client.query(sql);
        return true;
      } catch (error) {
        return `${(error as { code?: string }).code} ${(error as Error).message}`;
      } finally {
        await client.end().catch(() => undefined);
      }
    };
    expect(await as('CREATE SCHEMA app_schema')).toBe(true);
    expect(await as('CREATE TABLE app_schema.alerts (id int)')).toBe(true);
    expect(await as('INSERT INTO app_schema.alerts VALUES (1)')).toBe(true);
    expect(await as('CREATE ROLE intruder')).toMatch(/^42501 permission denied to create role/);
    expect(await as('CREATE DATABASE other')).toMatch(
      /^42501 permission denied to create database/,
    );
    expect(await as('DROP TABLE readings')).toMatch(/^42501 must be owner of table readings/);
    expect(await as('SELECT 1', 'hq')).toMatch(/^42501 permission denied for database "hq"/);
    expect(await as('SELECT 1', 'postgres')).toMatch(
      /^42501 permission denied for database "postgres"/,
    );
  });

  it('stop() then restart() brings the same cluster back on the same port, rows kept (an outage)', async () => {
    await postgres().query('CREATE TABLE outage (n int)');
    await postgres().query('INSERT INTO outage VALUES (1)');
    const port = postgres().port;
    await postgres().stop();
    await expect(postgres().query('SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
    await postgres().restart();
    expect(postgres().port).toBe(port);
    const { rows } = await postgres().query('SELECT n FROM outage');
    expect(rows).toEqual([{ n: 1 }]);
  });
});
