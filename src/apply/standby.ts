/**
 * A hot standby (a streaming replica in recovery) is read-only and follows its primary: keikaku reads it
 * (`status`, `check`) but never tries to write it — no journal, no mark, no scratch database — and every command
 * that would write refuses before it starts, naming the reason, instead of failing half-way on
 * "cannot execute … in a read-only transaction".
 */
import { UserError } from '../db/errors.js';
import type { Db } from '../db/types.js';

/** `pg_is_in_recovery()`: true on a standby (and on a server still replaying WAL after a crash or a restore). */
export const inRecovery = async (db: Db): Promise<boolean> =>
  (await db.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r'))[0]?.r === true;

/** Throws a refusal (exit 3) when `db` is a standby; `what` says what would have been written, e.g. `apply migrations to`. */
export const refuseOnStandby = async (db: Db, label: string, what: string): Promise<void> => {
  if (!(await inRecovery(db))) return;
  throw new UserError(
    `refusing to ${what} ${label}: it is a hot standby (pg_is_in_recovery() is true), read-only and following its primary; ` +
      'run this against the primary (the change reaches the standby by replication). `status` and `check` work on a standby, read-only; nothing was changed',
    3,
  );
};
