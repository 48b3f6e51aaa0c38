/**
 * apply / down / status on both backends, through the stage's entry function: the example history applied,
 * undone and applied again (catalogs compared), the journal's contents, resumption, refusals, progress notices.
 */
import { rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMigrations, previewRun } from '../../src/apply/index.js';
import { markApplied, phaseStates, readJournal, stateKey } from '../../src/apply/journal.js';
import { readStatus } from '../../src/apply/status.js';
import type { RunEvent, RunResult } from '../../src/apply/types.js';
import type { Db } from '../../src/db/types.js';
import { readHistory, replay } from '../../src/load/migrations.js';
import { backends, withFreshDb } from '../support/backends.js';
import { snapshot } from '../support/snapshot.js';
import { exampleGenerated, FAST, removeTempDirs, resum, tempDir, tx, upRequest, writeMigrations } from './support.js';

afterAll(removeTempDirs);

const all = await backends();

const done = (r: RunResult) => {
  if (r.outcome !== 'done') throw new Error(`expected done, got ${JSON.stringify(r, null, 2)}`);
  return r;
};

const refusalCodes = (r: RunResult) => (r.outcome === 'refused' ? r.refusals.map((x) => x.code) : [`not refused: ${r.outcome}`]);

const tables = async (db: Db) =>
  (await db.query<{ t: string }>(`SELECT relname::text AS t FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1`)).map((r) => r.t);

const THREE = (root: string) =>
  writeMigrations(root, [
    { id: '20260101000000_a', phases: [{ name: 'expand', up: tx('CREATE TABLE a (id int)'), down: tx('DROP TABLE a') }] },
    {
      id: '20260102000000_b',
      phases: [
        { name: 'expand', up: tx('CREATE TABLE b (id int)') + tx('CREATE TABLE b2 (id int)'), down: tx('DROP TABLE b2') + tx('DROP TABLE b') },
        { name: 'contract', up: tx('ALTER TABLE a ADD COLUMN x int'), down: tx('ALTER TABLE a DROP COLUMN x') },
      ],
    },
    { id: '20260103000000_c', phases: [{ name: 'expand', up: tx('CREATE TABLE c (id int)'), down: tx('DROP TABLE c') }] },
  ]);

describe.each(all)('apply on $title', (backend) => {
  it('applies the example history, undoes it all, applies it again: same catalog as a plain replay each way', () =>
    withFreshDb(backend, async (db) => {
      const generated = exampleGenerated();
      const history = readHistory(generated);
      const empty = await snapshot(db);
      const events: RunEvent[] = [];
      const first = done(await runMigrations(db, upRequest(generated, { onEvent: (e) => events.push(e) })));
      expect(first.ran.map((r) => r.migration)).toEqual(history.migrations.map((m) => m.id));
      const applied = await snapshot(db);
      expect(events.filter((e) => e.kind === 'step-done').length).toBeGreaterThanOrEqual(history.migrations.length);

      // the same files run as psql would run them, on a second database of the same backend
      await withFreshDb(backend, async (other) => {
        await replay(other, history.migrations);
        expect(await snapshot(other)).toEqual(applied);
      });

      const down = done(await runMigrations(db, { ...upRequest(generated), direction: 'down', steps: history.migrations.length }));
      expect(down.ran.map((r) => r.migration)).toEqual(history.migrations.map((m) => m.id).reverse());
      expect(await snapshot(db)).toEqual(empty);

      done(await runMigrations(db, upRequest(generated)));
      expect(await snapshot(db)).toEqual(applied);

      const journal = await readJournal(db);
      expect(journal.filter((e) => e.direction === 'up' && e.status === 'applied')).toHaveLength(2 * history.migrations.length);
      expect(journal.filter((e) => e.direction === 'down' && e.status === 'reverted')).toHaveLength(history.migrations.length);
      expect(journal.every((e) => e.finishedAt !== null && e.durationMs !== null && e.appliedBy.includes('test'))).toBe(true);
      // a second apply finds nothing to do
      expect(done(await runMigrations(db, upRequest(generated))).ran).toEqual([]);
    }));

  it('--phase and --to stop where asked; down --to keeps the named migration; status tells each phase', () =>
    withFreshDb(backend, async (db) => {
      const generated = THREE(tempDir());
      const r1 = done(await runMigrations(db, upRequest(generated, { phase: 'expand' })));
      // b's contract comes before c's expand: the run stops there
      expect(r1.ran.map((r) => `${r.migration}:${r.phase}`)).toEqual(['20260101000000_a:expand', '20260102000000_b:expand']);
      expect(await tables(db)).toEqual(['a', 'b', 'b2']);
      const status = await readStatus(db, readHistory(generated));
      expect(status.migrations.map((m) => m.phases.map((p) => `${p.phase}:${p.state}:${p.checksum}`))).toEqual([
        ['expand:applied:ok'],
        ['expand:applied:ok', 'contract:pending:-'],
        ['expand:pending:-'],
      ]);
      const r2 = done(await runMigrations(db, upRequest(generated, { to: '20260102000000_b' })));
      expect(r2.ran.map((r) => `${r.migration}:${r.phase}`)).toEqual(['20260102000000_b:contract']);
      done(await runMigrations(db, upRequest(generated)));
      expect(await tables(db)).toEqual(['a', 'b', 'b2', 'c']);
      const r3 = done(await runMigrations(db, { ...upRequest(generated), direction: 'down', to: '20260101000000_a' }));
      expect(r3.ran.map((r) => `${r.migration}:${r.file}`)).toEqual([
        '20260103000000_c:1_expand.down.sql',
        '20260102000000_b:3_contract.down.sql',
        '20260102000000_b:1_expand.down.sql',
      ]);
      expect(await tables(db)).toEqual(['a']);
      const cols = await db.query(`SELECT 1 FROM pg_attribute WHERE attrelid = 'a'::regclass AND attname = 'x'`);
      expect(cols).toEqual([]);
    }));

  it('a failed step leaves the steps before it committed, the journal says so, and the next run resumes after them', () =>
    withFreshDb(backend, async (db) => {
      const root = tempDir();
      const generated = writeMigrations(root, [
        {
          id: '20260101000000_a',
          phases: [{ name: 'expand', up: tx('CREATE TABLE a (id int)') + tx('CREATE TABLE b (id int)', 'INSERT INTO a VALUES (1 / (SELECT count(*) FROM a))') + tx('CREATE TABLE c (id int)') }],
        },
      ]);
      const r = await runMigrations(db, upRequest(generated));
      expect(r.outcome).toBe('failed');
      if (r.outcome !== 'failed') return;
      expect(r.failure.step).toBe(2);
      expect(r.failure.stepsDone).toBe(1);
      expect(r.failure.message).toMatch(/1_expand\.up\.sql:\d+: ERROR: division by zero/);
      expect(await tables(db)).toEqual(['a']); // step 2 rolled back whole: no table b
      const [entry] = await readJournal(db);
      expect(entry).toMatchObject({ status: 'failed', stepsDone: 1, stepsTotal: 3 });
      expect(entry!.error).toContain('division by zero');
      const status = await readStatus(db, readHistory(generated));
      expect(status.migrations[0]!.phases[0]).toMatchObject({ state: 'failed', stepsDone: 1, stepsTotal: 3 });

      await db.exec('INSERT INTO a VALUES (1)'); // the cause fixed by hand
      const resumed = done(await runMigrations(db, upRequest(generated)));
      expect(resumed.ran[0]).toMatchObject({ resumedFrom: 1, steps: 3 });
      expect(await tables(db)).toEqual(['a', 'b', 'c']);
      expect((await db.query(`SELECT id FROM a ORDER BY id`)).length).toBe(2);
    }));

  it('refuses an edited applied migration, a removed one, two heads, an out-of-order one, and a foreign database', () =>
    withFreshDb(backend, async (db) => {
      const root = tempDir();
      const generated = THREE(root);
      done(await runMigrations(db, upRequest(generated, { to: '20260102000000_b' })));
      const before = await snapshot(db);
      const journalBefore = await readJournal(db);

      // edited after it was applied, with the sum file updated to match (so only the journal can tell)
      const bFile = join(generated, 'migrations/20260102000000_b/1_expand.up.sql');
      appendFileSync(bFile, '-- edited\n');
      resum(generated);
      const edited = await runMigrations(db, upRequest(generated));
      expect(refusalCodes(edited)).toEqual(['CHECKSUM']);
      if (edited.outcome === 'refused') expect(edited.refusals[0]!.message).toContain('20260102000000_b/1_expand.up.sql was edited after it was applied');
      // edited without updating the sum file: the history itself is refused too
      appendFileSync(bFile, '-- again\n');
      expect(refusalCodes(await runMigrations(db, upRequest(generated)))).toEqual(['HISTORY', 'CHECKSUM']);

      // removed: the journal names a migration the directory lacks (a fresh copy without b and c)
      const other = writeMigrations(tempDir(), [{ id: '20260101000000_a', phases: [{ name: 'expand', up: tx('CREATE TABLE a (id int)'), down: tx('DROP TABLE a') }] }]);
      expect(refusalCodes(await runMigrations(db, upRequest(other)))).toEqual(['UNKNOWN_MIGRATION']);

      // two heads: two migrations follow the same parent
      const heads = writeMigrations(tempDir(), [
        { id: '20260101000000_a', phases: [{ name: 'expand', up: tx('CREATE TABLE a (id int)') }] },
        { id: '20260102000000_x', phases: [{ name: 'expand', up: tx('CREATE TABLE x (id int)') }] },
        { id: '20260102000001_y', parent: '20260101000000_a', phases: [{ name: 'expand', up: tx('CREATE TABLE y (id int)') }] },
      ]);
      const twoHeads = await runMigrations(db, upRequest(heads));
      expect(refusalCodes(twoHeads)).toContain('HISTORY');
      if (twoHeads.outcome === 'refused') expect(twoHeads.refusals.map((r) => r.message).join('\n')).toContain('TWO_HEADS');

      // a migration inserted before applied ones
      const inserted = writeMigrations(tempDir(), [
        { id: '20260101000000_a', phases: [{ name: 'expand', up: tx('CREATE TABLE a (id int)'), down: tx('DROP TABLE a') }] },
        { id: '20260101120000_new', phases: [{ name: 'expand', up: tx('CREATE TABLE n (id int)') }] },
        { id: '20260102000000_b', phases: [{ name: 'expand', up: tx('CREATE TABLE b (id int)') }] },
      ]);
      // b's file differs here too; the order is what matters
      expect(refusalCodes(await runMigrations(db, upRequest(inserted)))).toContain('OUT_OF_ORDER');

      expect(await snapshot(db)).toEqual(before);
      expect(await readJournal(db)).toEqual(journalBefore);
    }));

  it('refuses a database that has tables but no journal, and baselining (markApplied) adopts it', () =>
    withFreshDb(backend, async (db) => {
      const generated = THREE(tempDir());
      await db.exec('CREATE TABLE a (id int)');
      const r = await runMigrations(db, upRequest(generated));
      expect(refusalCodes(r)).toEqual(['NOT_EMPTY']);
      if (r.outcome === 'refused') expect(r.refusals[0]!.message).toContain('public.a');
      expect(await readJournal(db)).toEqual([]); // nothing created, not even the journal
      expect((await db.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'keikaku'`)).length).toBe(0);

      const history = readHistory(generated);
      await markApplied(db, history.migrations[0]!, ['expand']);
      const states = phaseStates(await readJournal(db));
      expect(states.get(stateKey('20260101000000_a', 'expand'))?.state).toBe('applied');
      const next = done(await runMigrations(db, upRequest(generated)));
      expect(next.ran.map((x) => x.migration)).toEqual(['20260102000000_b', '20260102000000_b', '20260103000000_c']);
    }));

  it('reports keikaku:progress notices of a backfill as progress events, other notices as notices', () =>
    withFreshDb(backend, async (db) => {
      const backfill = `DO $$
BEGIN
  RAISE NOTICE 'keikaku:progress table=public.t done=50 total=100';
  RAISE NOTICE 'keikaku:progress table=public.t done=100 total=100';
  RAISE NOTICE 'keikaku:progress table=my app.order items done=7 total=9';
  RAISE NOTICE 'plain notice';
END
$$;
`;
      const generated = writeMigrations(tempDir(), [
        { id: '20260101000000_a', phases: [{ name: 'expand', up: tx('CREATE TABLE t (id int)') }, { name: 'backfill', up: backfill }] },
      ]);
      const events: RunEvent[] = [];
      done(await runMigrations(db, upRequest(generated, { onEvent: (e) => events.push(e) })));
      const progress = events.flatMap((e) => (e.kind === 'progress' ? [[e.table, e.done, e.total]] : []));
      expect(progress).toEqual([
        ['public.t', 50, 100],
        ['public.t', 100, 100],
        ['my app.order items', 7, 9],
      ]);
      expect(events.some((e) => e.kind === 'notice' && e.message === 'plain notice')).toBe(true);
      // down of a phase without a down file (the backfill) runs nothing and is recorded
      const down = done(await runMigrations(db, { ...upRequest(generated), direction: 'down' }));
      expect(down.ran.map((r) => r.file)).toEqual(['2_backfill.down.sql', '1_expand.down.sql']);
    }));

  it('a backfill DO block that commits batch by batch runs as a step of its own, reporting progress', () =>
    withFreshDb(backend, async (db) => {
      const backfill = `DO $kk$
DECLARE
  total bigint;
  done bigint := 0;
  n bigint;
BEGIN
  SELECT count(*) INTO total FROM t WHERE v IS NULL;
  LOOP
    UPDATE t SET v = id * 2 WHERE id IN (SELECT id FROM t WHERE v IS NULL ORDER BY id LIMIT 4);
    GET DIAGNOSTICS n = ROW_COUNT;
    EXIT WHEN n = 0;
    done := done + n;
    RAISE NOTICE 'keikaku:progress table=% done=% total=%', 'public.t', done, total;
    COMMIT;
  END LOOP;
END
$kk$;
`;
      const generated = writeMigrations(tempDir(), [
        {
          id: '20260101000000_a',
          phases: [
            { name: 'expand', up: tx('CREATE TABLE t (id int PRIMARY KEY, v int)', 'INSERT INTO t SELECT g FROM generate_series(1, 10) g') },
            { name: 'backfill', up: backfill },
          ],
        },
      ]);
      const events: RunEvent[] = [];
      done(await runMigrations(db, upRequest(generated, { onEvent: (e) => events.push(e) })));
      expect(events.flatMap((e) => (e.kind === 'progress' ? [`${e.done}/${e.total}`] : []))).toEqual(['4/10', '8/10', '10/10']);
      expect(await db.query(`SELECT count(*)::int AS n FROM t WHERE v = id * 2`)).toEqual([{ n: 10 }]);
    }));

  // PGlite (single-threaded WASM) never fires statement_timeout: a server-only behaviour.
  it.skipIf(backend.name === 'pglite')('a statement over the statement timeout fails the step, once (no retry), and nothing of it stays', () =>
    withFreshDb(backend, async (db) => {
      const generated = writeMigrations(tempDir(), [
        { id: '20260101000000_a', phases: [{ name: 'expand', up: tx('CREATE TABLE a (id int)', 'SELECT pg_sleep(2)') }] },
      ]);
      const events: RunEvent[] = [];
      const r = await runMigrations(db, upRequest(generated, { timeouts: { ...FAST, statementTimeoutMs: 200 }, onEvent: (e) => events.push(e) }));
      expect(r.outcome).toBe('failed');
      if (r.outcome === 'failed') expect(r.failure.message).toMatch(/1_expand\.up\.sql:\d+: ERROR: canceling statement due to statement timeout/);
      expect(events.filter((e) => e.kind === 'retry')).toEqual([]);
      expect(await tables(db)).toEqual([]);
      expect((await db.query<{ s: string }>(`SELECT current_setting('statement_timeout') AS s`))[0]!.s).toBe('0');
    }));

  it('previewRun reads without writing: no journal appears', () =>
    withFreshDb(backend, async (db) => {
      const generated = THREE(tempDir());
      const preview = await previewRun(db, upRequest(generated));
      expect(preview.kind === 'ready' && preview.phases.length).toBe(4);
      expect((await db.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'keikaku'`)).length).toBe(0);
      rmSync(join(generated, 'migrations.sum'));
      writeFileSync(join(generated, 'migrations.sum'), 'garbage\n');
      expect((await previewRun(db, upRequest(generated))).kind).toBe('refused');
    }));
});
