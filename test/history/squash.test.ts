/**
 * `keikaku squash --to`: the history collapsed into a baseline that `check` and `verify` accept (embedded shadow,
 * no server), and on the server, databases in every state: one that ran everything goes on with the migrations
 * after the squash (nothing re-run, no drift), a new one gets the same catalog from the baseline, and one that
 * stopped inside the squashed range is refused with the way out.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../load/built.js';
import { backends } from '../support/backends.js';
import { runCliIn } from '../support/cli.js';
import { snapshot } from '../support/snapshot.js';
import { edited, project, removeProjects } from '../cli/tmp-project.js';

const server = (await backends()).find((b) => b.name === 'server');

const V1 = `import { integer, table, text } from 'keikaku';\n\nexport const t = table('t', { id: integer().primaryKey(), name: text() });\n`;
const V2 = V1.replace('name: text() }', 'name: text(), note: text() }');
const V3 = `${V2}export const u = table('u', { id: integer().primaryKey(), t_id: integer().references(() => t.id) });\n`;
const V4 = V3.replace("t_id: integer().references(() => t.id) }", "t_id: integer().references(() => t.id), at: text() }");

/** A project whose history is V1, V2, V3 (three migrations); the directories of each step, and the ids. */
const threeMigrations = async () => {
  const one = project({ 't.ts': V1 });
  expect((await runCliIn(one, 'generate', 'first')).code).toBe(0);
  const two = edited(one, { 't.ts': V2 });
  expect((await runCliIn(two, 'generate', 'add_note')).code).toBe(0);
  const three = edited(two, { 't.ts': V3 });
  expect((await runCliIn(three, 'generate', 'add_u')).code).toBe(0);
  const ids = readdirSync(join(three, 'generated/migrations')).sort();
  expect(ids).toHaveLength(3);
  return { dir: three, ids };
};

afterAll(removeProjects);
beforeAll(ensureBuilt, 600_000);

describe('squash', () => {
  it('writes a baseline that check and verify accept; --dry-run writes nothing; the first migration or an unknown one is refused', { timeout: 600_000 }, async () => {
    const { dir, ids } = await threeMigrations();
    const sum = readFileSync(join(dir, 'generated/migrations.sum'), 'utf8');
    const dry = await runCliIn(dir, 'squash', '--to', ids[1]!, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Would squash 2 migrations');
    expect(readFileSync(join(dir, 'generated/migrations.sum'), 'utf8')).toBe(sum);

    expect((await runCliIn(dir, 'squash', '--to', ids[0]!)).stderr).toContain('it is the first migration');
    expect((await runCliIn(dir, 'squash', '--to', '1999')).code).toBe(1);

    const done = await runCliIn(dir, 'squash', '--to', ids[1]!, '--format', 'json');
    expect(done.code, done.stderr).toBe(0);
    const r = JSON.parse(done.stdout) as { id: string; replaced: string[]; kept: string[]; written: boolean };
    expect(r).toMatchObject({ replaced: ids.slice(0, 2), kept: [ids[2]], written: true });
    expect(readdirSync(join(dir, 'generated/migrations')).sort()).toEqual([r.id, ids[2]]);
    expect(JSON.parse(readFileSync(join(dir, 'generated/migrations', ids[2]!, 'plan.json'), 'utf8')).parent).toBe(r.id);
    for (const id of ids.slice(0, 2)) expect(existsSync(join(dir, 'generated/migrations', id))).toBe(false);
    // Nothing ungenerated, the history intact; every migration round-trips.
    const check = await runCliIn(dir, 'check', '--no-lint');
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const verify = await runCliIn(dir, 'verify');
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain('All 2 migration(s) round-trip.');
  });

  it.runIf(server)('databases past it go on; a new one gets the same catalog; one inside the squashed range is refused', { timeout: 600_000 }, async () => {
    const [all, partial, fresh] = [await server!.freshDb(), await server!.freshDb(), await server!.freshDb()];
    try {
      const { dir, ids } = await threeMigrations();
      expect((await runCliIn(dir, 'apply', '--database-url', all.url!)).code).toBe(0);
      await all.db.exec(`INSERT INTO t VALUES (1, 'a', 'n'); INSERT INTO u VALUES (1, 1)`);
      expect((await runCliIn(dir, 'apply', '--database-url', partial.url!, '--to', ids[0]!)).code).toBe(0);

      const squashed = await runCliIn(dir, 'squash', '--to', ids[1]!, '--format', 'json');
      expect(squashed.code, squashed.stderr).toBe(0);
      const { id } = JSON.parse(squashed.stdout) as { id: string };

      // The database that ran everything: nothing pending, no drift, and the next migration applies alone.
      const status = await runCliIn(dir, 'status', '--database-url', all.url!, '--format', 'json');
      expect(status.code, status.stdout + status.stderr).toBe(0);
      const check = await runCliIn(dir, 'check', '--no-lint', '--database-url', all.url!);
      expect(check.code, check.stdout + check.stderr).toBe(0);
      const next = edited(dir, { 't.ts': V4 });
      expect((await runCliIn(next, 'generate', 'add_at')).code).toBe(0);
      const applied = await runCliIn(next, 'apply', '--database-url', all.url!, '--format', 'json');
      expect(applied.code, applied.stderr).toBe(0);
      expect((JSON.parse(applied.stdout) as { ran: { migration: string }[] }).ran.map((p) => p.migration)).toEqual([expect.stringMatching(/_add_at$/)]);
      expect(await all.db.query('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 1 }]);

      // A new database: the baseline, then the rest; the same catalog as the one migrated before the squash.
      const built = await runCliIn(next, 'apply', '--database-url', fresh.url!, '--format', 'json');
      expect(built.code, built.stderr).toBe(0);
      expect((JSON.parse(built.stdout) as { ran: { migration: string }[] }).ran.map((p) => p.migration)[0]).toBe(id);
      const userObjects = (lines: string[]) => lines.filter((l) => !/\bkeikaku(_archive)?\b/.test(l));
      expect(userObjects(await snapshot(fresh.db))).toEqual(userObjects(await snapshot(all.db)));

      // Inside the squashed range: refused, nothing run, the way out named.
      const refused = await runCliIn(next, 'apply', '--database-url', partial.url!);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain(`one of the migrations squashed into ${id}, but not all of them`);
      expect(await partial.db.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'u'`)).toEqual([{ n: 0 }]);
    } finally {
      for (const d of [all, partial, fresh]) await d.release();
    }
  });
});
