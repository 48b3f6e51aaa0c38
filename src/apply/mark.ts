/**
 * The production mark (`keikaku env mark production`): kept in the database, in keikaku's own schema, so that the
 * guard identifies the database rather than the text of the URL that reached it.
 */
import { readFile } from 'node:fs/promises';
import type { Db } from '../db/types.js';

export type MarkKind = 'production';

export interface DatabaseMark {
  readonly kind: MarkKind;
  readonly markedAt: string;
  readonly markedBy: string;
  /** `pg_control_system().system_identifier` when the mark was written; null when it was not readable. */
  readonly systemIdentifier: string | null;
  readonly database: string;
}

/** Which server and database a connection reached. */
export interface ServerIdentity {
  /** Unique per cluster (initdb); shared by its physical replicas. Null when the role may not read it. */
  readonly systemIdentifier: string | null;
  readonly database: string;
}

interface MarkRow {
  readonly kind: MarkKind;
  readonly marked_at: string;
  readonly marked_by: string;
  readonly system_identifier: string | null;
  readonly database: string;
}

export const serverIdentity = async (db: Db): Promise<ServerIdentity> => {
  const [row] = await db.query<{ database: string }>('SELECT current_database() AS database');
  let systemIdentifier: string | null = null;
  try {
    // Executable by PUBLIC on a default install, but an administrator may have revoked it.
    const [id] = await db.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_catalog.pg_control_system()');
    systemIdentifier = id?.id ?? null;
  } catch {
    systemIdentifier = null;
  }
  return { systemIdentifier, database: row!.database };
};

/**
 * The marks of the database. A role that may not read keikaku's schema gets an error, never an empty answer:
 * the guard must not open because the mark could not be seen.
 */
export const readMarks = async (db: Db): Promise<DatabaseMark[]> => {
  const [exists] = await db.query<{ ok: boolean }>(`SELECT to_regclass('keikaku.environment_mark') IS NOT NULL AS ok`);
  if (!exists?.ok) return [];
  const rows = await db.query<MarkRow>(
    'SELECT kind, marked_at::text AS marked_at, marked_by, system_identifier, database FROM keikaku.environment_mark ORDER BY kind',
  );
  return rows.map((r) => ({ kind: r.kind, markedAt: r.marked_at, markedBy: r.marked_by, systemIdentifier: r.system_identifier, database: r.database }));
};

export const isMarkedProduction = async (db: Db): Promise<boolean> => (await readMarks(db)).some((m) => m.kind === 'production');

export const writeMark = async (db: Db, kind: MarkKind, by: string): Promise<void> => {
  await db.exec(await readFile(new URL('../../src/apply/sql/mark-create.sql', import.meta.url), 'utf8'));
  const id = await serverIdentity(db);
  await db.query(
    `INSERT INTO keikaku.environment_mark (kind, marked_by, system_identifier, database) VALUES ($1, $2, $3, $4)
     ON CONFLICT (kind) DO UPDATE SET marked_at = clock_timestamp(), marked_by = EXCLUDED.marked_by,
       system_identifier = EXCLUDED.system_identifier, database = EXCLUDED.database`,
    [kind, by, id.systemIdentifier, id.database],
  );
};

/** True when there was a mark to remove. */
export const removeMark = async (db: Db, kind: MarkKind): Promise<boolean> => {
  const [exists] = await db.query<{ ok: boolean }>(`SELECT to_regclass('keikaku.environment_mark') IS NOT NULL AS ok`);
  if (!exists?.ok) return false;
  return (await db.query<{ kind: string }>('DELETE FROM keikaku.environment_mark WHERE kind = $1 RETURNING kind', [kind])).length > 0;
};
