/**
 * Small `Db` adapters for these tests (the real ones live in `src/db/`), a counting wrapper, and scratch
 * databases on the local server.
 */
import { PGlite, type Extensions } from '@electric-sql/pglite';
import pg from 'pg';
import type { Db } from '../../src/db/types.js';

/** The server the other tests use (test/support/backends.ts): PGHOST / PGPORT / PGUSER, default 127.0.0.1:5432 as postgres. */
export const serverConfig = {
  host: process.env.PGHOST || '127.0.0.1',
  port: Number(process.env.PGPORT || 5432),
  user: process.env.PGUSER || 'postgres',
} as const;

/** One client runs one statement at a time, so statements wait their turn here instead of inside `pg`. */
export const pgDb = (client: pg.Client, label: string): Db => {
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(run: () => Promise<T>): Promise<T> => {
    const next = tail.then(run, run);
    tail = next.catch(() => undefined);
    return next;
  };
  return {
    label,
    query: <R>(sql: string, params?: readonly unknown[]) =>
      serial(async () => (await client.query(sql, params ? [...params] : undefined)).rows as R[]),
    exec: (sql: string) =>
      serial(async () => {
        await client.query(sql);
      }),
    close: () => client.end(),
  };
};

export const pgliteDb = (db: PGlite): Db => ({
  label: 'pglite',
  query: async <R>(sql: string, params?: readonly unknown[]) =>
    (await db.query<R>(sql, params ? [...params] : undefined)).rows,
  exec: async (sql: string) => {
    await db.exec(sql);
  },
  close: () => db.close(),
});

export const startPglite = async (extensions: Extensions = {}): Promise<PGlite> => {
  const db = new PGlite({ extensions });
  await db.waitReady;
  return db;
};

/** A `Db` that counts the statements run through it. */
export const counting = (db: Db): Db & { readonly count: () => number } => {
  let n = 0;
  return {
    label: db.label,
    query: <R>(sql: string, params?: readonly unknown[]) => {
      n++;
      return db.query<R>(sql, params);
    },
    exec: (sql: string) => {
      n++;
      return db.exec(sql);
    },
    close: () => db.close(),
    count: () => n,
  };
};

export const serverReachable = async (): Promise<boolean> => {
  const c = new pg.Client({ ...serverConfig, database: 'postgres', connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
};

/** A fresh database on the server; `drop` removes it (always call it). */
export const scratchDatabase = async (prefix: string): Promise<{ db: Db; drop: () => Promise<void> }> => {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ ...serverConfig, database: 'postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const client = new pg.Client({ ...serverConfig, database: name });
  await client.connect();
  return {
    db: pgDb(client, `server/${name}`),
    drop: async () => {
      await client.end().catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    },
  };
};
