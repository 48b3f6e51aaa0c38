/**
 * `keikaku archive prune --older-than 30d`: drops the archives (keikaku_archive) older than the given age. An
 * archive is what a migration's down restores dropped rows from: after pruning, that down restores the shape only,
 * so the command lists what it drops and `--dry-run` drops nothing.
 */
import { readFile } from 'node:fs/promises';
import type { ResolvedConfig } from '../config/index.js';
import { connectPg } from '../db/pg.js';
import { UserError } from '../db/errors.js';
import { dropArchiveSql } from '../render/archive.js';
import { recordProductionMark, resolveTarget, withDatabaseMark } from './apply.js';

export interface PruneArgs {
  readonly olderThan: string;
  readonly databaseUrl?: string | undefined;
  readonly env?: string | undefined;
  readonly dryRun: boolean;
  readonly yes: boolean;
  readonly format: 'text' | 'json';
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

const size = (bytes: number | null) =>
  bytes === null ? 'table missing' : bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`;

export const runArchivePrune = async (config: ResolvedConfig, args: PruneArgs) => {
  const interval = parseAge(args.olderThan);
  const given = resolveTarget(config, { databaseUrl: args.databaseUrl, env: args.env });
  const db = await connectPg(given.url);
  try {
    const target = await withDatabaseMark(given, db);
    if (target.production && !args.dryRun && !args.yes)
      throw new UserError(`${target.label} is a production database: pass --yes to drop its archives (or --dry-run to list them); nothing was changed`, 3);
    const [exists] = await db.query<{ ok: boolean }>(`SELECT to_regclass('keikaku_archive.catalog') IS NOT NULL AS ok`);
    const rows = exists?.ok ? await db.query<ArchiveRow>(await readFile(new URL('../../src/cli/sql/archives.sql', import.meta.url), 'utf8'), [interval]) : [];
    const expired = rows.filter((r) => r.expired);
    if (!args.dryRun && expired.length) await recordProductionMark(target, db);
    if (!args.dryRun) for (const r of expired) await db.exec(['BEGIN;', ...dropArchiveSql(r.name), 'COMMIT;'].join('\n'));
    const report = expired.map((r) => ({
      name: r.name,
      source: r.source,
      migration: r.migration,
      archivedAt: r.archived_at,
      bytes: r.bytes === null ? null : Number(r.bytes),
    }));
    if (args.format === 'json')
      return {
        stdout: `${JSON.stringify({ target: target.label, olderThan: interval, dryRun: args.dryRun, dropped: args.dryRun ? [] : report, wouldDrop: args.dryRun ? report : [], kept: rows.length - expired.length }, null, 2)}\n`,
        exitCode: 0,
      };
    const verb = args.dryRun ? 'would drop' : 'dropped';
    const lines = [`${target.label}: ${verb} ${expired.length} archive(s) older than ${interval}; ${rows.length - expired.length} kept`];
    for (const r of report) lines.push(`  ${r.name}  (${r.source}, archived ${r.archivedAt}, ${size(r.bytes)})`);
    if (expired.length && !args.dryRun) lines.push('The downs of these migrations now restore the shape only, not the rows.');
    return { stdout: `${lines.join('\n')}\n`, exitCode: 0 };
  } finally {
    await db.close();
  }
};
