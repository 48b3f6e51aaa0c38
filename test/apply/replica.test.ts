/**
 * keikaku with a real streaming replica (docs/replicas.md): a primary and a hot standby made with
 * `pg_basebackup -R` (test/support/replica.ts), started for this file and stopped after.
 * - `status` and `check` against the standby work, read-only (no journal, no mark, no scratch database there);
 * - `apply` and `down` against it refuse (exit 3) with the reason, before anything;
 * - a batched backfill, throttled by `backfill.maxReplicaLagBytes`, waits while the standby's replay is paused
 *   (`pg_wal_replay_pause()`) and the lag is over the bound, and goes on when replay resumes; the progress line
 *   shows the lag; the same through PgBouncer in transaction mode (the gate is held in an open transaction). Unthrottled,
 *   the same backfill runs to its end while the lag grows past the bound.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, type RunOutcome } from '../../src/api.js';
import type { RunEvent } from '../../src/apply/types.js';
import { connectPg } from '../../src/db/pg.js';
import type { Db } from '../../src/db/types.js';
import type { Column, Table } from '../../src/model/schema.js';
import { batchedUpdateSql } from '../../src/render/backfill.js';
import { ensureBuilt } from '../load/built.js';
import { runCliIn } from '../support/cli.js';
import { pgbouncerUnavailable, startPgbouncer } from '../support/pgbouncer.js';
import { replicaUnavailable, startReplicaPair, type ReplicaPair } from '../support/replica.js';
import { tempProjectConfig } from '../support/project-config.js';
import { project, removeProjects } from '../cli/tmp-project.js';
import { removeTempDirs, tempDir, tx, writeMigrations } from './support.js';

const why = replicaUnavailable();

const SCHEMA = {
  'notes.ts': `import { integer, table, text } from 'keikaku';

export const notes = table('notes', { id: integer().primaryKey(), body: text() });
`,
};

const id = { name: 'id', type: 'integer' } as unknown as Column;
const big = { kind: 'table', schema: 'public', name: 'big' } as unknown as Table;
const ROWS = 150_000;

/** A table of ROWS rows and a backfill of it in batches of 2,000 (each batch some hundreds of kB of WAL). */
const backfillHistory = () =>
  writeMigrations(tempDir('kk-replica-'), [
    {
      id: '20260101000000_big',
      phases: [
        { name: 'expand', up: tx('CREATE TABLE big (id int PRIMARY KEY, v int, pad text)', `INSERT INTO big (id, pad) SELECT g, repeat('x', 40) FROM generate_series(1, ${ROWS}) g`) },
        { name: 'backfill', up: `${batchedUpdateSql({ table: big, key: [id], set: '"v" = "id"', pending: '"v" IS NULL', batchSize: 2_000, pause: 0 })}\n` },
      ],
    },
  ]);

/** Waits until the standby has replayed everything the primary wrote so far. */
const caughtUp = async (primary: Db, standby: Db) => {
  const [{ lsn }] = (await primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')) as [{ lsn: string }];
  for (let i = 0; i < 300; i++) {
    const [row] = await standby.query<{ ok: boolean }>('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS ok', [lsn]);
    if (row?.ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the standby did not catch up in 15 s');
};

const lagBytes = async (primary: Db): Promise<number> =>
  Number((await primary.query<{ b: string | null }>('SELECT max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn))::bigint AS b FROM pg_stat_replication'))[0]?.b ?? 0);

describe.skipIf(why !== undefined)(`a streaming replica${why ? ` (skipped: ${why})` : ''}`, () => {
  let pair: ReplicaPair;
  let primary: Db;
  let standby: Db;
  beforeAll(async () => {
    await ensureBuilt();
    // Replay cancels a conflicting standby query after 300 ms (default 30 s), so a conflict shows quickly.
    pair = await startReplicaPair(['max_standby_streaming_delay=300ms']);
    primary = await connectPg(pair.primaryUrl);
    standby = await connectPg(pair.standbyUrl);
  }, 600_000);
  /** A new database on the primary (replicated to the standby), by URL. */
  const freshDatabase = async (name: string): Promise<string> => {
    await primary.exec(`CREATE DATABASE ${name}`);
    const url = new URL(pair.primaryUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  afterAll(async () => {
    await standby?.close().catch(() => undefined);
    await primary?.close().catch(() => undefined);
    await pair?.stop();
    removeProjects();
    removeTempDirs();
  });

  it('status and check work on the standby, read-only; every command that writes refuses there (exit 3)', async () => {
    const dir = project(SCHEMA);
    process.env.KEIKAKU_NOW = '2026-04-01T10:00:00Z';
    try {
      expect((await runCliIn(dir, 'generate', 'notes')).code).toBe(0);
    } finally {
      delete process.env.KEIKAKU_NOW;
    }
    expect((await runCliIn(dir, 'apply', '--database-url', pair.primaryUrl)).code).toBe(0);
    await caughtUp(primary, standby);

    const status = await runCliIn(dir, 'status', '--database-url', pair.standbyUrl);
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('hot standby (read-only)');
    expect(status.stdout).toMatch(/1 applied, 0 pending/);

    const check = await runCliIn(dir, 'check', '--database-url', pair.standbyUrl);
    expect(check.code, `${check.stdout}\n${check.stderr}`).toBe(0);

    for (const args of [
      ['apply'],
      ['down'],
      ['resolve', '20260401100000_notes', '--rolled-back'],
      ['reset', '--yes'],
      ['archive', 'prune', '--older-than', '1s'],
      ['env', 'mark', 'production'],
    ]) {
      const refused = await runCliIn(dir, ...args, '--database-url', pair.standbyUrl);
      expect(refused.code, `${args[0]}: ${refused.stdout}${refused.stderr}`).toBe(3);
      expect(refused.stderr).toMatch(/it is a hot standby \(pg_is_in_recovery\(\) is true\)/);
      expect(refused.stderr).not.toMatch(/read-only transaction|\n\s+at /);
    }
    // pull writes its files, and refuses the baseline it would write into a database with no migrations yet.
    const fresh = project({});
    const pulled = await runCliIn(fresh, 'pull', '--database-url', pair.standbyUrl);
    expect(pulled.code, pulled.stdout + pulled.stderr).toBe(3);
    expect(pulled.stderr).toMatch(/refusing to write a baseline .* hot standby/);
    expect((await runCliIn(fresh, 'pull', '--no-baseline', '--database-url', pair.standbyUrl)).code).toBe(0);
    // Nothing of keikaku was attempted on the standby: its journal is the primary's, replayed.
    await caughtUp(primary, standby);
    expect(await standby.query('SELECT count(*)::int AS n FROM keikaku.journal')).toEqual(await primary.query('SELECT count(*)::int AS n FROM keikaku.journal'));

    // A lock taken on the primary conflicts with a query on the standby: replay cancels it, status counts it.
    const reader = await connectPg(pair.standbyUrl);
    await reader.exec('BEGIN; SELECT count(*) FROM notes');
    await primary.exec('ALTER TABLE notes ADD COLUMN later int');
    // Replay waits max_standby_streaming_delay for the reader, then cancels it.
    await new Promise((r) => setTimeout(r, 1_500));
    await expect(reader.query('SELECT count(*) FROM notes')).rejects.toThrow(/conflict with recovery|terminating connection|connection/i);
    await reader.close().catch(() => undefined);
    let shown = '';
    for (let i = 0; i < 40 && !shown.includes('replay conflicts'); i++) {
      await new Promise((r) => setTimeout(r, 250));
      shown = (await runCliIn(dir, 'status', '--database-url', pair.standbyUrl)).stdout;
    }
    expect(shown).toMatch(/queries cancelled here by replay conflicts: lock [1-9]/);
  }, 300_000);

  const poolerWhy = pgbouncerUnavailable();
  it.each([
    ['directly', false],
    [`through PgBouncer in transaction mode${poolerWhy ? ` (skipped: ${poolerWhy})` : ''}`, true],
  ] as const)('a throttled backfill waits while replay is paused and the lag is over the bound, then finishes; the progress line shows the lag (%s)', async (_, pooled) => {
    if (pooled && poolerWhy) return;
    const direct = await freshDatabase(pooled ? 'throttled_pooled' : 'throttled');
    const pooler = pooled ? await startPgbouncer(pair.primaryUrl, 'transaction') : undefined;
    const url = pooler ? pooler.urlFor(pooled ? 'throttled_pooled' : 'throttled') : direct;
    const generated = backfillHistory();
    const dir = tempDir('kk-replica-proj-');
    writeFileSync(join(dir, 'keikaku.config.ts'), `export default { generatedDir: ${JSON.stringify(generated)}, backfill: { maxReplicaLagBytes: '1MB', maxReplicaLag: '30s' } };\n`);
    // The expand phase (the table) first, replayed; then replay stops before the backfill.
    expect((await runCliIn(dir, 'apply', '--phase', 'expand', '--database-url', url)).code).toBe(0);
    await caughtUp(primary, standby);
    await standby.exec('SELECT pg_wal_replay_pause()');
    const HOLD_MS = 3_000;
    let seenPausedAt = 0;
    let doneAtPause = -1;
    let doneLater = -1;
    const db = await connectPg(direct);
    const done = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM big WHERE v IS NOT NULL'))[0]!.n);
    // While the run waits: the rows done stay the same, then replay resumes.
    const watcher = (async () => {
      const t0 = Date.now();
      while (Date.now() - t0 < 20_000 && (await lagBytes(primary)) <= 1024 * 1024) await new Promise((r) => setTimeout(r, 50));
      seenPausedAt = Date.now();
      await new Promise((r) => setTimeout(r, 600));
      doneAtPause = await done();
      await new Promise((r) => setTimeout(r, HOLD_MS - 600));
      doneLater = await done();
      await standby.exec('SELECT pg_wal_replay_resume()');
    })();
    const t0 = Date.now();
    const run = await runCliIn(dir, 'apply', '--database-url', url);
    const ms = Date.now() - t0;
    await watcher;
    const rowsDone = await done();
    await db.close();
    await pooler?.stop();
    if (pooled) expect(run.stdout).toMatch(/connection: through a transaction-mode pooler \(detected.*lease row/);
    expect(run.code, run.stderr).toBe(0);
    expect(seenPausedAt).toBeGreaterThan(0);
    expect(doneAtPause).toBeGreaterThan(0);
    expect(doneAtPause).toBeLessThan(ROWS);
    expect(doneLater).toBe(doneAtPause);
    expect(ms).toBeGreaterThanOrEqual(HOLD_MS);
    expect(rowsDone).toBe(ROWS);
    if (process.env.KEIKAKU_SHOW_OUTPUT) console.log(run.stdout);
    expect(run.stdout).toMatch(/backfill paused: replica lag [\d.]+ (B|kB|MB)( \(\+[\d.]+ (kB|MB) written by the next reading\))? > 1\.0 MB/);
    expect(run.stdout).toMatch(/backfill resumed: replica lag/);
    expect(run.stdout).toMatch(/progress public\.big: [\d,]+\/150,000 rows .*replica lag [\d.]+ (B|kB|MB)/);
    expect(run.stdout).toMatch(/replica lag during the backfill: at most [\d.]+ (kB|MB).*; paused [1-9]\d* times?, \d+ ms in all/);
  }, 120_000);

  it('unthrottled, the same backfill runs to its end with replay paused, the lag growing past the bound', async () => {
    const url = await freshDatabase('unthrottled');
    await caughtUp(primary, standby);
    const generated = backfillHistory();
    const config = tempProjectConfig('kk-replica-cfg-', { generatedDir: generated });
    await apply({ config, databaseUrl: url, phase: 'expand' });
    await caughtUp(primary, standby);
    await standby.exec('SELECT pg_wal_replay_pause()');
    try {
      const events: RunEvent[] = [];
      const outcome: RunOutcome = await apply({ config, databaseUrl: url, onEvent: (e) => events.push(e) });
      expect(outcome.kind === 'ran' && outcome.result.outcome).toBe('done');
      expect(events.some((e) => e.kind === 'replica-lag' || e.kind === 'throttled')).toBe(false);
      expect(await lagBytes(primary)).toBeGreaterThan(1024 * 1024);
    } finally {
      await standby.exec('SELECT pg_wal_replay_resume()');
    }
  }, 120_000);
});
