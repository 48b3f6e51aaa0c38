/**
 * Keeps streaming replicas close while a batched backfill runs (DESIGN §10, docs/replicas.md). A backfill writes
 * WAL as fast as the primary can; a replica replaying it falls behind and the application reads stale rows there.
 * Between batches the backfill's DO block waits on an advisory lock, the gate (render/backfill.ts); this module
 * watches `pg_stat_replication` from a second session and holds the gate while a replica's replay lag is over the
 * bound (bytes of WAL not yet replayed, or `replay_lag` time), or while fewer replicas are connected than when it
 * started (if asked to), and lets go as soon as it is back under. The gate is held in an open transaction
 * (`pg_advisory_xact_lock`), so it holds through a transaction-mode pooler too.
 */
import type { ThrottlePolicy } from '../config/index.js';
import type { Db } from '../db/types.js';
import { BACKFILL_GATE_KEYS } from '../render/backfill.js';

export interface ReplicaLag {
  /** `application_name` of the walreceiver (the standby's `cluster_name`, or `walreceiver`), and its address. */
  readonly name: string;
  readonly state: string;
  /** WAL bytes sent but not replayed yet; null when the server does not show it (no `pg_monitor` role). */
  readonly lagBytes: number | null;
  /** `replay_lag` in ms; null when caught up and idle, or not shown. */
  readonly lagMs: number | null;
}

export interface LagReading {
  readonly replicas: readonly ReplicaLag[];
  /** The largest lag among the replicas (null: none shown). */
  readonly maxBytes: number | null;
  readonly maxMs: number | null;
  /** Replicas connected when the throttle started that are gone now. */
  readonly missing: number;
  /** Why the gate is held, when it is. */
  readonly over: string | undefined;
}

export interface ThrottleSummary {
  readonly maxBytes: number | null;
  readonly maxMs: number | null;
  readonly pausedMs: number;
  readonly pauses: number;
}

const LAG_SQL = `SELECT coalesce(nullif(application_name, ''), 'replica') || coalesce(' ' || host(client_addr), '') AS name, state,
  pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint AS lag_bytes,
  (extract(epoch FROM replay_lag) * 1000)::bigint AS lag_ms
FROM pg_stat_replication ORDER BY 1`;

/** The replicas streaming from the primary `db` and how far behind each replays (none on a server without any). */
export const readReplicaLag = async (db: Db): Promise<ReplicaLag[]> =>
  (await db.query<{ name: string; state: string; lag_bytes: string | null; lag_ms: string | null }>(LAG_SQL)).map((r) => ({
    name: r.name,
    state: r.state,
    lagBytes: r.lag_bytes === null ? null : Math.max(0, Number(r.lag_bytes)),
    lagMs: r.lag_ms === null ? null : Number(r.lag_ms),
  }));

const max = (xs: readonly (number | null)[]): number | null => xs.reduce<number | null>((m, x) => (x === null ? m : m === null ? x : Math.max(m, x)), null);

export const formatBytes = (n: number): string =>
  n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GB` : n >= 1024 ** 2 ? `${(n / 1024 ** 2).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} kB` : `${n} B`;

/** One WAL page: less than this left to replay is the replica caught up (other sessions write a little too). */
const STALE_TIME_BELOW_BYTES = 8192;

/**
 * Judges one reading against the policy (pure). `holding`: the gate is held now; it is let go only once the lag
 * is back under half the bound, so that the backfill does not stop and start at every reading on the edge.
 */
export const judge = (policy: ThrottlePolicy, replicas: readonly ReplicaLag[], expected: number, holding = false, headroomBytes = 0): LagReading => {
  const share = holding ? 0.5 : 1;
  const streaming = replicas.filter((r) => r.state === 'streaming' || r.state === 'catchup');
  const maxBytes = max(streaming.map((r) => r.lagBytes));
  const maxMs = max(streaming.map((r) => r.lagMs));
  const missing = Math.max(0, expected - streaming.length);
  let over: string | undefined;
  if (policy.maxLagBytes !== undefined && maxBytes !== null && maxBytes + headroomBytes > policy.maxLagBytes * share)
    over = `replica lag ${formatBytes(maxBytes)}${headroomBytes >= 1024 ? ` (+${formatBytes(headroomBytes)} written by the next reading)` : ''} > ${formatBytes(policy.maxLagBytes)}`;
  // `replay_lag` keeps its last measure while nothing new is replayed (it is measured as new WAL is replayed), so
  // once the gate stops the backfill's WAL it would stay over the bound: it counts only while WAL is left to replay.
  else if (policy.maxLagMs !== undefined && maxMs !== null && (maxBytes === null || maxBytes >= STALE_TIME_BELOW_BYTES) && maxMs > policy.maxLagMs * share)
    over = `replica lag ${maxMs} ms > ${policy.maxLagMs} ms`;
  else if (policy.pauseWhenDisconnected && missing > 0) over = `${missing} replica${missing === 1 ? '' : 's'} disconnected`;
  return { replicas, maxBytes, maxMs, missing, over };
};

export interface Throttle {
  /** The last reading (undefined before the first). */
  latest(): LagReading | undefined;
  /** Watches (and gates) while `fn` runs: one backfill step. */
  during<T>(fn: () => Promise<T>): Promise<T>;
  summary(): ThrottleSummary;
  close(): Promise<void>;
}

/** How often the lag is read while a backfill runs: a backfill writes WAL fast, and it may outrun the bound by what it writes between two readings. */
const TICK_MS = 50;

/**
 * `connect` opens the session that reads the lag and holds the gate. `onChange` is told when the gate is taken
 * (`paused`, with the reason) and let go. A session that cannot read lag (a role without `pg_monitor` sees null
 * LSNs) never holds the gate: `onChange` is told once, with `unreadable`.
 */
export const createThrottle = (
  connect: () => Promise<Db>,
  policy: ThrottlePolicy,
  onChange: (e: { paused: boolean; reading: LagReading; unreadable?: string }) => void,
): Throttle => {
  let session: Db | undefined;
  let expected = 0;
  let last: LagReading | undefined;
  let holding = false;
  let pausedAt = 0;
  const stats = { maxBytes: null as number | null, maxMs: null as number | null, pausedMs: 0, pauses: 0 };
  const open = async (): Promise<Db> => {
    if (!session) {
      session = await connect();
      expected = (await readReplicaLag(session)).filter((r) => r.state === 'streaming' || r.state === 'catchup').length;
    }
    return session;
  };
  const release = async (db: Db) => {
    if (!holding) return;
    holding = false;
    stats.pausedMs += Date.now() - pausedAt;
    await db.exec('COMMIT').catch(() => undefined);
  };
  let wal: { at: number; bytes: number } | undefined;
  let rate = 0;
  let interval = TICK_MS;
  const tick = async (db: Db) => {
    const replicas = await readReplicaLag(db);
    // What the primary writes until the next reading comes on top of the lag read now: at the rate since the last
    // reading, for two intervals (the reading, then the batch under way when the gate closes).
    const now = { at: Date.now(), bytes: Number((await db.query<{ b: string }>(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint AS b`))[0]!.b) };
    // Measured while the backfill runs, and kept while it waits: a rate measured across a pause (near 0) would let
    // the first interval after it run unchecked.
    if (!holding && wal && now.at > wal.at) {
      rate = Math.max(0, now.bytes - wal.bytes) / (now.at - wal.at);
      // The interval as it is (a loaded machine stretches it), not as asked for.
      interval = Math.max(TICK_MS, now.at - wal.at);
    }
    wal = now;
    const reading = judge(policy, replicas, expected, holding, holding ? 0 : Math.round(rate * interval * 2));
    last = reading;
    stats.maxBytes = max([stats.maxBytes, reading.maxBytes]);
    stats.maxMs = max([stats.maxMs, reading.maxMs]);
    if (reading.over && !holding) {
      await db.exec('BEGIN');
      const [row] = await db.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1::int4, $2::int4) AS ok', [...BACKFILL_GATE_KEYS]);
      if (row?.ok) {
        holding = true;
        pausedAt = Date.now();
        stats.pauses++;
        onChange({ paused: true, reading });
      } else await db.exec('COMMIT');
    } else if (!reading.over && holding) {
      await release(db);
      onChange({ paused: false, reading });
    }
  };
  return {
    latest: () => last,
    summary: () => ({ ...stats, pausedMs: stats.pausedMs + (holding ? Date.now() - pausedAt : 0) }),
    async during(fn) {
      const db = await open();
      let stop = false;
      let unreadable = false;
      const loop = (async () => {
        while (!stop) {
          try {
            await tick(db);
          } catch (error) {
            if (!unreadable) {
              unreadable = true;
              onChange({ paused: false, reading: last ?? judge(policy, [], 0), unreadable: error instanceof Error ? error.message : String(error) });
            }
          }
          await new Promise((resolve) => setTimeout(resolve, TICK_MS));
        }
      })();
      try {
        return await fn();
      } finally {
        stop = true;
        await loop;
        if (holding) {
          await release(db);
          onChange({ paused: false, reading: last! });
        }
      }
    },
    async close() {
      if (session) await session.close().catch(() => undefined);
      session = undefined;
    },
  };
};
