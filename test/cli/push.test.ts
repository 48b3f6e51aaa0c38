/**
 * `keikaku push` against the server: the database it leaves is the one generate + apply make (catalog snapshots
 * compared), a second push has nothing to do, rows are never destroyed unasked, production and an unconfirmed
 * push are refused with nothing changed, and the password of the URL is printed nowhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../load/built.js';
import { backends } from '../support/backends.js';
import { runCliIn } from '../support/cli.js';
import { snapshot } from '../support/snapshot.js';
import { edited, project, removeProjects } from './tmp-project.js';

const server = (await backends()).find((b) => b.name === 'server');

const V1 = `import { enumType, index, integer, jsonb, sql, table, text, timestamptz, uuid } from 'keikaku';

export const state = enumType('state', ['new', 'done']);
export const t = table('t', {
  id: uuid().primaryKey().default(sql\`gen_random_uuid()\`),
  n: integer().notNull(),
  name: text(),
  doc: jsonb(),
  state: state().notNull().default('new'),
  at: timestamptz().defaultNow(),
}, (t) => [index().using('gin').on(t.doc)]);
`;
/** name renamed (declared), note added, a new table. */
const V2 = `import { enumType, index, integer, jsonb, sql, table, text, timestamptz, uuid } from 'keikaku';

export const state = enumType('state', ['new', 'done', 'failed']);
export const t = table('t', {
  id: uuid().primaryKey().default(sql\`gen_random_uuid()\`),
  n: integer().notNull(),
  title: text().renamedFrom('name'),
  doc: jsonb(),
  state: state().notNull().default('new'),
  at: timestamptz().defaultNow(),
  note: text(),
}, (t) => [index().using('gin').on(t.doc)]);
export const u = table('u', { id: integer().primaryKey(), t_id: uuid().references(() => t.id) });
`;
/** V2 without t.note. */
const V3 = V2.replace('  note: text(),\n', '');

afterAll(removeProjects);

describe.runIf(server)('push (server, CLI)', () => {
  beforeAll(ensureBuilt, 600_000);

  it('leaves the database generate + apply would; converges; keeps renamed rows; refuses to destroy rows unless allowed (archived)', { timeout: 600_000 }, async () => {
    const [pushed, applied] = [await server!.freshDb(), await server!.freshDb()];
    try {
      const one = project({ 't.ts': V1 });
      // The password is never printed (trust auth ignores it).
      const url = pushed.url!.replace('postgres@', 'postgres:pw-s3cr3t@');
      const first = await runCliIn(one, 'push', '--database-url', url, '--yes');
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain('create table public.t');
      expect(first.stdout).toMatch(/matches schema\/\.\n$/);
      await pushed.db.exec(`INSERT INTO t (n, name) VALUES (1, 'kept')`);

      const two = edited(one, { 't.ts': V2 });
      const second = await runCliIn(two, 'push', '--database-url', url, '--yes', '--format', 'json');
      expect(second.code, second.stderr).toBe(0);
      const report = JSON.parse(second.stdout) as { result: string; changes: { change: string }[]; remaining: string[]; losses: unknown[] };
      expect(report.result).toBe('pushed');
      expect(report.remaining).toEqual([]);
      expect(report.losses).toEqual([]);
      expect(report.changes.map((c) => c.change)).toEqual(expect.arrayContaining(['rename_column', 'add_column', 'create_table']));
      expect(await pushed.db.query('SELECT title FROM t')).toEqual([{ title: 'kept' }]);
      expect((await runCliIn(two, 'push', '--database-url', url, '--yes')).stdout).toContain('matches schema/');

      // The same schema through the history: generate twice, apply; the catalogs are equal.
      expect((await runCliIn(one, 'generate', 'first')).code).toBe(0);
      const viaHistory = edited(one, { 't.ts': V2 });
      expect((await runCliIn(viaHistory, 'generate', 'second')).code).toBe(0);
      expect((await runCliIn(viaHistory, 'apply', '--database-url', applied.url!)).code).toBe(0);
      const withoutJournal = (lines: string[]) => lines.filter((l) => !/\bkeikaku(_archive)?\b/.test(l));
      expect(withoutJournal(await snapshot(pushed.db))).toEqual(withoutJournal(await snapshot(applied.db)));

      // A database apply built: push says it leaves the history behind.
      const noted = await runCliIn(edited(viaHistory, { 't.ts': V3 }), 'push', '--database-url', applied.url!, '--yes');
      expect(noted.code, noted.stderr).toBe(0);
      expect(noted.stdout).toContain('2 migrations of this database were applied by `keikaku apply`');

      // Dropping a column that holds values: refused, nothing run; with the flag archived, then dropped.
      await pushed.db.exec(`UPDATE t SET note = 'precious'`);
      const three = edited(two, { 't.ts': V3 });
      const refused = await runCliIn(three, 'push', '--database-url', url, '--yes');
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain('drops column public.t.note: 1 value');
      expect(await pushed.db.query('SELECT note FROM t')).toEqual([{ note: 'precious' }]);
      const allowed = await runCliIn(three, 'push', '--database-url', url, '--yes', '--allow-data-loss');
      expect(allowed.code, allowed.stderr).toBe(0);
      expect(allowed.stdout).toContain('archived first: drops column public.t.note: 1 value');
      const [archive] = await pushed.db.query<{ name: string }>(
        `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables WHERE table_schema = 'keikaku_archive' AND table_name LIKE '%push__t.note'`,
      );
      expect(await pushed.db.query(`SELECT note FROM ${archive!.name}`)).toEqual([{ note: 'precious' }]);

      for (const r of [first, second, refused, allowed]) expect(`${r.stdout}${r.stderr}`).not.toContain('pw-s3cr3t');
    } finally {
      await pushed.release();
      await applied.release();
    }
  });

  it('runs nothing unconfirmed (no terminal, no --yes), on a dry run, or on a production database', { timeout: 600_000 }, async () => {
    const fresh = await server!.freshDb();
    try {
      const dir = project({ 't.ts': V1 });
      const url = fresh.url!;
      const tables = async () => (await fresh.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`))[0]!.n;

      const unasked = await runCliIn(dir, 'push', '--database-url', url);
      expect(unasked.code).toBe(3);
      expect(unasked.stderr).toContain('pass --yes');
      const dry = await runCliIn(dir, 'push', '--database-url', url, '--dry-run');
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toContain('CREATE TABLE "public"."t"');
      expect(dry.stdout).toContain('(dry run: nothing was run)');
      expect(await tables()).toBe(0);

      expect((await runCliIn(dir, 'env', 'mark', 'production', '--database-url', url)).code).toBe(0);
      const production = await runCliIn(dir, 'push', '--database-url', url, '--yes');
      expect(production.code).toBe(3);
      expect(production.stderr).toContain('refusing to push to production database');
      expect(await tables()).toBe(0);
    } finally {
      await fresh.release();
    }
  });
});
