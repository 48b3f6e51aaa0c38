/**
 * `push` through the API on each backend (the embedded PGlite by connection, the server by URL): the example app
 * pushed into an empty database gives the catalog its migration history gives, a second push has nothing to do,
 * and nothing runs that was not confirmed or that targets production.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, push, UserError } from '../../src/api.js';
import type { Db } from '../../src/db/types.js';
import { ensureBuilt } from '../load/built.js';
import { exampleProject, removeProjects } from '../check/project.js';
import { backends, withFreshDb } from '../support/backends.js';
import { snapshot } from '../support/snapshot.js';

beforeAll(ensureBuilt);
afterAll(removeProjects);

/**
 * Lines of keikaku's own schemas (the journal apply writes) left out: push writes none. PostgreSQL 18's own names
 * of NOT NULL constraints are left out too (the `column … not null` lines stay): the example app's history renamed
 * a column before keikaku renamed that name with it, and keikaku counts such names as unnamed.
 */
const userObjects = (lines: string[]) => lines.filter((l) => !/\bkeikaku(_archive)?\b/.test(l));
const publicTables = async (db: Db) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`))[0]!.n;

describe.each(await backends())('push (API) on $title', (backend) => {
  it('pushes the example app to what its history makes; converges; runs nothing unconfirmed or on production', { timeout: 600_000 }, async () => {
    const base = await exampleProject();
    const config = backend.serverUrl ? { ...base, shadowUrl: undefined } : base;
    const applied = await withFreshDb(backend, async (db, fresh) => {
      const run = await apply({ config, ...(fresh.url ? { databaseUrl: fresh.url } : { db }) });
      expect(run.kind).toBe('ran');
      return userObjects(await snapshot(db, { notNullConstraints: false }));
    });
    await withFreshDb(backend, async (db, fresh) => {
      const target = fresh.url ? { databaseUrl: fresh.url } : { db };
      await expect(push({ config, ...target })).rejects.toMatchObject({ exitCode: 3, message: expect.stringContaining('pass --yes') });
      const declined = await push({ config, ...target, confirm: async () => false });
      expect(declined.kind).toBe('declined');
      await expect(push({ config, ...target, yes: true, production: true })).rejects.toBeInstanceOf(UserError);
      expect(await publicTables(db)).toBe(0);

      const asked: number[] = [];
      const pushed = await push({ config, ...target, confirm: async (p) => (asked.push(p.steps.length), true) });
      if (pushed.kind !== 'pushed') throw new Error(`expected a push, got ${pushed.kind}`);
      expect(asked).toEqual([pushed.preview.steps.length]);
      expect(pushed.remaining).toEqual([]);
      expect(pushed.preview.losses).toEqual([]);
      expect(userObjects(await snapshot(db, { notNullConstraints: false }))).toEqual(applied);
      expect((await push({ config, ...target, yes: true })).kind).toBe('unchanged');
    });
  });
});
