/**
 * A generated, phased migration (a rename and a type change: `_kk_` copies kept in sync by triggers, a batched
 * backfill, the swap in contract) rehearsed under the workload: the old-shaped client runs through expand and
 * backfill, the new-shaped one through backfill and contract, and neither fails where the phases promise it
 * works; the backfill's rows per second come from keikaku.backfill_progress. On the test server.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { generate, rehearse } from '../../src/api.js';
import { runMigrations } from '../../src/apply/index.js';
import { createScratchDatabase } from '../../src/db/scratch.js';
import { openPglite } from '../../src/db/pglite.js';
import { readHistory } from '../../src/load/migrations.js';
import { readSchema } from '../../src/load/source.js';
import type { DesiredLoader } from '../../src/project/desired.js';
import { FAST, removeTempDirs, tempDir } from '../apply/support.js';
import { backends } from '../support/backends.js';

afterAll(removeTempDirs);

const server = (await backends()).find((b) => b.name === 'server');

const fromSql = (sql: string, hints: string[] = []): DesiredLoader => async () => {
  const db = await openPglite({ extensions: [] });
  try {
    await db.exec(sql);
    return { schema: await readSchema(db), hints };
  } finally {
    await db.close();
  }
};

const V1 = 'CREATE TABLE accounts (id bigint PRIMARY KEY, full_name text NOT NULL, score int NOT NULL DEFAULT 0);';
const V2 = 'CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL, score bigint NOT NULL DEFAULT 0);';

describe.skipIf(!server)(`a phased migration rehearsed on ${server?.title ?? 'a server (none reachable: skipped)'}`, () => {
  it('old- and new-shaped clients in the phases that promise them: no failed statement; backfill rows/s measured; data round-trips', async () => {
    const root = tempDir('kk-rehearse-phased-');
    const config = { root };
    await generate({ ...config, desired: fromSql(V1), name: 'init', now: new Date('2026-01-01T00:00:00Z') });
    const second = await generate({ ...config, desired: fromSql(V2, ['"public"."accounts"."full_name"=name']), name: 'rename and widen', now: new Date('2026-01-02T00:00:00Z') });
    expect(second.kind).not.toBe('unchanged');
    const history = readHistory(`${root}/generated`);
    const [first, pending] = history.migrations as [(typeof history.migrations)[0], (typeof history.migrations)[0]];
    expect(pending.plan.phases.map((p) => p.name)).toEqual(['expand', 'backfill', 'contract']);

    const source = await createScratchDatabase(server!.serverUrl!);
    try {
      expect((await runMigrations(source.db, { history, direction: 'up', to: first.id, timeouts: FAST, by: 'test' })).outcome).toBe('done');
      await source.db.exec(`INSERT INTO accounts SELECT g, 'name ' || g, g % 1000 FROM generate_series(1, 20000) g; ANALYZE accounts`);
      await source.db.close();

      const r = await rehearse({ root, databaseUrl: source.url, timeouts: { lockTimeoutMs: 5_000 } });
      expect(r.failure).toBeNull();
      expect([...new Set(r.steps.map((s) => s.phase))]).toEqual(['expand', 'backfill', 'contract']);
      expect(r.steps.reduce((n, s) => n + s.workloadStatements, 0)).toBeGreaterThan(0);
      expect(r.steps.filter((s) => s.failedStatements > 0).map((s) => [s.phase, s.step, s.workloadErrors])).toEqual([]);
      const backfill = r.steps.filter((s) => s.phase === 'backfill');
      expect(backfill.some((s) => (s.rowsPerSecond ?? 0) > 0)).toBe(true);
      expect(backfill.every((s) => !s.rewrote)).toBe(true);
      expect(r.roundTrip?.ok).toBe(true);
      expect(r.roundTrip?.tables).toEqual([
        expect.objectContaining({ table: 'public.accounts', rowsBefore: 20000, rowsAfterDown: 20000, rowsAfterUp: 20000, downRestored: true, upReapplied: true }),
      ]);
      expect(r.findings).toEqual([]);
    } finally {
      await source.drop();
    }
  });
});
