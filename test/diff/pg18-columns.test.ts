/**
 * PostgreSQL 18's column additions through the differ, judged by the database on every backend: virtual
 * generated columns (stored ↔ virtual is a drop and an add, with its hazards) and named NOT NULL constraints
 * (a name the user chose is kept and renamed; PostgreSQL's own names follow renamed tables and columns). On a
 * server before 18 the same DDL holds no virtual column and no NOT NULL name: nothing of this may show there.
 */
import { describe, expect, it } from 'vitest';
import { readSchema } from '../../src/load/source.js';
import { backends, type Backend } from '../support/backends.js';
import { migration } from '../support/migrate.js';
import { roundTrip } from '../support/round-trip.js';

const all = await backends();

const majorOf = async (backend: Backend): Promise<number> => {
  const f = await backend.freshDb();
  try {
    const [row] = await f.db.query<{ v: number }>(`SELECT current_setting('server_version_num')::int AS v`);
    return Math.floor(row!.v / 10_000);
  } finally {
    await f.release();
  }
};

const hazardsOf = (m: { steps: readonly { hazards: readonly { code: string }[] }[] }) => m.steps.flatMap((s) => s.hazards.map((h) => h.code));

describe.each(all)('PostgreSQL 18 columns ($title)', async (backend) => {
  const is18 = (await majorOf(backend)) >= 18;

  it.runIf(is18)('stored → virtual and back: drop and add, the stored side rewrites the table', async () => {
    const stored = `CREATE TABLE boxes (w int, h int, area int GENERATED ALWAYS AS (w * h) STORED, label text);`;
    const virtual = `CREATE TABLE boxes (w int, h int, area int GENERATED ALWAYS AS (w * h) VIRTUAL, label text);`;
    const toVirtual = await roundTrip(backend, { current: stored, desired: virtual });
    expect(toVirtual.up).toMatch(/DROP COLUMN "area"[\s\S]*ADD COLUMN "area" integer GENERATED ALWAYS AS \(\(?w \* h\)?\) VIRTUAL/);
    expect(hazardsOf(toVirtual)).toContain('DELETES_DATA');
    expect(hazardsOf(toVirtual)).not.toContain('TABLE_REWRITE');
    const toStored = await roundTrip(backend, { current: virtual, desired: stored });
    expect(toStored.up).toMatch(/ADD COLUMN "area" integer GENERATED ALWAYS AS .* STORED/);
    expect(hazardsOf(toStored)).toContain('TABLE_REWRITE');
  });

  it.runIf(is18)('a virtual column added, and its expression changed', async () => {
    await roundTrip(backend, {
      current: `CREATE TABLE boxes (w int, h int);`,
      desired: `CREATE TABLE boxes (w int, h int, area int GENERATED ALWAYS AS (w * h) VIRTUAL);`,
    });
    await roundTrip(backend, {
      current: `CREATE TABLE boxes (w int, h int, area int GENERATED ALWAYS AS (w * h) VIRTUAL);`,
      desired: `CREATE TABLE boxes (w int, h int, area int GENERATED ALWAYS AS (w + h) VIRTUAL);`,
    });
  });

  it.runIf(is18)('a NOT NULL constraint named, renamed and unnamed again, and one set with a name', async () => {
    const unnamed = `CREATE TABLE people (id int NOT NULL, name text NOT NULL, nick text);`;
    const named = `CREATE TABLE people (id int CONSTRAINT people_id_required NOT NULL, name text CONSTRAINT name_given NOT NULL, nick text CONSTRAINT nick_given NOT NULL);`;
    const renamed = `CREATE TABLE people (id int CONSTRAINT people_id_present NOT NULL, name text NOT NULL, nick text CONSTRAINT nick_given NOT NULL);`;
    const m = await roundTrip(backend, { current: unnamed, desired: named, notNullNames: true });
    expect(m.up).toContain('RENAME CONSTRAINT "people_id_not_null" TO "people_id_required"');
    await roundTrip(backend, { current: named, desired: renamed, notNullNames: true });
    await roundTrip(backend, { current: renamed, desired: unnamed, notNullNames: true });
  });

  it.runIf(is18)('a table and a column renamed: their NOT NULL constraints take the new names', async () => {
    const m = await roundTrip(backend, {
      current: `CREATE TABLE old_accounts (id int NOT NULL, mail text NOT NULL, CONSTRAINT kept_name NOT NULL id);`,
      desired: `CREATE TABLE accounts (id int CONSTRAINT kept_name NOT NULL, email text NOT NULL);`,
      renames: ['public.old_accounts=accounts', 'public.accounts.mail=email'],
      notNullNames: true,
    });
    expect(m.up).toContain('RENAME CONSTRAINT "old_accounts_mail_not_null" TO "accounts_mail_not_null"');
    expect(m.up).toContain('RENAME CONSTRAINT "accounts_mail_not_null" TO "accounts_email_not_null"');
    expect(m.up).not.toContain('"kept_name" TO');
  });

  it.runIf(is18)('a history that renamed without renaming NOT NULL constraints does not differ from a fresh table', async () => {
    const a = await backend.freshDb();
    const b = await backend.freshDb();
    try {
      // What a migration of an earlier keikaku (or by hand) left: PostgreSQL's names of the old table and column.
      await a.db.exec(`CREATE TABLE staff_old (full_name text NOT NULL); ALTER TABLE staff_old RENAME TO staff; ALTER TABLE staff RENAME full_name TO name;`);
      await b.db.exec(`CREATE TABLE staff (name text NOT NULL);`);
      expect(migration(await readSchema(a.db), await readSchema(b.db)).steps).toEqual([]);
    } finally {
      await Promise.all([a.release(), b.release()]);
    }
  });

  it('unnamed NOT NULLs and generated columns of any major give no change', async () => {
    const sql = `CREATE TABLE things (id int PRIMARY KEY, a text NOT NULL, b int GENERATED ALWAYS AS (id * 2) STORED);`;
    const a = await backend.freshDb();
    const b = await backend.freshDb();
    try {
      await a.db.exec(sql);
      await b.db.exec(sql);
      const m = migration(await readSchema(a.db), await readSchema(b.db));
      expect(m.steps).toEqual([]);
      const t = (await readSchema(a.db)).tables[0]!;
      expect(t.columns.map((c) => c.virtual)).toEqual([false, false, false]);
    } finally {
      await Promise.all([a.release(), b.release()]);
    }
  });

  it.runIf(!is18)('before 18 a NOT NULL constraint name is not kept, so naming one changes nothing', async () => {
    const a = await backend.freshDb();
    const b = await backend.freshDb();
    try {
      await a.db.exec(`CREATE TABLE people (id int NOT NULL);`);
      await b.db.exec(`CREATE TABLE people (id int CONSTRAINT people_id_required NOT NULL);`);
      expect(migration(await readSchema(a.db), await readSchema(b.db)).steps).toEqual([]);
    } finally {
      await Promise.all([a.release(), b.release()]);
    }
  });
});
