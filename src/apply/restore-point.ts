/**
 * A way back to just before a phase ran, recorded in the journal before its first statement: the WAL position and
 * the server's clock (what point-in-time recovery, or a provider's branch "as of" a time, needs), and a named
 * restore point where the role may make one (`recovery_target_name`). Nothing here may stop a run: each part is
 * asked for on its own, outside any transaction, and what the server refuses becomes a note saying why.
 */
import { pgErrorFields } from '../db/errors.js';
import type { Db } from '../db/types.js';

export interface RestorePoint {
  /** `pg_current_wal_lsn()` before the phase's first statement; null when the server would not tell (see `notes`). */
  readonly lsn: string | null;
  /** The server's clock at that moment, ISO 8601 UTC. */
  readonly at: string;
  /** The name given to `pg_create_restore_point`; null when none could be made (see `notes`). */
  readonly name: string | null;
  /** Why a part could not be recorded, or what limits its use, one sentence each. */
  readonly notes: readonly string[];
}

/**
 * `keikaku_<UTC yyyymmddhhmmss>_<direction>_<phase>_<migration>`: the time first, so that a name cut to fit still
 * tells attempts apart. PostgreSQL's limit for a restore point's name is 63 bytes. The name holds only ASCII letters, digits and
 * `_.:-`, so that `recovery_target_name = '…'` needs no quoting thought and no byte is cut in half.
 */
export const restorePointName = (migration: string, phase: string, direction: string, at: string): string => {
  const stamp = at.replace(/\.\d+Z$/, '').replace(/\D/g, '');
  return `keikaku_${stamp}_${direction}_${phase}_${migration}`.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 63);
};

const reason = (error: unknown): string => (pgErrorFields(error)?.message ?? (error instanceof Error ? error.message : String(error))).split('\n')[0]!;

interface Facts {
  at: string;
  wal_level: string;
  standby: boolean;
  may_point: boolean;
  archive_mode: string | null;
  role: string;
}

const FACTS = `SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
       current_setting('wal_level') AS wal_level, pg_is_in_recovery() AS standby,
       has_function_privilege('pg_catalog.pg_create_restore_point(text)', 'EXECUTE') AS may_point,
       current_setting('archive_mode', true) AS archive_mode, current_user::text AS role`;

/**
 * Records where the database stands before `migration`'s `phase` runs in `direction`. Call it outside a
 * transaction: a part the server refuses then costs nothing but its note.
 */
export const captureRestorePoint = async (db: Db, migration: string, phase: string, direction: string): Promise<RestorePoint> => {
  const notes: string[] = [];
  const [facts] = await db.query<Facts>(FACTS);
  const f = facts!;
  let lsn: string | null = null;
  try {
    lsn = (await db.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'))[0]?.lsn ?? null;
  } catch (error) {
    notes.push(`no WAL position: ${reason(error)}`);
  }
  let name: string | null = null;
  if (f.standby) notes.push('no named restore point: the server is a standby');
  else if (f.wal_level === 'minimal') notes.push('no named restore point: wal_level is minimal (it needs replica or logical)');
  else if (!f.may_point)
    notes.push(`no named restore point: role ${f.role} may not call pg_create_restore_point (a superuser, or GRANT EXECUTE ON FUNCTION pg_create_restore_point(text) TO ${f.role})`);
  else {
    const wanted = restorePointName(migration, phase, direction, f.at);
    try {
      await db.query('SELECT pg_create_restore_point($1::text)', [wanted]);
      name = wanted;
    } catch (error) {
      notes.push(`no named restore point: ${reason(error)}`);
    }
  }
  // Recovery replays archived WAL; where the server archives none, the point is only as good as the provider's own history.
  if (f.archive_mode === 'off' && (lsn !== null || name !== null))
    notes.push("archive_mode is off here: recovering to this point needs WAL kept elsewhere (the provider's point-in-time restore, pg_receivewal)");
  return { lsn, at: f.at, name, notes };
};
