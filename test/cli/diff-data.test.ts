/**
 * `keikaku diff` on two databases holding rows (DESIGN §9): up.sql archives what it drops, down.sql brings the
 * rows back — judged by the catalog and the rows themselves after running the files with psql. `--no-archive`
 * drops without a copy. Needs URLs on both sides: the server backend only.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/types.js';
import { backends, type FreshDb } from '../support/backends.js';
import { runCli } from '../support/cli.js';
import { applyScript } from '../support/migrate.js';
import { snapshot } from '../support/snapshot.js';

const server = (await backends()).find((b) => b.name === 'server');

const CURRENT = `
CREATE TABLE public.teams (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, motto text);
CREATE TABLE public.members (id serial PRIMARY KEY, team_id bigint NOT NULL REFERENCES public.teams (id), name text);
CREATE TABLE public.kept (id int PRIMARY KEY, note text);`;
const DESIRED = `CREATE TABLE public.teams (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
CREATE TABLE public.kept (id int PRIMARY KEY, note text);`;
const DATA = `
INSERT INTO public.teams (name, motto) VALUES ('red', 'go'), ('blue', NULL), ('green', 'win');
INSERT INTO public.members (team_id, name) VALUES (1, 'ann'), (3, 'bob'), (1, NULL);
INSERT INTO public.kept VALUES (1, 'x');`;

const rows = async (db: Db) =>
  JSON.stringify([
    await db.query(`SELECT id::int, name, motto FROM public.teams ORDER BY id`),
    await db.query(`SELECT id, team_id::int, name FROM public.members ORDER BY id`),
    await db.query(`SELECT * FROM public.kept ORDER BY id`),
  ]);

const withTwo = async (fn: (a: FreshDb, b: FreshDb) => Promise<void>) => {
  const a = await server!.freshDb();
  const b = await server!.freshDb();
  try {
    await fn(a, b);
  } finally {
    await a.release();
    await b.release();
  }
};

describe.skipIf(!server)('keikaku diff on databases holding rows (server backend)', () => {
  it("down.sql restores the rows of dropped tables and columns that up.sql archived", () =>
    withTwo(async (a, b) => {
      await a.db.exec(CURRENT + DATA);
      await b.db.exec(DESIRED);
      const before = { catalog: await snapshot(a.db), rows: await rows(a.db) };
      const out = mkdtempSync(join(tmpdir(), 'kk-diff-data-'));
      const r = await runCli('diff', '--from', a.url!, '--to', b.url!, '--out', out);
      expect(r.code).toBe(0);
      const up = readFileSync(join(out, 'up.sql'), 'utf8');
      expect(up).toContain('keikaku_archive');
      await applyScript(a.db, up, a.url);
      expect(await snapshot(a.db)).toEqual(await snapshot(b.db));
      const archived = await a.db.query<{ source: string }>(`SELECT source FROM keikaku_archive.catalog ORDER BY source`);
      expect(archived.map((x) => x.source)).toEqual(['public.members', 'public.teams.motto']);
      await applyScript(a.db, readFileSync(join(out, 'down.sql'), 'utf8'), a.url);
      expect(await snapshot(a.db)).toEqual(before.catalog);
      expect(await rows(a.db)).toEqual(before.rows);
      expect(await a.db.query(`SELECT name FROM keikaku_archive.catalog`)).toEqual([]);
      // The identity and serial sequences continue after the restored rows.
      await a.db.exec(`INSERT INTO public.teams (name) VALUES ('new'); INSERT INTO public.members (team_id) VALUES (4)`);
      expect(await a.db.query(`SELECT (SELECT max(id)::int FROM public.teams) AS t, (SELECT max(id) FROM public.members) AS m`)).toEqual([{ t: 4, m: 4 }]);
    }));

  it('--no-archive drops without a copy', () =>
    withTwo(async (a, b) => {
      await a.db.exec(CURRENT + DATA);
      await b.db.exec(DESIRED);
      const out = mkdtempSync(join(tmpdir(), 'kk-diff-data-'));
      const r = await runCli('diff', '--from', a.url!, '--to', b.url!, '--out', out, '--no-archive');
      expect(r.code).toBe(0);
      const up = readFileSync(join(out, 'up.sql'), 'utf8');
      expect(up).not.toContain('keikaku_archive');
      await applyScript(a.db, up, a.url);
      expect(await snapshot(a.db)).toEqual(await snapshot(b.db));
      await applyScript(a.db, readFileSync(join(out, 'down.sql'), 'utf8'), a.url);
      expect(await a.db.query(`SELECT count(*)::int AS n FROM public.members`)).toEqual([{ n: 0 }]);
    }));
});
