/**
 * The database is the judge of the rules' premises: a rule that says TABLE_REWRITE must flag exactly the
 * statements after which the table has a new relfilenode, and the ACCESS EXCLUSIVE table in src/lint/locks.ts must
 * match what pg_locks shows while the statement's transaction is open. Run on PGlite and on the server.
 */
import type { Node } from 'libpg-query';
import { describe, expect, it } from 'vitest';
import { parseSqlScript } from '../../src/db/split-sql.js';
import type { Db } from '../../src/db/types.js';
import { lintSql } from '../../src/lint/index.js';
import { accessExclusiveLocks } from '../../src/lint/locks.js';
import { backends, withFreshDb } from '../support/backends.js';

const SETUP = `
CREATE TABLE u (id int PRIMARY KEY);
INSERT INTO u SELECT g FROM generate_series(1, 20) g;
CREATE TABLE t (id int PRIMARY KEY, v varchar(20), txt text, n numeric(10,2), i int, c cidr, ts timestamp);
INSERT INTO t SELECT g, 'v' || g, 't' || g, g / 3.0, g, '10.0.0.0/8', '2026-01-01'::timestamp + g * interval '1 hour' FROM generate_series(1, 20) g;
CREATE INDEX t_i ON t (i);
ALTER TABLE t ADD CONSTRAINT t_i_positive CHECK (i > 0) NOT VALID;
CREATE MATERIALIZED VIEW mv AS SELECT id FROM t;
CREATE TABLE p (k int, x text) PARTITION BY RANGE (k);
CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
CREATE TABLE p2 (k int, x text);
CREATE VIEW tv AS SELECT id FROM t;
CREATE FUNCTION new_code() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;
CREATE FUNCTION fixed_code() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'x' $$;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();
CREATE POLICY t_own ON t USING (true);
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE DOMAIN anyint AS int;
INSERT INTO p SELECT g % 10, 'x' FROM generate_series(1, 20) g;
`;

/** Statements on the filled table `t`; whether each rewrites is for the database to say. */
const REWRITE_CASES = [
  'ALTER TABLE t ADD COLUMN a int DEFAULT 5',
  'ALTER TABLE t ADD COLUMN a text DEFAULT new_code()',
  'ALTER TABLE t ADD COLUMN a text DEFAULT fixed_code()',
  'ALTER TABLE t ADD COLUMN a posint',
  'ALTER TABLE t ADD COLUMN a anyint',
  'ALTER TABLE t ADD COLUMN a timestamptz DEFAULT now()',
  "ALTER TABLE t ADD COLUMN a text DEFAULT 'x' || now()::text",
  'ALTER TABLE t ADD COLUMN a float8 DEFAULT random()',
  'ALTER TABLE t ADD COLUMN a uuid DEFAULT gen_random_uuid()',
  'ALTER TABLE t ADD COLUMN a timestamptz DEFAULT clock_timestamp()',
  'ALTER TABLE t ADD COLUMN a bigserial',
  'ALTER TABLE t ADD COLUMN a bigint GENERATED ALWAYS AS IDENTITY',
  'ALTER TABLE t ADD COLUMN a int GENERATED ALWAYS AS (i * 2) STORED',
  'ALTER TABLE t ALTER COLUMN v TYPE varchar(30)',
  'ALTER TABLE t ALTER COLUMN v TYPE varchar(10)',
  'ALTER TABLE t ALTER COLUMN v TYPE text',
  'ALTER TABLE t ALTER COLUMN txt TYPE varchar(5)',
  'ALTER TABLE t ALTER COLUMN txt TYPE varchar',
  'ALTER TABLE t ALTER COLUMN n TYPE numeric(12,2)',
  'ALTER TABLE t ALTER COLUMN n TYPE numeric(12,1)',
  'ALTER TABLE t ALTER COLUMN n TYPE numeric',
  'ALTER TABLE t ALTER COLUMN i TYPE bigint',
  'ALTER TABLE t ALTER COLUMN i TYPE numeric',
  'ALTER TABLE t ALTER COLUMN c TYPE inet',
  "SET LOCAL TIME ZONE 'UTC'; ALTER TABLE t ALTER COLUMN ts TYPE timestamptz",
  "SET LOCAL TIME ZONE 'Asia/Tokyo'; ALTER TABLE t ALTER COLUMN ts TYPE timestamptz",
  'ALTER TABLE t ALTER COLUMN id SET NOT NULL',
  'ALTER TABLE t SET UNLOGGED',
  'VACUUM FULL t',
  'CLUSTER t USING t_pkey',
];

/** Statements whose lock on the setup's relations pg_locks reports. */
const LOCK_CASES = [
  'ALTER TABLE t ADD COLUMN x int',
  'ALTER TABLE t ALTER COLUMN v SET DEFAULT 0',
  'ALTER TABLE t ALTER COLUMN i SET NOT NULL',
  'ALTER TABLE t ADD CONSTRAINT t_c CHECK (i < 1000) NOT VALID',
  'ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (i) REFERENCES u (id) NOT VALID',
  'ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (i) REFERENCES u (id)',
  'ALTER TABLE t VALIDATE CONSTRAINT t_i_positive',
  'ALTER TABLE t ALTER COLUMN i SET STATISTICS 200',
  'ALTER TABLE t SET (fillfactor = 70)',
  'ALTER TABLE t CLUSTER ON t_pkey',
  'ALTER TABLE t DISABLE TRIGGER USER',
  'ALTER TABLE t ENABLE ROW LEVEL SECURITY',
  'ALTER TABLE t RENAME COLUMN v TO v2',
  'ALTER TABLE t RENAME TO t2',
  'CREATE INDEX t_v ON t (v)',
  'DROP INDEX t_i',
  'DROP TABLE u CASCADE',
  'TRUNCATE t',
  'LOCK TABLE t',
  'LOCK TABLE t IN SHARE ROW EXCLUSIVE MODE',
  'REINDEX INDEX t_i',
  'REFRESH MATERIALIZED VIEW mv',
  "COMMENT ON TABLE t IS 'x'",
  'ALTER TABLE p DETACH PARTITION p1',
  'CREATE OR REPLACE VIEW tv AS SELECT id, 1 AS one FROM t',
  'CREATE TABLE p3 PARTITION OF p FOR VALUES FROM (20) TO (30)',
  'CREATE POLICY t_other ON t USING (i > 0)',
  'ALTER POLICY t_own ON t USING (i > 1)',
  'DROP POLICY t_own ON t',
  'DROP TRIGGER t_touch ON t',
  'CREATE TRIGGER t_touch2 BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch()',
  'ALTER TABLE p ATTACH PARTITION p2 FOR VALUES FROM (10) TO (20)',
  'ALTER TABLE t SET LOGGED',
  'UPDATE t SET i = i + 1',
];

/**
 * [prelude, statement]: whether the statement reads the whole table to validate something is for the database to
 * say (pg_stat_get_xact_numscans counts the scans of the current transaction). The prelude runs first, unmeasured.
 */
const SCAN_CASES: readonly (readonly [string, string])[] = [
  ['', 'ALTER TABLE t ALTER COLUMN i SET NOT NULL'],
  [
    'ALTER TABLE t ADD CONSTRAINT i_nn CHECK (i IS NOT NULL) NOT VALID; ALTER TABLE t VALIDATE CONSTRAINT i_nn;',
    'ALTER TABLE t ALTER COLUMN i SET NOT NULL',
  ],
  ['', 'ALTER TABLE t ADD CONSTRAINT t_small CHECK (i < 1000)'],
  ['', 'ALTER TABLE t ADD CONSTRAINT t_small CHECK (i < 1000) NOT VALID'],
  ['', 'ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (i) REFERENCES u (id)'],
  ['', 'ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (i) REFERENCES u (id) NOT VALID'],
  ['', 'ALTER TABLE t ADD COLUMN x int CHECK (x > 0)'],
  ['', 'ALTER TABLE t ADD COLUMN x int REFERENCES u (id)'],
  ['', 'ALTER TABLE t ADD COLUMN x int DEFAULT 1 REFERENCES u (id)'],
  ['', 'ALTER TABLE t ADD COLUMN x int NOT NULL DEFAULT 1'],
  ['CREATE DOMAIN pint AS int; ALTER TABLE t ADD COLUMN d pint DEFAULT 1;', 'ALTER DOMAIN pint ADD CONSTRAINT gt0 CHECK (VALUE > 0)'],
  ['CREATE DOMAIN pint AS int; ALTER TABLE t ADD COLUMN d pint DEFAULT 1;', 'ALTER DOMAIN pint ADD CONSTRAINT gt0 CHECK (VALUE > 0) NOT VALID'],
];

const filenode = async (db: Db, rel: string): Promise<string> =>
  (await db.query<{ f: string }>(`SELECT pg_relation_filenode('${rel}')::text AS f`))[0]!.f;

/** Whether an error-level TABLE_REWRITE rule flags `sql`, knowing the setup's column types, run as the test runs it. */
const lintSaysRewrite = async (sql: string, inTransaction: boolean): Promise<boolean> =>
  (await lintSql(`${sql};`, 'case.sql', { context: SETUP, appliedByKeikaku: true, assumeInTransaction: inTransaction })).some(
    (f) => f.hazard === 'TABLE_REWRITE' && f.severity === 'error',
  );

const runsOutsideTransaction = (sql: string) => /^(VACUUM|CLUSTER)/.test(sql);

const all = await backends();

describe.each(all)('lint premises on $title', (backend) => {
  it('a TABLE_REWRITE finding ⇔ the table gets a new relfilenode', () =>
    withFreshDb(backend, async (db) => {
      await db.exec(SETUP);
      const verdicts: { sql: string; lint: boolean; db: boolean }[] = [];
      for (const sql of REWRITE_CASES) {
        const outside = runsOutsideTransaction(sql);
        if (!outside) await db.exec('BEGIN');
        const before = await filenode(db, 't');
        await db.exec(sql);
        const after = await filenode(db, 't');
        if (!outside) await db.exec('ROLLBACK');
        verdicts.push({ sql, lint: await lintSaysRewrite(sql, !outside), db: before !== after });
      }
      // Both answers occur, so the comparison can fail either way.
      expect(verdicts.filter((v) => v.db).length).toBeGreaterThan(5);
      expect(verdicts.filter((v) => !v.db).length).toBeGreaterThan(5);
      expect(verdicts.filter((v) => v.lint !== v.db)).toEqual([]);
    }));

  it('a VALIDATION_SCAN finding ⇔ the statement scans the table', () =>
    withFreshDb(backend, async (db) => {
      await db.exec(SETUP);
      const verdicts: { sql: string; lint: boolean; db: boolean }[] = [];
      for (const [prelude, sql] of SCAN_CASES) {
        await db.exec('BEGIN');
        if (prelude) await db.exec(prelude);
        const scans = async () => (await db.query<{ n: number }>(`SELECT pg_stat_get_xact_numscans('t'::regclass)::int AS n`))[0]!.n;
        const before = await scans();
        await db.exec(sql);
        const after = await scans();
        await db.exec('ROLLBACK');
        const findings = await lintSql(`${prelude}\n${sql};`, 'case.sql', { context: SETUP, appliedByKeikaku: true });
        const lint = findings.some((f) => f.line === 2 && f.hazard === 'VALIDATION_SCAN');
        verdicts.push({ sql: `${prelude} ${sql}`, lint, db: after > before });
      }
      expect(verdicts.filter((v) => v.db).length).toBeGreaterThanOrEqual(4);
      expect(verdicts.filter((v) => !v.db).length).toBeGreaterThanOrEqual(4);
      expect(verdicts.filter((v) => v.lint !== v.db)).toEqual([]);
    }));

  it('src/lint/locks.ts says ACCESS EXCLUSIVE ⇔ pg_locks shows one on a relation that existed before', () =>
    withFreshDb(backend, async (db) => {
      await db.exec(SETUP);
      const verdicts: { sql: string; lint: boolean; db: boolean }[] = [];
      for (const sql of LOCK_CASES) {
        const oids = (await db.query<{ oid: number }>(`SELECT oid::int AS oid FROM pg_class WHERE relnamespace = 'public'::regnamespace`)).map((r) => r.oid);
        await db.exec('BEGIN');
        await db.exec(sql);
        const [row] = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks WHERE pid = pg_backend_pid() AND mode = 'AccessExclusiveLock'
             AND locktype = 'relation' AND relation::int = ANY($1::int[])`,
          [oids],
        );
        await db.exec('ROLLBACK');
        const [statement] = (await parseSqlScript(sql, 'case.sql')).statements;
        verdicts.push({ sql, lint: accessExclusiveLocks(statement!.node as Node).length > 0, db: row!.n > 0 });
      }
      expect(verdicts.filter((v) => v.db).length).toBeGreaterThan(5);
      expect(verdicts.filter((v) => !v.db).length).toBeGreaterThan(5);
      expect(verdicts.filter((v) => v.lint !== v.db)).toEqual([]);
    }));

  it('a BLOCKS_WRITES finding ⇔ a lock that conflicts with writers (RowExclusiveLock) is held on the table', () =>
    withFreshDb(backend, async (db) => {
      await db.exec(SETUP);
      const cases = [
        'CREATE INDEX t_v ON t (v)',
        'CREATE UNIQUE INDEX t_v ON t (v)',
        'REINDEX INDEX t_i',
        'REINDEX TABLE t',
        'ALTER TABLE t VALIDATE CONSTRAINT t_i_positive',
        "COMMENT ON TABLE t IS 'x'",
        'ANALYZE t',
        'CREATE INDEX t_v_partial ON t (v) WHERE i > 100',
      ];
      const verdicts: { sql: string; lint: boolean; db: boolean }[] = [];
      for (const sql of cases) {
        await db.exec('BEGIN');
        await db.exec(sql);
        const [row] = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks WHERE pid = pg_backend_pid() AND relation = 't'::regclass
             AND mode IN ('ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock')`,
        );
        await db.exec('ROLLBACK');
        const findings = await lintSql(`${sql};`, 'case.sql', { context: SETUP, appliedByKeikaku: true });
        verdicts.push({ sql, lint: findings.some((f) => f.hazard === 'BLOCKS_WRITES'), db: row!.n > 0 });
      }
      expect(verdicts.filter((v) => v.db).length).toBeGreaterThanOrEqual(4);
      expect(verdicts.filter((v) => !v.db).length).toBeGreaterThanOrEqual(3);
      expect(verdicts.filter((v) => v.lint !== v.db)).toEqual([]);
    }));

  it('what the transaction rules predict, PostgreSQL refuses', () =>
    withFreshDb(backend, async (db) => {
      await db.exec(`${SETUP}\nCREATE TYPE s AS ENUM ('a');\nALTER TABLE t ADD COLUMN st s;`);
      const enumScript = "BEGIN;\nALTER TYPE s ADD VALUE 'b';\nUPDATE t SET st = 'b' WHERE id = 1;\nCOMMIT;";
      expect((await lintSql(enumScript, 'e.sql', { appliedByKeikaku: true })).map((f) => f.rule)).toEqual(['enum-value-same-transaction']);
      await db.exec('BEGIN');
      await db.exec("ALTER TYPE s ADD VALUE 'b'");
      await expect(db.exec("UPDATE t SET st = 'b' WHERE id = 1")).rejects.toMatchObject({ code: '55P04' });
      await db.exec('ROLLBACK');

      const concurrently = 'BEGIN;\nCREATE INDEX CONCURRENTLY t_v ON t (v);\nCOMMIT;';
      expect((await lintSql(concurrently, 'c.sql', { appliedByKeikaku: true })).map((f) => f.rule)).toEqual(['concurrently-in-transaction']);
      await db.exec('BEGIN');
      await expect(db.exec('CREATE INDEX CONCURRENTLY t_v ON t (v)')).rejects.toMatchObject({ code: '25001' });
      await db.exec('ROLLBACK');

      const required = 'ALTER TABLE t ADD COLUMN must text NOT NULL;';
      expect((await lintSql(required, 'r.sql', { appliedByKeikaku: true })).map((f) => f.rule)).toEqual(['add-column-required']);
      await expect(db.exec(required)).rejects.toMatchObject({ code: '23502' });
    }));
});
