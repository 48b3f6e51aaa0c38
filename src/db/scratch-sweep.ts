/**
 * Removes scratch databases that earlier runs left on a server (a SIGKILL, a lost machine, a keikaku older than
 * its signal handling). Only names keikaku makes (`parseScratchName`) are considered, only stale ones
 * (`isStale`), and never one in use: one with sessions is skipped, and DROP DATABASE without FORCE refuses a
 * database someone connected to in the meantime, which is the last word. Anything that goes wrong only leaves a
 * database for a later run.
 */
import { hostMarker, isStale, parseScratchName, processAlive, SCRATCH_PREFIX } from './scratch-name.js';
import type { Db } from './types.js';

export interface SweepOptions {
  readonly now?: Date;
  readonly host?: string;
  readonly alive?: (pid: number) => boolean;
  readonly staleAfterMs?: number;
}

/** Drops the stale scratch databases on `admin`'s server; returns the names dropped. Never throws. */
export const dropStaleScratchDatabases = async (admin: Db, options: SweepOptions = {}): Promise<string[]> => {
  const context = {
    now: options.now ?? new Date(),
    host: options.host ?? hostMarker(),
    alive: options.alive ?? processAlive,
    ...(options.staleAfterMs !== undefined ? { staleAfterMs: options.staleAfterMs } : {}),
  };
  let rows: { datname: string; sessions: number }[];
  try {
    rows = await admin.query<{ datname: string; sessions: number }>(
      `SELECT d.datname, (SELECT count(*) FROM pg_catalog.pg_stat_activity a WHERE a.datid = d.oid)::int AS sessions
         FROM pg_catalog.pg_database d
        WHERE starts_with(d.datname, $1)`,
      [SCRATCH_PREFIX],
    );
  } catch {
    return [];
  }
  const dropped: string[] = [];
  for (const { datname, sessions } of rows) {
    const origin = parseScratchName(datname);
    if (!origin || sessions > 0 || !isStale(origin, context)) continue;
    try {
      // The name matched the pattern above: lowercase letters, digits and underscores, no quoting needed.
      await admin.exec(`DROP DATABASE IF EXISTS ${datname}`);
      dropped.push(datname);
    } catch {
      // in use after all, or another role's: not ours to force
    }
  }
  return dropped;
};
