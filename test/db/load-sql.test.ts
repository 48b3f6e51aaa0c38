import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/db/errors.js';
import { loadSql, loadSqlFile } from '../../src/db/load-sql.js';
import { SqlFileError } from '../../src/db/sql-file-error.js';
import type { Db } from '../../src/db/types.js';
import { backends, withFreshDb } from '../support/backends.js';
import { snapshot } from '../support/snapshot.js';

const all = await backends();

const failureOf = async (promise: Promise<unknown>): Promise<SqlFileError> => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SqlFileError);
    return error as SqlFileError;
  }
  throw new Error('expected loadSql to fail');
};

const tables = async (db: Db): Promise<string[]> =>
  (await db.query<{ name: string }>(`SELECT relname AS name FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 1`)).map(
    (r) => r.name,
  );

describe.each(all)('loadSql on $title', (backend) => {
  it('names file, line, message, detail and statement; earlier statements stay committed, as with psql', () =>
    withFreshDb(backend, async (db) => {
      const sql = [
        '-- Schéma de test: «données» 😀', // 1
        'CREATE TABLE "café" (', // 2
        '  id int PRIMARY KEY,', // 3
        '  nom text NOT NULL -- é', // 4
        ');', // 5
        "COMMENT ON TABLE \"café\" IS 'Ünïcödé 😀😀';", // 6
        '', // 7
        'INSERT INTO "café" (id, nom)', // 8
        "VALUES (1, 'x'),", // 9
        "       (1, 'ÿ');", // 10
        'CREATE TABLE never (a int);', // 11
      ].join('\n');
      const error = await failureOf(loadSql(db, sql, 'schema.sql'));
      expect(error.exitCode).toBe(1);
      expect(error.message).toBe(
        [
          'schema.sql:8: ERROR: duplicate key value violates unique constraint "café_pkey"',
          'DETAIL: Key (id)=(1) already exists.',
          "STATEMENT: INSERT INTO \"café\" (id, nom) VALUES (1, 'x'), (1, 'ÿ')",
        ].join('\n'),
      );
      expect(error.failure).toMatchObject({ file: 'schema.sql', line: 8, sqlState: '23505' });
      expect(await tables(db)).toEqual(['café']);
      expect(await db.query(`SELECT count(*)::int AS n FROM "café"`)).toEqual([{ n: 0 }]);
      expect(await db.query(`SELECT obj_description('"café"'::regclass) AS c`)).toEqual([{ c: 'Ünïcödé 😀😀' }]);
    }));

  it('points at the line Postgres points at inside a multi-line statement', () =>
    withFreshDb(backend, async (db) => {
      const sql = [
        'CREATE TABLE t (a int); -- «ok»', // 1
        'CREATE VIEW v AS', // 2
        "  SELECT a, -- '😀 ö'", // 3
        '         ünknown', // 4
        '  FROM t;', // 5
      ].join('\n');
      const error = await failureOf(loadSql(db, sql, 'views.sql'));
      expect(error.message).toBe(
        ['views.sql:4: ERROR: column "ünknown" does not exist', "STATEMENT: CREATE VIEW v AS SELECT a, -- '😀 ö' ünknown FROM t"].join(
          '\n',
        ),
      );
      expect(error.failure.line).toBe(4);
    }));

  it('reports a syntax error with file and line, and runs nothing of a script that does not parse', () =>
    withFreshDb(backend, async (db) => {
      const sql = 'CREATE TABLE ok (a int);\n-- ça va 😀\nCREATE TABLE broken (a int,, b int);';
      const error = await failureOf(loadSql(db, sql, 'broken.sql'));
      expect(error.message).toBe(
        'broken.sql:3: ERROR: syntax error at or near ","\nSTATEMENT: CREATE TABLE broken (a int,, b int)',
      );
      expect(await snapshot(db)).toEqual([]);
    }));

  it('cuts a long statement to its first 200 characters', () =>
    withFreshDb(backend, async (db) => {
      const columns = Array.from({ length: 40 }, (_, i) => `column_${String(i).padStart(2, '0')} int`).join(',\n  ');
      const sql = `CREATE TABLE wide (\n  ${columns},\n  bad no_such_type\n);`;
      const error = await failureOf(loadSql(db, sql, 'wide.sql'));
      const flat = `CREATE TABLE wide ( ${Array.from({ length: 40 }, (_, i) => `column_${String(i).padStart(2, '0')} int`).join(', ')}`;
      expect(error.message).toBe(
        `wide.sql:42: ERROR: type "no_such_type" does not exist\nSTATEMENT: ${flat.slice(0, 200)}…`,
      );
    }));

  it('runs what cannot share a transaction: CREATE INDEX CONCURRENTLY, a new enum value used next', () =>
    withFreshDb(backend, async (db) => {
      await loadSql(
        db,
        `CREATE TYPE mood AS ENUM ('sad');
         CREATE TABLE p (id int, m mood);
         CREATE INDEX CONCURRENTLY p_id ON p (id);
         ALTER TYPE mood ADD VALUE 'happy';
         INSERT INTO p VALUES (1, 'happy');
         VACUUM p;`,
        'enum.sql',
      );
      expect(await db.query('SELECT id, m::text FROM p')).toEqual([{ id: 1, m: 'happy' }]);
      expect(await db.query(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'p_id'::regclass`)).toEqual([
        { valid: true },
      ]);
    }));

  it('keeps the script’s own transactions, and rolls back the one a failure leaves open', () =>
    withFreshDb(backend, async (db) => {
      const sql = [
        'BEGIN;', // 1
        'CREATE TABLE a1 (x int);', // 2
        'CREATE TABLE a2 (x int);', // 3
        'COMMIT;', // 4
        'BEGIN;', // 5
        'CREATE TABLE b1 (x int);', // 6
        'INSERT INTO nowhere VALUES (1);', // 7
        'COMMIT;', // 8
      ].join('\n');
      const error = await failureOf(loadSql(db, sql, 'tx.sql'));
      expect(error.message).toBe(
        'tx.sql:7: ERROR: relation "nowhere" does not exist\nSTATEMENT: INSERT INTO nowhere VALUES (1)',
      );
      expect(await tables(db)).toEqual(['a1', 'a2']);
    }));

  it('skips psql meta-commands, keeps backslashes in strings', () =>
    withFreshDb(backend, async (db) => {
      const sql = [
        '\\set ON_ERROR_STOP on',
        "CREATE TABLE m (a text DEFAULT 'x",
        "\\not_meta');",
        '  \\echo done',
        'INSERT INTO m DEFAULT VALUES;',
      ].join('\n');
      await loadSql(db, sql, 'meta.sql');
      expect(await db.query('SELECT a FROM m')).toEqual([{ a: 'x\n\\not_meta' }]);
    }));

  it('loads many statements and an empty script', () =>
    withFreshDb(backend, async (db) => {
      const many = Array.from({ length: 450 }, (_, i) => `CREATE TABLE t${i} (id int PRIMARY KEY);`).join('\n');
      await loadSql(db, `${many}\nINSERT INTO t449 VALUES (1);`, 'many.sql');
      expect((await tables(db)).length).toBe(450);
      await loadSql(db, '-- nothing here\n', 'empty.sql');
      const error = await failureOf(loadSql(db, `${many.replace('t300 ', 't300x ')}`, 'again.sql'));
      // t0 … t299 exist already: the first statement fails, nothing after it runs.
      expect(error.message).toBe('again.sql:1: ERROR: relation "t0" already exists\nSTATEMENT: CREATE TABLE t0 (id int PRIMARY KEY)');
      expect((await tables(db)).length).toBe(450);
    }));
});

describe('loadSqlFile', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('runs a file and names it as given in errors', () =>
    withFreshDb(all[0]!, async (db) => {
      const dir = await mkdtemp(path.join(tmpdir(), 'keikaku-load-'));
      dirs.push(dir);
      const file = path.join(dir, 'schema.sql');
      await writeFile(file, 'CREATE TABLE f (a int);\n\nSELECT * FROM missing;\n');
      const error = await failureOf(loadSqlFile(db, file));
      expect(error.message).toBe(
        `${file}:3: ERROR: relation "missing" does not exist\nSTATEMENT: SELECT * FROM missing`,
      );
      expect(await tables(db)).toEqual(['f']);
    }));

  it('reports a missing file', async () => {
    const error = await loadSqlFile({} as Db, '/nonexistent/keikaku.sql').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe('cannot read /nonexistent/keikaku.sql: no such file');
  });
});
