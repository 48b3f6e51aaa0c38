/**
 * One keikaku at a time per database: a session-level advisory lock held around a whole `apply` or `down`, so
 * that app instances running `keikaku apply` at boot apply each step once; the others wait, then find nothing
 * left to do. Session level (not transaction level): it spans the many transactions of a run, and the server
 * releases it when the session ends, even when the process is killed.
 */
import type { Db } from '../db/types.js';
import { applySql } from './journal.js';
import { leaseHolder } from './lease.js';
import { lockKeys } from './lock-keys.js';

export { LOCK_KEYS, lockKeys } from './lock-keys.js';

export interface LockHolder {
  readonly pid: number;
  readonly user: string;
  readonly applicationName: string;
  readonly client: string | null;
  /** When its session started (ISO 8601, UTC). */
  readonly since: string;
}

/** The session holding the lock of `scope` (default the database's), if any (always none on PGlite, which has one session). */
export const lockHolder = async (db: Db, scope = ''): Promise<LockHolder | undefined> => {
  const [row] = await db.query<{ pid: number; user: string; application_name: string; client: string | null; since: string }>(
    await applySql('lock-holder'),
    [...lockKeys(scope)],
  );
  return row
    ? { pid: Number(row.pid), user: row.user, applicationName: row.application_name, client: row.client, since: row.since }
    : undefined;
};

/** How often a waiting run asks for the lock again (with jitter). */
const POLL_MS = 150;

/**
 * Runs `fn` holding the lock. When another session holds it, `onWait` is told who, then this asks again every
 * ~150 ms for as long as it takes. It polls with `pg_try_advisory_lock` rather than blocking in
 * `pg_advisory_lock`: a session blocked in a statement keeps a transaction open, and `CREATE INDEX CONCURRENTLY`
 * run by the lock holder waits for every open transaction to end, which would never happen. `scope`: whose lock
 * (a tenant schema's, journal.ts `JournalScope`); default the database's.
 */
export const withApplyLock = async <T>(
  db: Db,
  onWait: (holder: LockHolder | undefined) => void,
  fn: () => Promise<T>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  scope = '',
): Promise<T> => {
  const keys = lockKeys(scope);
  const unlock = () => db.query('SELECT pg_advisory_unlock($1::int4, $2::int4)', [...keys]);
  // A run through a transaction-mode pooler holds the lease (lease.ts) instead: held, it is waited for too, with
  // the advisory lock let go meanwhile (that run waits for the advisory lock in turn, so one of the two goes first).
  const tryLock = async (): Promise<LockHolder | undefined | true> => {
    if ((await db.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::int4, $2::int4) AS ok', [...keys]))[0]?.ok !== true) return lockHolder(db, scope);
    const lease = await leaseHolder(db);
    if (!lease) return true;
    await unlock();
    return lease;
  };
  let got = await tryLock();
  if (got !== true) {
    onWait(got);
    do {
      await sleep(POLL_MS / 2 + Math.random() * POLL_MS);
      got = await tryLock();
    } while (got !== true);
  }
  try {
    return await fn();
  } finally {
    // A lost connection has released it already; the unlock then fails, which must not hide fn's error.
    await unlock().catch(() => undefined);
  }
};
