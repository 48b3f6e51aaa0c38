/**
 * Pruning the archives (keikaku_archive) older than an age. An archive is what a migration's down restores dropped
 * rows from: after pruning, that down restores the shape only.
 */
import { refuseOnStandby } from '../apply/standby.js';
import { readFile } from 'node:fs/promises';
import type { ResolvedConfig } from '../config/index.js';
import { connectPg } from '../db/pg.js';
import { UserError } from '../db/errors.js';
import { dropArchiveSql } from '../render/archive.js';
import { recordProductionMark, resolveTarget, withDatabaseMark, type Target, type TargetArgs } from './target.js';

export interface PruneOptions extends TargetArgs {
  /** An age: `30d`, `12h`, `2w`, `90min`, `45s`. */
  readonly olderThan: string;
  /** List what would be dropped; drop nothing. */
  readonly dryRun?: boolean | undefined;
  /** Allowed on a production database (else refused, exit 3, unless a dry run). */
  readonly yes?: boolean | undefined;
}

export interface PrunedArchive {
  readonly name: string;
  readonly source: string;
  readonly migration: string;
  readonly archivedAt: string;
  readonly bytes: number | null;
}

export interface Pruned {
  readonly target: Target;
  /** The age as a Postgres interval (`30 days`). */
  readonly interval: string;
  /** The archives older than the age: dropped, or with `dryRun` those that would be. */
  readonly expired: readonly PrunedArchive[];
  readonly kept: number;
}

interface ArchiveRow {
  readonly name: string;
  readonly source: string;
  readonly migration: string;
  readonly archived_at: string;
  readonly expired: boolean;
  readonly bytes: string | number | null;
}

const UNITS: Record<string, string> = { s: 'seconds', min: 'minutes', h: 'hours', d: 'days', w: 'weeks' };

/** `30d`, `12h`, `2w`, `90min`, `45s` → a Postgres interval. */
export const parseAge = (text: string): string => {
  const m = /^\s*(\d+)\s*(s|min|h|d|w)\s*$/i.exec(text);
  if (!m) throw new UserError(`--older-than ${text}: expected an age such as 30d, 12h, 2w, 90min or 45s`);
  return `${m[1]} ${UNITS[m[2]!.toLowerCase()]}`;
};

export const pruneArchives = async (config: ResolvedConfig, o: PruneOptions): Promise<Pruned> => {
  const interval = parseAge(o.olderThan);
  const given = resolveTarget(config, { databaseUrl: o.databaseUrl, env: o.env });
  const db = await connectPg(given.url);
  try {
    const target = await withDatabaseMark(given, db);
    if (!o.dryRun) await refuseOnStandby(db, target.label, 'drop archives of');
    if (target.production && !o.dryRun && !o.yes)
      throw new UserError(`${target.label} is a production database: pass --yes to drop its archives (or --dry-run to list them); nothing was changed`, 3);
    const [exists] = await db.query<{ ok: boolean }>(`SELECT to_regclass('keikaku_archive.catalog') IS NOT NULL AS ok`);
    const rows = exists?.ok ? await db.query<ArchiveRow>(await readFile(new URL('../../src/apply/sql/archives.sql', import.meta.url), 'utf8'), [interval]) : [];
    const expired = rows.filter((r) => r.expired);
    if (!o.dryRun && expired.length) await recordProductionMark(target, db);
    if (!o.dryRun) for (const r of expired) await db.exec(['BEGIN;', ...dropArchiveSql(r.name), 'COMMIT;'].join('\n'));
    return {
      target,
      interval,
      expired: expired.map((r) => ({ name: r.name, source: r.source, migration: r.migration, archivedAt: r.archived_at, bytes: r.bytes === null ? null : Number(r.bytes) })),
      kept: rows.length - expired.length,
    };
  } finally {
    await db.close();
  }
};
