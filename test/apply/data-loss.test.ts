/**
 * DESIGN §9 "No row is lost silently", for `down`, on both backends: a down that would destroy rows is refused
 * (exit 3, tables and live row counts named) before anything is undone; with --allow-data-loss the rows go to
 * keikaku_archive and the next apply puts them back (row contents compared); a baseline's down refuses whatever
 * the flag; a step that would fail on rows (an enum value in use) refuses the whole down up front; down --phase.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { previewRun, runMigrations } from '../../src/apply/index.js';
import { phaseStates, readJournal, stateKey } from '../../src/apply/journal.js';
import { readStatus } from '../../src/apply/status.js';
import type { RunResult } from '../../src/apply/types.js';
import type { Db } from '../../src/db/types.js';
import { readHistory } from '../../src/load/migrations.js';
import { readSchema } from '../../src/load/source.js';
import { baseline } from '../../src/pull/baseline.js';
import { backends, withFreshDb } from '../support/backends.js';
import { runCliIn } from '../support/cli.js';
import { snapshot } from '../support/snapshot.js';
import { removeTempDirs, tempDir, tx, upRequest, writeMigrations } from './support.js';
import { join } from 'node:path';

afterAll(removeTempDirs);

const all = await backends();

const done = (r: RunResult) => {
  if (r.outcome !== 'done') throw new Error(`expected done, got ${JSON.stringify(r, null, 2)}`);
  return r;
};

const refused = (r: RunResult) => {
  if (r.outcome !== 'refused') throw new Error(`expected a refusal, got ${JSON.stringify(r, null, 2)}`);
  return r.refusals;
};

const rows = async (db: Db, sql: string) => JSON.stringify(await db.query(sql));

/** Everything a down could change: the catalog, the rows, the journal. */
const state = async (db: Db, tables: readonly string[]) => ({
  catalog: await snapshot(db),
  rows: await Promise.all(tables.map((t) => rows(db, `SELECT * FROM ${t} ORDER BY 1`))),
  journal: (await readJournal(db)).map((e) => `${e.seq} ${e.migration} ${e.phase} ${e.direction} ${e.status} ${e.stepsDone}`),
});

const archives = async (db: Db) =>
  (await db.query<{ name: string }>(`SELECT name FROM keikaku_archive.catalog ORDER BY name`).catch(() => [])).map((r) => r.name);

/** A first migration creating two tables (one referencing the other), then one adding a column to the first. */
const CREATING = (root: string) =>
  writeMigrations(root, [
    {
      id: '20260101000000_init',
      phases: [
        {
          name: 'expand',
          up: tx(
            'CREATE TABLE public.teams (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL)',
            'CREATE TABLE public.members (id serial PRIMARY KEY, team_id bigint NOT NULL REFERENCES public.teams (id), name text)',
          ),
          down: tx('DROP TABLE public.members', 'DROP TABLE public.teams'),
        },
      ],
    },
    {
      id: '20260102000000_nick',
      phases: [{ name: 'expand', up: tx('ALTER TABLE public.teams ADD COLUMN nick text'), down: tx('ALTER TABLE public.teams DROP COLUMN nick') }],
    },
  ]);

const FILL = `INSERT INTO public.teams (name, nick) VALUES ('red', 'r'), ('blue', NULL), ('green', 'g');
INSERT INTO public.members (team_id, name) VALUES (1, 'ann'), (1, 'bob'), (3, 'cy'), (2, 'dee');`;

describe.each(all)('down and rows on $title', (backend) => {
  it('down of a table-creating migration holding rows: refused with counts, nothing changed; with the flag archived, and apply brings them back', () =>
    withFreshDb(backend, async (db) => {
      const generated = CREATING(tempDir());
      done(await runMigrations(db, upRequest(generated)));
      await db.exec(FILL);
      const before = await state(db, ['public.teams', 'public.members']);

      // The newest migration drops a column holding 2 values.
      let refusals = refused(await runMigrations(db, { ...upRequest(generated), direction: 'down' }));
      expect(refusals.map((r) => r.code)).toEqual(['DATA_LOSS']);
      expect(refusals[0]!.message).toContain('drops column public.teams.nick: 2 values');
      // Both: the table-creating migration drops 3 teams and 4 members.
      refusals = refused(await runMigrations(db, { ...upRequest(generated), direction: 'down', steps: 2 }));
      expect(refusals[0]!.message).toContain('drops table public.members: 4 rows');
      expect(refusals[0]!.message).toContain('drops table public.teams: 3 rows');
      expect(await state(db, ['public.teams', 'public.members'])).toEqual(before);

      // The preview and status show the same hazard with live counts.
      const preview = await previewRun(db, { ...upRequest(generated), direction: 'down', steps: 2 });
      expect(preview.losses?.map((l) => `${l.object} ${l.rows}`)).toEqual(['public.teams.nick 2', 'public.members 4', 'public.teams 3']);
      const status = await readStatus(db, readHistory(generated));
      expect(status.nextDown.losses.map((l) => `${l.migration} ${l.object} ${l.rows}`)).toEqual(['20260102000000_nick public.teams.nick 2']);

      const down = done(await runMigrations(db, { ...upRequest(generated), direction: 'down', steps: 2, allowDataLoss: true }));
      expect(down.ran.map((r) => r.migration)).toEqual(['20260102000000_nick', '20260101000000_init']);
      expect((await db.query(`SELECT to_regclass('public.teams') AS t`))[0]).toEqual({ t: null });
      expect(await archives(db)).toEqual(['20260101000000_init~down__members', '20260101000000_init~down__teams', '20260102000000_nick~down__teams.nick']);
      expect(await rows(db, `SELECT count(*)::int AS n FROM keikaku_archive."20260101000000_init~down__members"`)).toBe('[{"n":4}]');

      const restored: string[] = [];
      done(await runMigrations(db, { ...upRequest(generated), onEvent: (e) => void (e.kind === 'restored' && restored.push(e.into)) }));
      expect(restored).toEqual(['public.teams', 'public.members', 'public.teams.nick']);
      const after = await state(db, ['public.teams', 'public.members']);
      expect(after.catalog).toEqual(before.catalog);
      expect(after.rows).toEqual(before.rows);
      expect(await archives(db)).toEqual([]);
      // Identity and serial continue after the restored rows.
      await db.exec(`INSERT INTO public.teams (name) VALUES ('new'); INSERT INTO public.members (team_id) VALUES (4)`);
      expect(await rows(db, `SELECT (SELECT max(id)::int FROM public.teams) AS t, (SELECT max(id)::int FROM public.members) AS m`)).toBe('[{"t":4,"m":5}]');
    }));

  it('empty tables and NULL-only columns go without the flag', () =>
    withFreshDb(backend, async (db) => {
      const generated = CREATING(tempDir());
      done(await runMigrations(db, upRequest(generated)));
      await db.exec(`INSERT INTO public.teams (name) VALUES ('red')`);
      // nick holds no value: its drop loses nothing
      done(await runMigrations(db, { ...upRequest(generated), direction: 'down' }));
      await db.exec(`DELETE FROM public.teams`);
      done(await runMigrations(db, { ...upRequest(generated), direction: 'down' }));
      expect((await db.query(`SELECT to_regclass('public.teams') AS t`))[0]).toEqual({ t: null });
    }));

  it('down of a baseline holding rows refuses, with or without the flag, and changes nothing', () =>
    withFreshDb(backend, async (db) => {
      await db.exec(`CREATE TABLE public.accounts (id int PRIMARY KEY, owner text);
        INSERT INTO public.accounts SELECT g, 'o' || g FROM generate_series(1, 25) g;`);
      const generated = join(tempDir(), 'generated');
      const outcome = await baseline(db, await readSchema(db), { generatedDir: generated, stamp: '20260101000000', markDatabase: true });
      expect(outcome.kind).toBe('written');
      const before = await state(db, ['public.accounts']);
      for (const allowDataLoss of [false, true]) {
        const refusals = refused(await runMigrations(db, { ...upRequest(generated), direction: 'down', allowDataLoss }));
        expect(refusals.map((r) => r.code)).toEqual(['BASELINE']);
        expect(refusals[0]!.message).toContain('20260101000000_baseline is the baseline');
      }
      expect(await state(db, ['public.accounts'])).toEqual(before);
      expect((await readStatus(db, readHistory(generated))).nextDown.refusals.map((r) => r.code)).toEqual(['BASELINE']);
    }));

  it('a down whose older step would fail on rows (an enum value in use) refuses before undoing anything', () =>
    withFreshDb(backend, async (db) => {
      const generated = writeMigrations(tempDir(), [
        {
          id: '20260101000000_mood',
          phases: [
            {
              name: 'expand',
              up: tx(`CREATE TYPE public.mood AS ENUM ('a', 'b')`, 'CREATE TABLE public.p (id int PRIMARY KEY, m public.mood)'),
              down: tx('DROP TABLE public.p', 'DROP TYPE public.mood'),
            },
          ],
        },
        {
          id: '20260102000000_c',
          phases: [
            {
              name: 'expand',
              up: `ALTER TYPE public.mood ADD VALUE 'c';\n`,
              down: tx(
                'ALTER TYPE public.mood RENAME TO mood__keikaku_old',
                `CREATE TYPE public.mood AS ENUM ('a', 'b')`,
                'ALTER TABLE public.p ALTER COLUMN m TYPE public.mood USING m::text::public.mood',
                'DROP TYPE public.mood__keikaku_old',
              ),
            },
          ],
        },
        { id: '20260103000000_e', phases: [{ name: 'expand', up: tx('CREATE TABLE public.e (id int)'), down: tx('DROP TABLE public.e') }] },
      ]);
      done(await runMigrations(db, upRequest(generated)));
      await db.exec(`INSERT INTO public.p VALUES (1, 'a'), (2, 'c'), (3, 'c')`);
      const before = await state(db, ['public.p']);
      for (const allowDataLoss of [false, true]) {
        const refusals = refused(await runMigrations(db, { ...upRequest(generated), direction: 'down', steps: 2, allowDataLoss }));
        expect(refusals.map((r) => r.code)).toEqual(['ROWS_BLOCK_DOWN']);
        expect(refusals[0]!.message).toMatch(/rebuilds enum public\.mood without labels that rows of public\.p\.m hold .*: 2 rows/);
      }
      // The newest migration's down (an empty table) did not run either.
      expect(await state(db, ['public.p'])).toEqual(before);
      await db.exec(`UPDATE public.p SET m = 'b' WHERE m = 'c'`);
      done(await runMigrations(db, { ...upRequest(generated), direction: 'down', steps: 2 }));
    }));

  it('a down that narrows a column type holding values: refused; with the flag the values are archived and the next apply restores them', () =>
    withFreshDb(backend, async (db) => {
      const generated = writeMigrations(tempDir(), [
        { id: '20260101000000_p', phases: [{ name: 'expand', up: tx('CREATE TABLE public.p (id int PRIMARY KEY, price numeric(10,2))'), down: tx('DROP TABLE public.p') }] },
        {
          id: '20260102000000_wider',
          phases: [{ name: 'expand', up: tx('ALTER TABLE public.p ALTER COLUMN price TYPE numeric(12,4)'), down: tx('ALTER TABLE public.p ALTER COLUMN price TYPE numeric(10,2)') }],
        },
      ]);
      done(await runMigrations(db, upRequest(generated)));
      await db.exec(`INSERT INTO public.p VALUES (1, 1.2345), (2, NULL), (3, 7.5)`);
      const before = await rows(db, 'SELECT id, price::text FROM public.p ORDER BY id');
      const refusals = refused(await runMigrations(db, { ...upRequest(generated), direction: 'down' }));
      expect(refusals[0]!.message).toContain('narrows public.p.price from numeric(12,4)');
      expect(refusals[0]!.message).toContain(': 2 values');
      done(await runMigrations(db, { ...upRequest(generated), direction: 'down', allowDataLoss: true }));
      expect(await rows(db, 'SELECT price::text FROM public.p WHERE id = 1')).toBe('[{"price":"1.23"}]');
      done(await runMigrations(db, upRequest(generated)));
      expect(await rows(db, 'SELECT id, price::text FROM public.p ORDER BY id')).toBe(before);
      expect(await archives(db)).toEqual([]);
    }));

  it('down --phase undoes the newest migration only down to that phase', () =>
    withFreshDb(backend, async (db) => {
      const generated = writeMigrations(tempDir(), [
        {
          id: '20260101000000_a',
          phases: [
            { name: 'expand', up: tx('CREATE TABLE public.a (id int)'), down: tx('DROP TABLE public.a') },
            { name: 'backfill', up: tx('ALTER TABLE public.a ADD COLUMN b int'), down: tx('ALTER TABLE public.a DROP COLUMN b') },
            { name: 'contract', up: tx('ALTER TABLE public.a ADD COLUMN c int'), down: tx('ALTER TABLE public.a DROP COLUMN c') },
          ],
        },
      ]);
      done(await runMigrations(db, upRequest(generated)));
      const first = done(await runMigrations(db, { ...upRequest(generated), direction: 'down', phase: 'expand' }));
      expect(first.ran.map((r) => r.file)).toEqual(['3_contract.down.sql', '2_backfill.down.sql']);
      const states = phaseStates(await readJournal(db));
      expect(['expand', 'backfill', 'contract'].map((p) => states.get(stateKey('20260101000000_a', p as 'expand'))?.state)).toEqual(['applied', 'pending', 'pending']);
      expect(done(await runMigrations(db, { ...upRequest(generated), direction: 'down', phase: 'expand' })).ran).toEqual([]);
      expect(done(await runMigrations(db, { ...upRequest(generated), direction: 'down' })).ran.map((r) => r.file)).toEqual(['1_expand.down.sql']);
    }));

  it.skipIf(backend.name !== 'server')('the CLI: down exits 3 naming tables and counts, --dry-run and status show them, --allow-data-loss archives', () =>
    withFreshDb(backend, async (db, fresh) => {
      const root = tempDir();
      const generated = CREATING(root);
      done(await runMigrations(db, upRequest(generated)));
      await db.exec(FILL);
      const url = fresh.url!;
      const refusedRun = await runCliIn(root, 'down', '--steps', '2', '--database-url', url);
      expect(refusedRun.code).toBe(3);
      expect(refusedRun.stderr).toContain('drops table public.teams: 3 rows');
      expect(refusedRun.stderr).not.toMatch(/\n\s+at /); // no stack trace
      const dry = await runCliIn(root, 'down', '--steps', '2', '--dry-run', '--database-url', url);
      expect(dry.code).toBe(3);
      expect(dry.stderr).toContain('drops table public.members: 4 rows');
      expect(dry.stderr).toContain('DROP TABLE public.members');
      const dryAllowed = await runCliIn(root, 'down', '--steps', '2', '--dry-run', '--allow-data-loss', '--database-url', url);
      expect(dryAllowed.code).toBe(0);
      expect(dryAllowed.stdout).toContain('drops table public.teams: 3 rows (archived first in keikaku_archive."20260101000000_init~down__teams")');
      const status = await runCliIn(root, 'status', '--database-url', url);
      expect(status.stdout).toContain('down of 20260102000000_nick: rows this down would destroy');
      expect(status.stdout).toContain('drops column public.teams.nick: 2 values');
      const ran = await runCliIn(root, 'down', '--steps', '2', '--allow-data-loss', '--database-url', url);
      expect(ran.code).toBe(0);
      expect(await archives(db)).toHaveLength(3);
      const again = await runCliIn(root, 'apply', '--database-url', url);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('restored public.members');
      expect(await rows(db, `SELECT name, nick FROM public.teams ORDER BY id`)).toBe('[{"name":"red","nick":"r"},{"name":"blue","nick":null},{"name":"green","nick":"g"}]');
    }));
});
