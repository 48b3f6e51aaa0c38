/**
 * The database is the judge of the lock level the plan gives each step (src/plan/hazards.ts): every step of a
 * plan between two schemas runs in a transaction on the current database, and the strongest lock it then holds
 * on a relation that existed before it (pg_locks, this backend's locks) must be the level the plan states. The
 * cases produce every change kind (the test fails when one is missing), on PGlite and on the server.
 */
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/types.js';
import type { ChangeKind } from '../../src/model/change.js';
import type { LockLevel, Step } from '../../src/model/plan.js';
import type { Schema } from '../../src/model/schema.js';
import { RISKS } from '../../src/plan/hazards.js';
import { backends, withFreshDb } from '../support/backends.js';
import { migration } from '../support/migrate.js';
import { readSchema } from '../../src/load/source.js';

const BASE = `
CREATE SCHEMA s;
CREATE TYPE mood AS ENUM ('a', 'b');
CREATE DOMAIN posint AS int CHECK (VALUE > 0);
CREATE TYPE pair AS (x int, y int);
CREATE SEQUENCE seq1;
CREATE TABLE u (id int PRIMARY KEY, code text);
CREATE TABLE t (id int PRIMARY KEY, v text, i int, m mood, u_id int, w int);
INSERT INTO u SELECT g, 'c' || g FROM generate_series(1, 20) g;
INSERT INTO t SELECT g, 'v' || g, g, 'a', g, g FROM generate_series(1, 20) g;
CREATE INDEX t_i ON t (i);
ALTER TABLE t ADD CONSTRAINT t_i_pos CHECK (i > 0);
CREATE VIEW tv AS SELECT id, v FROM t;
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();
CREATE POLICY t_own ON t USING (true);
`;

interface Case {
  readonly name: string;
  /** Added to BASE for the current side. */
  readonly current?: string;
  /** Added to BASE for the desired side. */
  readonly desired?: string;
  readonly renames?: readonly string[];
}

const CASES: readonly Case[] = [
  { name: 'create schema', desired: 'CREATE SCHEMA s2' },
  { name: 'drop schema', current: 'CREATE SCHEMA s2' },
  { name: 'comment on schema', desired: "COMMENT ON SCHEMA s IS 'x'" },
  { name: 'create extension', desired: 'CREATE EXTENSION citext' },
  { name: 'drop extension', current: 'CREATE EXTENSION citext' },
  { name: 'extension to another schema', current: 'CREATE EXTENSION citext', desired: 'CREATE EXTENSION citext SCHEMA s' },
  { name: 'create enum', desired: "CREATE TYPE color AS ENUM ('r')" },
  { name: 'drop enum', current: "CREATE TYPE color AS ENUM ('r')" },
  { name: 'rename enum', current: "CREATE TYPE color AS ENUM ('r')", desired: "CREATE TYPE colour AS ENUM ('r')", renames: ['public.color=colour'] },
  { name: 'add an enum value', desired: "ALTER TYPE mood ADD VALUE 'c'" },
  { name: 'remove an enum value used by a column', current: "ALTER TYPE mood ADD VALUE 'c'" },
  {
    name: 'check added to a domain in use',
    current: 'ALTER TABLE t ADD COLUMN d posint',
    desired: 'ALTER TABLE t ADD COLUMN d posint; ALTER DOMAIN posint ADD CONSTRAINT small CHECK (VALUE < 1000)',
  },
  { name: 'domain default', desired: 'ALTER DOMAIN posint SET DEFAULT 1' },
  { name: 'composite attribute added', desired: 'ALTER TYPE pair ADD ATTRIBUTE z int' },
  { name: 'drop composite', current: 'CREATE TYPE pair2 AS (x int)' },
  { name: 'rename composite', current: 'CREATE TYPE pair2 AS (x int)', desired: 'CREATE TYPE pair3 AS (x int)', renames: ['public.pair2=pair3'] },
  { name: 'create sequence', desired: 'CREATE SEQUENCE seq2' },
  { name: 'drop sequence', current: 'CREATE SEQUENCE seq2' },
  { name: 'rename sequence', current: 'CREATE SEQUENCE seq2', desired: 'CREATE SEQUENCE seq3', renames: ['public.seq2=seq3'] },
  { name: 'alter sequence', desired: 'ALTER SEQUENCE seq1 INCREMENT BY 5' },
  { name: 'sequence owned by a column', desired: 'ALTER SEQUENCE seq1 OWNED BY t.w' },
  { name: 'create table', desired: 'CREATE TABLE n (id int PRIMARY KEY)' },
  { name: 'create table with a foreign key', desired: 'CREATE TABLE n (id int PRIMARY KEY, u_id int REFERENCES u (id))' },
  { name: 'create partition', current: 'CREATE TABLE p (k int) PARTITION BY RANGE (k)', desired: 'CREATE TABLE p (k int) PARTITION BY RANGE (k); CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10)' },
  { name: 'create inheriting table', current: 'CREATE TABLE par (a int)', desired: 'CREATE TABLE par (a int); CREATE TABLE ch (b int) INHERITS (par)' },
  { name: 'drop table', current: 'CREATE TABLE n (id int PRIMARY KEY)' },
  { name: 'rename table', current: 'CREATE TABLE n (id int PRIMARY KEY)', desired: 'CREATE TABLE n2 (id int PRIMARY KEY)', renames: ['public.n=n2'] },
  { name: 'comment on table', desired: "COMMENT ON TABLE t IS 'x'" },
  { name: 'grant on table', desired: 'GRANT SELECT ON t TO PUBLIC' },
  { name: 'row level security', desired: 'ALTER TABLE t ENABLE ROW LEVEL SECURITY' },
  { name: 'table options', desired: 'ALTER TABLE t SET (fillfactor = 70)' },
  { name: 'unlogged', current: 'CREATE TABLE n (id int PRIMARY KEY)', desired: 'CREATE UNLOGGED TABLE n (id int PRIMARY KEY)' },
  { name: 'add column', desired: 'ALTER TABLE t ADD COLUMN x int' },
  { name: 'add column with a default', desired: 'ALTER TABLE t ADD COLUMN x int NOT NULL DEFAULT 0' },
  { name: 'add column referencing a table', desired: 'ALTER TABLE t ADD COLUMN x int REFERENCES u (id)' },
  { name: 'drop column', current: 'ALTER TABLE t ADD COLUMN x int' },
  { name: 'rename column', current: 'ALTER TABLE t ADD COLUMN x int', desired: 'ALTER TABLE t ADD COLUMN y int', renames: ['public.t.x=y'] },
  { name: 'column type', desired: 'ALTER TABLE t ALTER COLUMN w TYPE bigint' },
  { name: 'column default', desired: 'ALTER TABLE t ALTER COLUMN w SET DEFAULT 1' },
  { name: 'column not null', desired: 'ALTER TABLE t ALTER COLUMN w SET NOT NULL' },
  { name: 'column comment', desired: "COMMENT ON COLUMN t.w IS 'x'" },
  { name: 'add check', desired: 'ALTER TABLE t ADD CONSTRAINT t_w_pos CHECK (w > 0)' },
  { name: 'add foreign key', desired: 'ALTER TABLE t ADD CONSTRAINT t_u FOREIGN KEY (u_id) REFERENCES u (id)' },
  { name: 'add unique', desired: 'ALTER TABLE t ADD CONSTRAINT t_w_key UNIQUE (w)' },
  {
    name: 'add exclusion constraint',
    current: 'ALTER TABLE t ADD COLUMN r int4range',
    desired: 'ALTER TABLE t ADD COLUMN r int4range; ALTER TABLE t ADD CONSTRAINT t_r_excl EXCLUDE USING gist (r WITH &&)',
  },
  { name: 'drop check', current: 'ALTER TABLE t ADD CONSTRAINT t_w_pos CHECK (w > 0)' },
  { name: 'drop foreign key', current: 'ALTER TABLE t ADD CONSTRAINT t_u FOREIGN KEY (u_id) REFERENCES u (id)' },
  {
    name: 'rename constraint',
    current: 'ALTER TABLE t ADD CONSTRAINT t_w_pos CHECK (w > 0)',
    desired: 'ALTER TABLE t ADD CONSTRAINT t_w_positive CHECK (w > 0)',
    renames: ['public.t.t_w_pos=t_w_positive'],
  },
  { name: 'validate a check', current: 'ALTER TABLE t ADD CONSTRAINT t_w_pos CHECK (w > 0) NOT VALID', desired: 'ALTER TABLE t ADD CONSTRAINT t_w_pos CHECK (w > 0)' },
  {
    name: 'validate a foreign key',
    current: 'ALTER TABLE t ADD CONSTRAINT t_u FOREIGN KEY (u_id) REFERENCES u (id) NOT VALID',
    desired: 'ALTER TABLE t ADD CONSTRAINT t_u FOREIGN KEY (u_id) REFERENCES u (id)',
  },
  { name: 'comment on constraint', desired: "COMMENT ON CONSTRAINT t_i_pos ON t IS 'x'" },
  { name: 'create index', desired: 'CREATE INDEX t_w ON t (w)' },
  { name: 'drop index', current: 'CREATE INDEX t_w ON t (w)' },
  { name: 'rename index', current: 'CREATE INDEX t_w ON t (w)', desired: 'CREATE INDEX t_w2 ON t (w)', renames: ['public.t_w=t_w2'] },
  { name: 'comment on index', desired: "COMMENT ON INDEX t_i IS 'x'" },
  { name: 'create view', desired: 'CREATE VIEW tv2 AS SELECT id FROM t' },
  { name: 'drop view', current: 'CREATE VIEW tv2 AS SELECT id FROM t' },
  { name: 'rename view', current: 'CREATE VIEW tv2 AS SELECT id FROM t', desired: 'CREATE VIEW tv3 AS SELECT id FROM t', renames: ['public.tv2=tv3'] },
  { name: 'comment on view', desired: "COMMENT ON VIEW tv IS 'x'" },
  { name: 'view option', desired: 'ALTER VIEW tv SET (security_barrier = true)' },
  { name: 'create function', desired: "CREATE FUNCTION g() RETURNS int LANGUAGE sql AS 'SELECT 2'" },
  { name: 'drop function', current: "CREATE FUNCTION g() RETURNS int LANGUAGE sql AS 'SELECT 2'" },
  { name: 'replace function', current: "CREATE FUNCTION g() RETURNS int LANGUAGE sql AS 'SELECT 2'", desired: "CREATE FUNCTION g() RETURNS int LANGUAGE sql AS 'SELECT 3'" },
  { name: 'comment on function', desired: "COMMENT ON FUNCTION f() IS 'x'" },
  { name: 'create trigger', desired: 'CREATE TRIGGER t_touch2 BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch()' },
  { name: 'drop trigger', current: 'CREATE TRIGGER t_touch2 BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION touch()' },
  { name: 'disable trigger', desired: 'ALTER TABLE t DISABLE TRIGGER t_touch' },
  { name: 'comment on trigger', desired: "COMMENT ON TRIGGER t_touch ON t IS 'x'" },
  { name: 'create policy', desired: 'CREATE POLICY t_other ON t USING (i > 0)' },
  { name: 'drop policy', current: 'CREATE POLICY t_other ON t USING (i > 0)' },
  { name: 'comment on policy', desired: "COMMENT ON POLICY t_own ON t IS 'x'" },
];

const LEVELS: readonly LockLevel[] = ['none', 'share_update_exclusive', 'share', 'share_row_exclusive', 'access_exclusive'];

/** pg_locks modes as the plan's levels: the three that let reads and writes run on are `none` to a migration. */
const LEVEL_OF_MODE: Readonly<Record<string, LockLevel>> = {
  AccessShareLock: 'none',
  RowShareLock: 'none',
  RowExclusiveLock: 'none',
  ShareUpdateExclusiveLock: 'share_update_exclusive',
  ShareLock: 'share',
  ShareRowExclusiveLock: 'share_row_exclusive',
  AccessExclusiveLock: 'access_exclusive',
};

const USER_RELATIONS = `SELECT c.oid::int8::text AS oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg\\_%temp\\_%'`;
const HELD = `SELECT l.relation::int8::text AS oid, l.mode FROM pg_locks l
  WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted`;

/** Runs the step in a transaction (committed, so the next step finds what it needs) and reads its strongest lock. */
const measure = async (db: Db, step: Step): Promise<LockLevel> => {
  const before = new Set((await db.query<{ oid: string }>(USER_RELATIONS)).map((r) => r.oid));
  await db.exec('BEGIN');
  try {
    await db.exec(step.sql.join('\n'));
    const held = await db.query<{ oid: string; mode: string }>(HELD);
    let level = 0;
    for (const h of held) {
      if (!before.has(h.oid)) continue;
      const l = LEVEL_OF_MODE[h.mode];
      if (l === undefined) throw new Error(`${h.mode}: a lock mode the plan has no level for`);
      level = Math.max(level, LEVELS.indexOf(l));
    }
    await db.exec('COMMIT');
    return LEVELS[level]!;
  } catch (e) {
    await db.exec('ROLLBACK');
    throw new Error(`${step.sql.join(' ')}: ${e instanceof Error ? e.message : String(e)}`);
  }
};

const all = await backends();

/** Back to an empty database between cases (one database per backend: a scratch database per case is slow). */
const RESET = 'DROP SCHEMA IF EXISTS s, s2 CASCADE; DROP EXTENSION IF EXISTS citext CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;';

describe.each(all)('lock levels of the plan, measured on $title', (backend) => {
  it('every change kind: the level the plan states is the strongest lock pg_locks shows', { timeout: 600_000 }, () =>
    withFreshDb(
      backend,
      async (db) => {
        const seen = new Set<ChangeKind>();
        const verdicts: { case: string; kind: ChangeKind; sql: string; plan: LockLevel; db: LockLevel }[] = [];
        for (const c of CASES) {
          await db.exec(RESET);
          // The desired side is read in a transaction rolled back (DDL is transactional).
          await db.exec('BEGIN');
          await db.exec(`${BASE};\n${c.desired ?? ''}`);
          const desired: Schema = await readSchema(db);
          await db.exec('ROLLBACK');
          await db.exec(`${BASE};\n${c.current ?? ''}`);
          const { steps } = migration(await readSchema(db), desired, c.renames ?? []);
          expect(steps.length, c.name).toBeGreaterThan(0);
          for (const step of steps) {
            seen.add(step.change.kind);
            verdicts.push({ case: c.name, kind: step.change.kind, sql: step.sql.join(' '), plan: step.lock, db: await measure(db, step) });
          }
        }
        expect(Object.keys(RISKS).filter((k) => !seen.has(k as ChangeKind))).toEqual([]);
        expect(verdicts.filter((v) => v.plan !== v.db)).toEqual([]);
      },
      { extensions: ['citext'] },
    ),
  );
});
