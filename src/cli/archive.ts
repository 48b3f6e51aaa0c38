/**
 * `keikaku archive prune --older-than 30d`: drops the archives (keikaku_archive) older than the given age, as
 * printed. After pruning, those migrations' downs restore the shape only, so the command lists what it drops and
 * `--dry-run` drops nothing.
 */
import type { ResolvedConfig } from '../config/index.js';
import { pruneArchives } from '../api.js';

export interface PruneArgs {
  readonly olderThan: string;
  readonly databaseUrl?: string | undefined;
  readonly env?: string | undefined;
  readonly dryRun: boolean;
  readonly yes: boolean;
  readonly format: 'text' | 'json';
}

const size = (bytes: number | null) =>
  bytes === null ? 'table missing' : bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`;

export const runArchivePrune = async (config: ResolvedConfig, args: PruneArgs) => {
  const { target, interval, expired: report, kept } = await pruneArchives({ config, ...args });
  if (args.format === 'json')
    return {
      stdout: `${JSON.stringify({ target: target.label, olderThan: interval, dryRun: args.dryRun, dropped: args.dryRun ? [] : report, wouldDrop: args.dryRun ? report : [], kept }, null, 2)}\n`,
      exitCode: 0,
    };
  const verb = args.dryRun ? 'would drop' : 'dropped';
  const lines = [`${target.label}: ${verb} ${report.length} archive(s) older than ${interval}; ${kept} kept`];
  for (const r of report) lines.push(`  ${r.name}  (${r.source}, archived ${r.archivedAt}, ${size(r.bytes)})`);
  if (report.length && !args.dryRun) lines.push('The downs of these migrations now restore the shape only, not the rows.');
  return { stdout: `${lines.join('\n')}\n`, exitCode: 0 };
};
