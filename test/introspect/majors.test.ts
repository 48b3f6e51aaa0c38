/**
 * Introspection of every supported major on a schema that uses what each major added: built on a real server of
 * that major, read back, rendered as a migration from an empty database and applied to another one, whose
 * catalog must equal the first's; a second diff is empty.
 */
import { describe, expect, it } from 'vitest';
import { SUPPORTED_MAJORS } from '../../src/db/embedded/binaries.js';
import { createScratchDatabase } from '../../src/db/scratch.js';
import { readSchema } from '../../src/load/source.js';
import { majorServerUrl } from '../support/matrix.js';
import { applyScript, migration } from '../support/migrate.js';
import { snapshot } from '../support/snapshot.js';
import { notNullLabel } from '../../src/model/not-null-name.js';

/** DDL by the major that introduced it; a server of major N gets every part up to N. */
const FEATURES: readonly { readonly since: number; readonly what: string; readonly sql: string }[] = [
  {
    since: 13,
    what: 'identity, stored generated columns, partitions, INCLUDE indexes, deferrable keys, enums, domains',
    sql: `
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('ok', 'sad');
CREATE DOMAIN app.positive AS int CHECK (VALUE > 0);
CREATE TABLE app.person (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  first text NOT NULL,
  last text NOT NULL,
  full_name text GENERATED ALWAYS AS (first || ' ' || last) STORED,
  mood app.mood DEFAULT 'ok',
  age app.positive
);
CREATE TABLE app.event (at date NOT NULL, person bigint REFERENCES app.person DEFERRABLE INITIALLY DEFERRED) PARTITION BY RANGE (at);
CREATE TABLE app.event_2026 PARTITION OF app.event FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE INDEX person_last ON app.person (last) INCLUDE (first);
CREATE VIEW app.adults AS SELECT id, full_name FROM app.person WHERE age >= 18;`,
  },
  {
    since: 14,
    what: 'multiranges, SQL-standard function bodies, column compression',
    sql: `
CREATE TABLE app.booking (id int PRIMARY KEY, slots int4multirange NOT NULL, note text COMPRESSION pglz);
CREATE FUNCTION app.next_id(a int) RETURNS int LANGUAGE sql IMMUTABLE RETURN a + 1;
CREATE FUNCTION app.people() RETURNS bigint LANGUAGE sql STABLE BEGIN ATOMIC SELECT count(*) FROM app.person; END;`,
  },
  {
    since: 15,
    what: 'UNIQUE NULLS NOT DISTINCT, ON DELETE SET NULL (column list), security_invoker views, MERGE in a routine',
    sql: `
CREATE TABLE app.badge (code text, owner bigint, team int, UNIQUE NULLS NOT DISTINCT (code),
  FOREIGN KEY (owner) REFERENCES app.person ON DELETE SET NULL (owner));
CREATE VIEW app.invoker WITH (security_invoker = true) AS SELECT code FROM app.badge;
CREATE FUNCTION app.upsert_badge(c text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  MERGE INTO app.badge b USING (SELECT c AS code) s ON b.code = s.code
    WHEN NOT MATCHED THEN INSERT (code) VALUES (s.code);
END $$;`,
  },
  {
    since: 16,
    what: 'SQL/JSON constructors and IS JSON in views',
    sql: `
CREATE VIEW app.person_json AS
  SELECT JSON_OBJECT('id': id, 'name': full_name) AS doc, JSON_ARRAY(first, last) AS names,
         full_name::text IS JSON OBJECT AS is_obj
    FROM app.person;`,
  },
  {
    since: 17,
    what: 'SQL/JSON query functions and JSON_TABLE in views',
    sql: `
CREATE VIEW app.json_parts AS
  SELECT JSON_VALUE(doc, '$.name') AS name, JSON_QUERY(doc, '$.id') AS id, JSON_EXISTS(doc, '$.id') AS has_id
    FROM app.person_json;
CREATE VIEW app.json_rows AS
  SELECT jt.* FROM JSON_TABLE('[{"a": 1}, {"a": 2}]'::jsonb, '$[*]' COLUMNS (a int PATH '$.a')) AS jt;`,
  },
  {
    since: 18,
    what: 'NOT NULL as constraints, NOT ENFORCED checks, uuidv7()',
    sql: `
CREATE TABLE app.measure (
  id uuid PRIMARY KEY DEFAULT uuidv7(),
  mm int NOT NULL,
  CONSTRAINT measure_small CHECK (mm < 100000) NOT ENFORCED
);`,
  },
];

/**
 * What PostgreSQL 18 added to columns: virtual generated columns (`VIRTUAL`, 18's default kind) and NOT NULL
 * as a named constraint. A name the user chose is kept; PostgreSQL's own (`<table>_<column>_not_null`) is not
 * compared, so an unnamed NOT NULL reads the same on 13–17 and 18.
 */
const COLUMNS_18 = `
CREATE SCHEMA app;
CREATE TABLE app.measure (
  mm int,
  cm numeric GENERATED ALWAYS AS (mm / 10.0) VIRTUAL,
  km numeric GENERATED ALWAYS AS (mm / 1000000.0),
  dm numeric GENERATED ALWAYS AS (mm / 100.0) STORED,
  label text NOT NULL,
  CONSTRAINT measure_mm_required NOT NULL mm
);`;

/** `sql` built in one scratch database of `major`, read back, and rendered into another: both catalogs equal. */
const reproduces = async (major: number, sql: string): Promise<void> => {
    const url = await majorServerUrl(major);
    const source = await createScratchDatabase(url);
    const target = await createScratchDatabase(url);
    try {
      await applyScript(source.db, sql, source.url);
      const [row] = await source.db.query<{ v: number }>(`SELECT current_setting('server_version_num')::int AS v`);
      expect(Math.floor(row!.v / 10_000)).toBe(major);
      const desired = await readSchema(source.db);
      const up = migration(await readSchema(target.db), desired).up;
      await applyScript(target.db, up, target.url);
      expect(await snapshot(target.db), `the rendered schema reproduces the catalog\n${up}`).toEqual(await snapshot(source.db));
      const again = migration(await readSchema(target.db), desired).steps.map((s) => s.sql.join(' '));
      expect(again, 'a second diff is empty').toEqual([]);
    } finally {
      await Promise.all([source.drop(), target.drop()]);
    }
};

describe.each([...SUPPORTED_MAJORS])('introspection of PostgreSQL %i', (major) => {
  const parts = FEATURES.filter((f) => f.since <= major);
  it(`reads back what ${major} can hold (${parts.map((p) => p.since).join(', ')}) and converges`, () =>
    reproduces(major, parts.map((p) => p.sql).join('\n')));
});

describe('PostgreSQL 18 columns', () => {
  it('virtual generated columns and named NOT NULL constraints survive introspection and rendering', () => reproduces(18, COLUMNS_18));

  it('they are read as such: virtual or stored, the name the user chose or none', async () => {
    const url = await majorServerUrl(18);
    const db = await createScratchDatabase(url);
    try {
      await applyScript(db.db, COLUMNS_18, db.url);
      const t = (await readSchema(db.db)).tables.find((x) => x.name === 'measure')!;
      const col = (n: string) => t.columns.find((c) => c.name === n)!;
      expect([col('cm').virtual, col('km').virtual, col('dm').virtual, col('mm').virtual]).toEqual([true, true, false, false]);
      expect(notNullLabel(t.name, col('mm'))).toBe('measure_mm_required');
      expect(col('label').notNullName).toBe('measure_label_not_null');
      expect(notNullLabel(t.name, col('label'))).toBeNull();
    } finally {
      await db.drop();
    }
  });
});

describe.each(SUPPORTED_MAJORS.filter((m) => m < 18))('PostgreSQL %i has no NOT NULL constraint names', (major) => {
  it('a named NOT NULL reads back as a plain one, with no name', async () => {
    const db = await createScratchDatabase(await majorServerUrl(major));
    try {
      await applyScript(db.db, 'CREATE TABLE t (a int CONSTRAINT t_a_required NOT NULL, b text NOT NULL);', db.url);
      const t = (await readSchema(db.db)).tables.find((x) => x.name === 't')!;
      expect(t.columns.map((c) => [c.name, c.notNull, c.notNullName, c.virtual])).toEqual([
        ['a', true, null, false],
        ['b', true, null, false],
      ]);
    } finally {
      await db.drop();
    }
  });
});
