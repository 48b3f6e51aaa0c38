/**
 * The run lock for a connection through a transaction-mode pooler, where a session advisory lock (lock.ts) does
 * not hold: the pooler hands the next statement to whichever server session is free, so the lock would stay on
 * one server session and the unlock go to another. Instead a row of `keikaku.apply_lease` names the holder until
 * `expires_at`; the holder renews it from a second connection while it runs (a long step keeps the first busy),
 * releases it at the end, and a run that finds it expired (its holder died without releasing) takes it over.
 * Every statement here is its own transaction, so it holds through any pooler.
 *
 * The price of a lease: a holder cut off from the database for longer than the lease (a frozen VM) may still be
 * inside a step when another run takes over. The holder checks the lease between steps and stops when it lost
 * it; the lease is long (30 s) and renewed every 10 s to make that window rare. docs/connections.md says so.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/types.js';
import { LOCK_KEYS } from './lock-keys.js';
import { lockHolder, type LockHolder } from './lock.js';

export const LEASE_TTL_MS = 30_000;
const RENEW_MS = 10_000;
const POLL_MS = 250;

/**
 * The table, made once. Concurrent first runs serialize on a transaction-level advisory lock, which, unlike a
 * session one, holds through a transaction-mode pooler.
 */
const ENSURE = `BEGIN;
SELECT pg_advisory_xact_lock(${LOCK_KEYS[0]}, ${LOCK_KEYS[1] + 1});
CREATE SCHEMA IF NOT EXISTS keikaku;
CREATE TABLE IF NOT EXISTS keikaku.apply_lease (
  id          boolean PRIMARY KEY DEFAULT true CHECK (id),
  token       text NOT NULL,
  holder      text NOT NULL,
  acquired_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  expires_at  timestamptz NOT NULL
);
COMMENT ON TABLE keikaku.apply_lease IS 'keikaku: who runs apply/down now, when connected through a transaction-mode pooler (a lease, renewed while it runs)';
COMMIT`;

const TAKE = `INSERT INTO keikaku.apply_lease AS l (id, token, holder, expires_at)
VALUES (true, $1::text, current_user || ' (' || $2::text || ')', clock_timestamp() + $3::int * interval '1 millisecond')
ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token, holder = EXCLUDED.holder, acquired_at = clock_timestamp(), expires_at = EXCLUDED.expires_at
WHERE l.expires_at < clock_timestamp()
RETURNING token`;

export interface Lease {
  /** Throws when the lease was lost (not renewed in time and taken over): the run must stop before its next step. */
  check(): void;
}

export class LeaseLost extends Error {}

/**
 * Runs `fn` holding the lease. `onWait` is told who holds it (once); `onTakeover` when an expired lease of
 * another run was taken over.
 */
export const withLease = async <T>(
  db: Db,
  connect: () => Promise<Db>,
  by: string,
  onWait: (holder: LockHolder | undefined) => void,
  fn: (lease: Lease) => Promise<T>,
  options: { ttlMs?: number; onTakeover?: (previous: string) => void; sleep?: (ms: number) => Promise<void> } = {},
): Promise<T> => {
  const ttl = options.ttlMs ?? LEASE_TTL_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const [exists] = await db.query<{ ok: boolean }>(`SELECT to_regclass('keikaku.apply_lease') IS NOT NULL AS ok`);
  if (!exists?.ok) await db.exec(ENSURE);
  const token = randomUUID();
  let told = false;
  for (;;) {
    const [before] = await db.query<{ holder: string; expired: boolean; since: string }>(
      `SELECT holder, expires_at < clock_timestamp() AS expired, to_char(acquired_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS since FROM keikaku.apply_lease`,
    );
    const got = await db.query(TAKE, [token, by, Math.round(ttl)]);
    if (got.length) {
      if (before?.expired) options.onTakeover?.(before.holder);
      break;
    }
    if (!told && before) {
      told = true;
      onWait({ pid: 0, user: before.holder, applicationName: '', client: null, since: before.since });
    }
    await sleep(POLL_MS / 2 + Math.random() * POLL_MS);
  }
  let lost = false;
  const renewer = await connect();
  let renewing: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    renewing = renewer
      .query(`UPDATE keikaku.apply_lease SET expires_at = clock_timestamp() + $2::int * interval '1 millisecond' WHERE token = $1::text RETURNING 1`, [token, Math.round(ttl)])
      .then((rows) => {
        if (rows.length === 0) lost = true;
      })
      // A failed renewal is retried at the next tick; the lease still has two thirds of its time.
      .catch(() => undefined);
  }, Math.min(RENEW_MS, ttl / 3));
  try {
    // A run over a direct URL holds the session advisory lock (lock.ts) instead: this one waits until it is free
    // (that run lets it go while this lease is held, so one of the two goes first).
    for (let holder = await lockHolder(db); holder; holder = await lockHolder(db)) {
      if (!told) {
        told = true;
        onWait(holder);
      }
      await sleep(POLL_MS / 2 + Math.random() * POLL_MS);
    }
    return await fn({
      check() {
        if (lost) throw new LeaseLost('the apply lease (keikaku.apply_lease) expired and was taken over by another run; this run stopped before its next step');
      },
    });
  } finally {
    clearInterval(timer);
    await renewing;
    await renewer.close().catch(() => undefined);
    await db.query('DELETE FROM keikaku.apply_lease WHERE token = $1::text', [token]).catch(() => undefined);
  }
};

/** The run holding an unexpired lease, as a `LockHolder` with pid 0 (its session is the pooler's), if any. */
export const leaseHolder = async (db: Db): Promise<LockHolder | undefined> => {
  const [exists] = await db.query<{ ok: boolean }>(`SELECT to_regclass('keikaku.apply_lease') IS NOT NULL AS ok`);
  if (!exists?.ok) return undefined;
  const [row] = await db.query<{ holder: string; since: string }>(
    `SELECT holder, to_char(acquired_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS since FROM keikaku.apply_lease WHERE expires_at > clock_timestamp()`,
  );
  return row ? { pid: 0, user: row.holder, applicationName: '', client: null, since: row.since } : undefined;
};
