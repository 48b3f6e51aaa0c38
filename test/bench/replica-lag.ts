/**
 * Replica lag during a batched backfill, unthrottled and throttled (docs/replicas.md): a primary and a streaming
 * standby (test/support/replica.ts), a table of ROWS rows, and the same backfill run twice, on two databases; the
 * lag (`pg_stat_replication`, bytes not replayed and `replay_lag`) is sampled every 25 ms from a third session.
 *
 *   npx tsx test/bench/replica-lag.ts [--rows 1000000] [--batch 1000] [--bound 4MB] [--apply-delay 100ms]
 *
 * `--apply-delay` makes the standby slow to replay (recovery_min_apply_delay): a backfill then outruns it, as it
 * does a busy or distant replica.
 */
import { rmSync } from 'node:fs';
import { apply } from '../../src/api.js';
import { formatBytes } from '../../src/apply/throttle.js';
import { connectPg } from '../../src/db/pg.js';
import type { Column, Table } from '../../src/model/schema.js';
import { batchedUpdateSql } from '../../src/render/backfill.js';
import { removeTempDirs, tempDir, tx, writeMigrations } from '../apply/support.js';
import { tempProjectConfig } from '../support/project-config.js';
import { startReplicaPair } from '../support/replica.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const ROWS = Number(arg('rows', '1000000'));
const BATCH = Number(arg('batch', '1000'));
const BOUND = arg('bound', '4MB');
const DELAY = arg('apply-delay', '100ms');

const id = { name: 'id', type: 'integer' } as unknown as Column;
const big = { kind: 'table', schema: 'public', name: 'big' } as unknown as Table;
const generated = writeMigrations(tempDir('kk-bench-lag-'), [
  {
    id: '20260101000000_big',
    phases: [
      { name: 'expand', up: tx('CREATE TABLE big (id int PRIMARY KEY, v int, pad text)', `INSERT INTO big (id, pad) SELECT g, repeat('x', 40) FROM generate_series(1, ${ROWS}) g`) },
      { name: 'backfill', up: `${batchedUpdateSql({ table: big, key: [id], set: '"v" = "id"', pending: '"v" IS NULL', batchSize: BATCH, pause: 0 })}\n` },
    ],
  },
]);

const pair = await startReplicaPair(DELAY === '0' ? [] : [`recovery_min_apply_delay=${DELAY}`]);
const primary = await connectPg(pair.primaryUrl);
try {
  const run = async (name: string, throttled: boolean) => {
    await primary.exec(`CREATE DATABASE ${name}`);
    const url = pair.primaryUrl.replace(/\/postgres$/, `/${name}`);
    const config = tempProjectConfig('kk-bench-cfg-', {
      generatedDir: generated,
      throttle: throttled ? { maxLagBytes: parseBound(BOUND), maxLagMs: undefined, pauseWhenDisconnected: false } : undefined,
    });
    await apply({ config, databaseUrl: url, phase: 'expand' });
    // Caught up before the backfill starts.
    for (let i = 0; i < 600; i++) {
      const [row] = await primary.query<{ b: string | null }>('SELECT max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn))::bigint AS b FROM pg_stat_replication');
      if (Number(row?.b ?? 0) === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    let maxBytes = 0;
    let maxMs = 0;
    let stop = false;
    const sampler = (async () => {
      while (!stop) {
        const [row] = await primary.query<{ b: string | null; ms: string | null }>(
          'SELECT max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn))::bigint AS b, max(extract(epoch FROM replay_lag) * 1000)::bigint AS ms FROM pg_stat_replication',
        );
        maxBytes = Math.max(maxBytes, Number(row?.b ?? 0));
        maxMs = Math.max(maxMs, Number(row?.ms ?? 0));
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    let pauses = 0;
    let pausedMs = 0;
    const t0 = performance.now();
    const outcome = await apply({
      config,
      databaseUrl: url,
      onEvent: (e) => {
        if (e.kind === 'throttled') ({ pauses, pausedMs } = e.summary);
      },
    });
    const ms = Math.round(performance.now() - t0);
    stop = true;
    await sampler;
    rmSync(config.root, { recursive: true, force: true });
    if (outcome.kind !== 'ran' || outcome.result.outcome !== 'done') throw new Error(`${name}: ${JSON.stringify(outcome)}`);
    console.log(
      `${name.padEnd(11)} ${ROWS.toLocaleString('en-US')} rows in ${(ms / 1000).toFixed(1)} s; max replica lag ${formatBytes(maxBytes)}, ${maxMs} ms` +
        (throttled ? `; bound ${BOUND}; paused ${pauses} times, ${(pausedMs / 1000).toFixed(1)} s in all` : ''),
    );
  };
  console.log(`standby recovery_min_apply_delay ${DELAY}, batches of ${BATCH}`);
  await run('unthrottled', false);
  await run('throttled', true);
} finally {
  await primary.close();
  await pair.stop();
  removeTempDirs();
}

function parseBound(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|kB|MB|GB)?$/i.exec(text);
  if (!m) throw new Error(`--bound ${text}`);
  return Number(m[1]) * ({ b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 } as Record<string, number>)[(m[2] ?? 'b').toLowerCase()]!;
}
