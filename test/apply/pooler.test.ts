/**
 * `apply` through a real PgBouncer (docs/connections.md). In transaction mode a session advisory lock, a `SET`
 * and `set_config(…, false)` do not hold across statements: keikaku detects the pooler and runs with the lease
 * (keikaku.apply_lease) and per-transaction settings, or over `directUrl`. Eight concurrent `apply` runs through
 * the pooler must still apply each step exactly once: counted in the journal and in what the steps made (a row
 * each step inserts, one valid index built CONCURRENTLY, every row backfilled). Session mode: the advisory lock
 * as usual. The local server is behind the pooler (skipped with a reason when it or pgbouncer is absent).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, type ConnectionRoute, type RunOutcome } from '../../src/api.js';
import { connectPg } from '../../src/db/pg.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js';
import { detectTransactionPooler } from '../../src/apply/pooler.js';
import type { Column, Table } from '../../src/model/schema.js';
import { batchedUpdateSql } from '../../src/render/backfill.js';
import { backends } from '../support/backends.js';
import { pgbouncerUnavailable, startPgbouncer, type Pgbouncer, type PoolMode } from '../support/pgbouncer.js';
import { tempProjectConfig } from '../support/project-config.js';
import { removeTempDirs, tempDir, tx, writeMigrations } from './support.js';

afterAll(removeTempDirs);

const server = (await backends()).find((b) => b.name === 'server');
const why = !server ? 'no PostgreSQL server reachable (see test/support/backends.ts)' : pgbouncerUnavailable();

const id = { name: 'id', type: 'integer' } as unknown as Column;
const items = { kind: 'table', schema: 'public', name: 'items' } as unknown as Table;

/** Two migrations: settings, a counted insert per transaction step, a CONCURRENTLY index, a batched backfill. */
const history = () =>
  writeMigrations(tempDir('kk-pool-'), [
    {
      id: '20260101000000_a',
      phases: [
        {
          name: 'expand',
          up: [
            // A session setting of the file: through the pooler it must reach each transaction as SET LOCAL.
            'SET check_function_bodies = off;',
            tx(
              'CREATE TABLE ran (step text NOT NULL, backend int NOT NULL DEFAULT pg_backend_pid())',
              `CREATE TABLE items (id int PRIMARY KEY, v int)`,
              'INSERT INTO items (id) SELECT g FROM generate_series(1, 3000) g',
              // A body that would not compile now: accepted only with check_function_bodies off in this transaction.
              `CREATE FUNCTION later() RETURNS int LANGUAGE sql AS 'SELECT n FROM not_yet'`,
              `INSERT INTO ran (step) VALUES ('a/expand/1')`,
            ),
            'CREATE INDEX CONCURRENTLY items_v ON items (v);\n',
          ].join('\n'),
        },
        { name: 'backfill', up: `${batchedUpdateSql({ table: items, key: [id], set: '"v" = "id" * 2', pending: '"v" IS NULL', batchSize: 500, pause: 0 })}\n` },
      ],
    },
    {
      id: '20260102000000_b',
      phases: [{ name: 'expand', up: tx('CREATE TABLE not_yet (n int)', `INSERT INTO ran (step) VALUES ('b/expand/1')`) }],
    },
  ]);

interface Run {
  readonly outcome: RunOutcome;
  readonly routes: ConnectionRoute[];
}

const applyVia = async (url: string, generated: string, extra: { directUrl?: string; pooler?: 'detect' | 'none' } = {}): Promise<Run> => {
  const routes: ConnectionRoute[] = [];
  const config = tempProjectConfig('kk-pool-cfg-', { generatedDir: generated, pooler: extra.pooler ?? 'detect' });
  try {
    const outcome = await apply({ config, databaseUrl: url, directUrl: extra.directUrl, onConnection: (c) => routes.push(c), timeouts: { lockTimeoutMs: 5_000 } });
    return { outcome, routes };
  } finally {
    rmSync(config.root, { recursive: true, force: true });
  }
};

/** What the database says was done: journal rows per phase and status, the rows each step inserted, the index. */
const tally = async (url: string) => {
  const db = await connectPg(url);
  try {
    return {
      journal: await db.query<{ migration: string; phase: string; status: string; n: number }>(
        'SELECT migration, phase, status, count(*)::int AS n FROM keikaku.journal GROUP BY 1, 2, 3 ORDER BY 1, 2, 3',
      ),
      ran: await db.query<{ step: string; n: number }>('SELECT step, count(*)::int AS n FROM ran GROUP BY 1 ORDER BY 1'),
      index: await db.query<{ name: string; valid: boolean }>(
        `SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'items'::regclass ORDER BY 1`,
      ),
      backfilled: (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM items WHERE v = id * 2'))[0]!.n,
      // -1: no lease table (the run never needed one); else the rows left (0: released).
      lease: (await db.query<{ ok: boolean }>(`SELECT to_regclass('keikaku.apply_lease') IS NOT NULL AS ok`))[0]!.ok
        ? (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM keikaku.apply_lease'))[0]!.n
        : -1,
    };
  } finally {
    await db.close();
  }
};

const EXACTLY_ONCE = {
  journal: [
    { migration: '20260101000000_a', phase: 'backfill', status: 'applied', n: 1 },
    { migration: '20260101000000_a', phase: 'expand', status: 'applied', n: 1 },
    { migration: '20260102000000_b', phase: 'expand', status: 'applied', n: 1 },
  ],
  ran: [
    { step: 'a/expand/1', n: 1 },
    { step: 'b/expand/1', n: 1 },
  ],
  index: [
    { name: 'items_pkey', valid: true },
    { name: 'items_v', valid: true },
  ],
  backfilled: 3000,
};

describe.skipIf(why !== undefined)(`apply through PgBouncer${why ? ` (skipped: ${why})` : ''}`, () => {
  const poolers = new Map<PoolMode, Pgbouncer>();
  beforeAll(async () => {
    for (const mode of ['transaction', 'session'] as const) poolers.set(mode, await startPgbouncer(server!.serverUrl!, mode));
  }, 30_000);
  afterAll(async () => {
    for (const p of poolers.values()) await p.stop();
  });

  const withScratch = async (fn: (s: ScratchDatabase) => Promise<void>) => {
    const s = await createScratchDatabase(server!.serverUrl!);
    try {
      await s.db.close();
      await fn(s);
    } finally {
      await s.drop();
    }
  };
  const dbName = (url: string) => decodeURIComponent(new URL(url).pathname.slice(1));

  it('detects transaction mode, and not session mode nor a direct connection', () =>
    withScratch(async (s) => {
      for (const [url, expected] of [
        [poolers.get('transaction')!.urlFor(dbName(s.url)), true],
        [poolers.get('session')!.urlFor(dbName(s.url)), false],
        [s.url, false],
      ] as const) {
        const db = await connectPg(url);
        try {
          expect(await detectTransactionPooler(db, () => connectPg(url))).toBe(expected);
        } finally {
          await db.close();
        }
      }
      // A pool of one server session: the probe's own question queues behind its other session's transaction.
      const tiny = await startPgbouncer(server!.serverUrl!, 'transaction', 1);
      try {
        const url = tiny.urlFor(dbName(s.url));
        const db = await connectPg(url);
        try {
          const t0 = Date.now();
          expect(await detectTransactionPooler(db, () => connectPg(url))).toBe(true);
          expect(Date.now() - t0).toBeLessThan(10_000);
        } finally {
          await db.close();
        }
      } finally {
        await tiny.stop();
      }
    }), 30_000);

  it.each(['transaction', 'session'] as const)(
    '%s mode: 8 concurrent apply runs through the pooler apply each step exactly once',
    (mode) =>
      withScratch(async (s) => {
        const generated = history();
        const url = poolers.get(mode)!.urlFor(dbName(s.url));
        const runs = await Promise.all(Array.from({ length: 8 }, () => applyVia(url, generated)));
        for (const r of runs) {
          expect(r.outcome.kind, JSON.stringify(r.outcome)).toBe('ran');
          if (r.outcome.kind === 'ran') expect(r.outcome.result.outcome).toBe('done');
        }
        // The run that did the work ran every phase; the others found nothing left (or part of it).
        const phasesRun = runs.map((r) => (r.outcome.kind === 'ran' && r.outcome.result.outcome === 'done' ? r.outcome.result.ran.length : -1));
        expect(phasesRun.reduce((a, b) => a + b, 0)).toBe(3);
        // Each run that ran said how it reached the database.
        const expected: ConnectionRoute = mode === 'transaction' ? { route: 'lease', pooler: 'transaction', detected: true } : { route: 'session', pooler: 'none', detected: true };
        for (const r of runs) for (const route of r.routes) expect(route).toEqual(expected);
        expect(await tally(s.url)).toEqual({ ...EXACTLY_ONCE, lease: mode === 'transaction' ? 0 : -1 });
      }),
    90_000,
  );

  it('transaction mode with directUrl: the run goes over the direct URL, with the session advisory lock', () =>
    withScratch(async (s) => {
      const generated = history();
      const url = poolers.get('transaction')!.urlFor(dbName(s.url));
      const runs = await Promise.all(Array.from({ length: 4 }, () => applyVia(url, generated, { directUrl: s.url })));
      for (const r of runs) {
        expect(r.outcome.kind === 'ran' && r.outcome.result.outcome).toBe('done');
        for (const route of r.routes) expect(route).toMatchObject({ route: 'direct-url', directUrl: expect.stringContaining(dbName(s.url)) });
      }
      expect(await tally(s.url)).toEqual({ ...EXACTLY_ONCE, lease: -1 });
    }), 60_000);

  it('mixed: 4 runs over directUrl (advisory lock) and 4 through the pooler (lease) still apply each step once', () =>
    withScratch(async (s) => {
      const generated = history();
      const url = poolers.get('transaction')!.urlFor(dbName(s.url));
      const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => applyVia(url, generated, i % 2 ? { directUrl: s.url } : {})));
      for (const r of runs) expect(r.outcome.kind === 'ran' && r.outcome.result.outcome).toBe('done');
      expect(runs.flatMap((r) => r.routes.map((x) => x.route)).sort()).toEqual(expect.arrayContaining(['direct-url', 'lease']));
      expect(await tally(s.url)).toEqual({ ...EXACTLY_ONCE, lease: 0 });
    }), 60_000);

  it('an expired lease is taken over; an unexpired one is waited for', () =>
    withScratch(async (s) => {
      const generated = history();
      const url = poolers.get('transaction')!.urlFor(dbName(s.url));
      // A run that died holding the lease: its row stays, expired a moment ago.
      const db = await connectPg(s.url);
      try {
        await db.exec(`CREATE SCHEMA keikaku; CREATE TABLE keikaku.apply_lease (id boolean PRIMARY KEY DEFAULT true CHECK (id), token text NOT NULL, holder text NOT NULL,
          acquired_at timestamptz NOT NULL DEFAULT clock_timestamp(), expires_at timestamptz NOT NULL);
          INSERT INTO keikaku.apply_lease (token, holder, expires_at) VALUES ('dead', 'ghost (gone@nowhere pid 1)', clock_timestamp() + interval '1.5 seconds')`);
      } finally {
        await db.close();
      }
      const events: string[] = [];
      const config = tempProjectConfig('kk-pool-cfg-', { generatedDir: generated });
      const t0 = Date.now();
      const outcome = await apply({ config, databaseUrl: url, onEvent: (e) => events.push(e.kind === 'lease-takeover' ? `takeover ${e.previous}` : e.kind === 'waiting-for-lock' ? `wait ${e.holder?.user}` : e.kind) });
      rmSync(config.root, { recursive: true, force: true });
      expect(outcome.kind === 'ran' && outcome.result.outcome).toBe('done');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1_000);
      expect(events).toContain('wait ghost (gone@nowhere pid 1)');
      expect(events).toContain('takeover ghost (gone@nowhere pid 1)');
      expect(await tally(s.url)).toEqual({ ...EXACTLY_ONCE, lease: 0 });
    }), 60_000);
});
