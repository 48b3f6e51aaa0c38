/**
 * A fixed sample of the shared corpus through the whole differ on every backend, judged by the catalog:
 * up converges on the desired schema, a second diff is empty, down restores the original. On the server and
 * on PGlite the same diff must come out (same changes, in the same order).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/types.js';
import { readSchema } from '../../src/load/source.js';
import { describeChange } from '../../src/model/describe.js';
import { backends, type Backend } from '../support/backends.js';
import { corpusAvailable, loadCorpus, reportCorpusMissing, type CorpusCase } from '../support/corpus.js';
import { applyScript, migration } from '../support/migrate.js';
import { snapshot } from '../support/snapshot.js';

const EVERY = Number(process.env.KEIKAKU_CORPUS_EVERY ?? 12);
const sample = loadCorpus().filter((_, i) => i % EVERY === 0);
const all = await backends();

const ensureRoles = async (db: Db, roles: readonly string[]) => {
  for (const r of roles)
    await db.exec(
      `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${r.replace(/'/g, "''")}') THEN CREATE ROLE "${r.replace(/"/g, '""')}"; END IF; END $$`,
    );
};

/** Loads a side; null when this backend's Postgres rejects the case's SQL (PG18 vs PG15 grammar). */
const load = async (db: Db, c: CorpusCase, sql: string) => {
  try {
    await ensureRoles(db, c.roles);
    await db.exec(`${c.setup}\n${sql}`);
    return true;
  } catch {
    return false;
  }
};

/** Change descriptions per case and backend, for the parity check. */
const seen = new Map<string, Map<string, string[]>>();

interface Outcome {
  readonly skipped: boolean;
  readonly changes: string[];
}

const runCase = async (backend: Backend, c: CorpusCase): Promise<Outcome> => {
  const snap = (db: Db) => snapshot(db, { notNullConstraints: false });
  const b = await backend.freshDb();
  let desired;
  let snapB: string[];
  try {
    if (!(await load(b.db, c, c.desired))) return { skipped: true, changes: [] };
    desired = await readSchema(b.db);
    snapB = await snap(b.db);
  } finally {
    await b.release();
  }
  const a = await backend.freshDb();
  try {
    if (!(await load(a.db, c, c.current))) return { skipped: true, changes: [] };
    if (c.data) await a.db.exec(c.data);
    const snapA = await snap(a.db);
    const m = migration(await readSchema(a.db), desired, c.renames);
    await applyScript(a.db, m.up, a.url);
    expect(await snap(a.db), `${c.id}: up reaches the desired schema\n${m.up}`).toEqual(snapB);
    expect(migration(await readSchema(a.db), desired).steps.map((s) => s.sql.join(' ')), `${c.id}: converges`).toEqual([]);
    await applyScript(a.db, m.down, a.url);
    expect(await snap(a.db), `${c.id}: down restores the original\n${m.down}`).toEqual(snapA);
    return { skipped: false, changes: m.steps.map((s) => describeChange(s.change)) };
  } finally {
    await a.release();
  }
};

/** Cases known not to pass on a backend, with why; a case listed here that passes fails the test (stale). */
const KNOWN: Record<string, Record<string, string>> = { server: {}, pglite: {} };

reportCorpusMissing('corpus sample');

describe.skipIf(!corpusAvailable).each(all)('corpus sample (every $title)', (backend) => {
  it.each(sample.map((c) => [c.id, c] as const))('%s', async (id, c) => {
    const known = KNOWN[backend.name]?.[id];
    let outcome: Outcome | undefined;
    let error: unknown;
    try {
      outcome = await runCase(backend, c);
    } catch (e) {
      error = e;
    }
    if (known) {
      expect(error, `${id} is listed as known to fail (${known}) but passed`).toBeDefined();
      return;
    }
    if (error) throw error;
    if (outcome && !outcome.skipped) {
      let m = seen.get(id);
      if (!m) seen.set(id, (m = new Map()));
      m.set(backend.name, outcome.changes);
    }
  });
});

describe.skipIf(!corpusAvailable)('server and PGlite give the same diff', () => {
  it.runIf(all.length > 1)('for every sampled case both load', () => {
    const compared = [...seen.entries()].filter(([, m]) => m.size === 2);
    expect(compared.length).toBeGreaterThan(sample.length / 2);
    for (const [id, m] of compared) expect(m.get('pglite'), id).toEqual(m.get('server'));
  });
});
