/**
 * keikaku's own catalog oracle (test/support/catalog-snapshot.sql) judged against the shared acceptance oracle
 * (../shared/acceptance/snapshot.sql) on a sample of the shared corpus, on every backend. Each case gives databases
 * that should be equal or not: the current SQL, the desired SQL, the current one migrated up by keikaku, and that
 * one migrated back down. For every pair of them:
 * - equal by ours ⇒ equal by the shared oracle (ours misses nothing the shared one sees);
 * - equal by the shared oracle ⇒ equal by ours, except for lines of the kinds only ours has (owners, privileges,
 *   rules, collations, view columns), which the shared oracle cannot see.
 * Runs only when ../shared is beside the clone.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/types.js';
import { readSchema } from '../../src/load/source.js';
import { backends, type Backend } from '../support/backends.js';
import { corpusAvailable, loadCorpus, reportCorpusMissing, type CorpusCase } from '../support/corpus.js';
import { applyScript, migration } from '../support/migrate.js';
import { sharedAcceptanceDir } from '../support/paths.js';
import { snapshot } from '../support/snapshot.js';

const EVERY = Number(process.env.KEIKAKU_ORACLE_EVERY ?? 60);
const sample = loadCorpus().filter((_, i) => i % EVERY === 0);
const sharedSql = sharedAcceptanceDir ? readFileSync(path.join(sharedAcceptanceDir, 'snapshot.sql'), 'utf8') : '';
const all = await backends();

/** Line kinds of our oracle that the shared one has no counterpart for. */
const ONLY_OURS = ['owner ', 'grant ', 'revoke ', 'default privileges ', 'rule ', 'collation ', 'view column '];

interface Snapshots {
  readonly label: string;
  readonly shared: readonly string[];
  readonly ours: readonly string[];
}

const ensureRoles = async (db: Db, roles: readonly string[]) => {
  for (const r of roles)
    await db.exec(
      `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${r.replace(/'/g, "''")}') THEN CREATE ROLE "${r.replace(/"/g, '""')}"; END IF; END $$`,
    );
};

const take = async (db: Db, label: string): Promise<Snapshots> => ({
  label,
  shared: (await db.query<Record<string, string>>(sharedSql)).map((row) => Object.values(row)[0]!),
  ours: await snapshot(db),
});

/** The databases of one case: current, desired, current migrated up, and that migrated down; null if unloadable. */
const databasesOf = async (backend: Backend, c: CorpusCase): Promise<Snapshots[] | null> => {
  const out: Snapshots[] = [];
  const b = await backend.freshDb();
  let desired;
  try {
    try {
      await ensureRoles(b.db, c.roles);
      await b.db.exec(`${c.setup}\n${c.desired}`);
    } catch {
      return null; // SQL this PostgreSQL version rejects
    }
    desired = await readSchema(b.db);
    out.push(await take(b.db, 'desired'));
  } finally {
    await b.release();
  }
  const a = await backend.freshDb();
  try {
    try {
      await ensureRoles(a.db, c.roles);
      await a.db.exec(`${c.setup}\n${c.current}`);
    } catch {
      return null;
    }
    out.push(await take(a.db, 'current'));
    // A migration keikaku cannot carry out leaves two databases fewer to compare, not a failure of the oracle.
    try {
      const m = migration(await readSchema(a.db), desired, c.renames);
      await applyScript(a.db, m.up, a.url);
      out.push(await take(a.db, 'migrated up'));
      await applyScript(a.db, m.down, a.url);
      out.push(await take(a.db, 'migrated down'));
    } catch {
      // fewer pairs
    }
  } finally {
    await a.release();
  }
  return out;
};

const same = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((l, i) => l === y[i]);
const symmetricDifference = (x: readonly string[], y: readonly string[]) => {
  const sx = new Set(x);
  const sy = new Set(y);
  return [...x.filter((l) => !sy.has(l)), ...y.filter((l) => !sx.has(l))];
};

const tally = new Map<string, { pairs: number; equalShared: number; equalOurs: number }>();

reportCorpusMissing('our catalog oracle against the shared one');

describe.skipIf(!corpusAvailable).each(all)('our catalog oracle agrees with the shared one ($title)', (backend) => {
  it.each(sample.map((c) => [c.id, c] as const))('%s', async (id, c) => {
    const dbs = await databasesOf(backend, c);
    if (!dbs) return;
    const t = tally.get(backend.name) ?? { pairs: 0, equalShared: 0, equalOurs: 0 };
    tally.set(backend.name, t);
    for (let i = 0; i < dbs.length; i++)
      for (let j = i + 1; j < dbs.length; j++) {
        const [x, y] = [dbs[i]!, dbs[j]!];
        const pair = `${id}: ${x.label} vs ${y.label}`;
        const sharedSame = same(x.shared, y.shared);
        const oursSame = same(x.ours, y.ours);
        t.pairs++;
        if (sharedSame) t.equalShared++;
        if (oursSame) t.equalOurs++;
        if (oursSame) expect(symmetricDifference(x.shared, y.shared), `${pair}: equal by ours, not by the shared oracle`).toEqual([]);
        if (sharedSame) {
          const beyond = symmetricDifference(x.ours, y.ours).filter((l) => !ONLY_OURS.some((p) => l.startsWith(p)));
          expect(beyond, `${pair}: equal by the shared oracle, not by ours`).toEqual([]);
        }
      }
  });

  it('compared pairs both equal and different', () => {
    const t = tally.get(backend.name);
    console.info(`oracle parity on ${backend.name}: ${JSON.stringify(t)}`);
    expect(t?.pairs ?? 0).toBeGreaterThan(sample.length);
    expect(t!.equalShared).toBeGreaterThan(0);
    expect(t!.equalShared).toBeLessThan(t!.pairs);
  });
});
