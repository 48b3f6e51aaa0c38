/** `keikaku discard`: prints what `discard` (src/api.ts) checked and deleted. */
import { discard, type CheckedDatabase } from '../api.js';
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import { terminalText as t } from '../model/escape.js';
import type { CommandOutput } from './options.js';
import { shownPath } from './shown-path.js';

export interface DiscardArgs {
  readonly databaseUrl?: string | undefined;
  readonly dryRun: boolean;
  readonly format: 'text' | 'json';
}

type Checked = CheckedDatabase;

export const runDiscard = async (config: ResolvedConfig, a: DiscardArgs): Promise<CommandOutput> => {
  const r = await discard({ config, databaseUrl: a.databaseUrl, dryRun: a.dryRun });
  const newest = { id: r.migration, dir: r.dir };
  const checked = r.databases;
  const used = checked.filter((c): c is Extract<Checked, { state: 'used' }> => c.state === 'used');
  const unreachable = checked.filter((c): c is Extract<Checked, { state: 'unreachable' }> => c.state === 'unreachable');
  if (a.format === 'json' && used.length) return { stdout: `${JSON.stringify({ migration: newest.id, discarded: false, databases: checked }, null, 2)}\n`, exitCode: 3 };
  if (used.length)
    throw new UserError(
      `refusing to discard ${newest.id}: a database has run it:\n${used.map((u) => `  ${u.database} (${u.source}): ${u.phases.map((p) => `${p.phase} ${p.state}`).join(', ')}`).join('\n')}\n` +
        'Write a new migration that changes it back instead, or undo it there first (keikaku down), then discard.',
      3,
    );
  if (a.format === 'json') return { stdout: `${JSON.stringify({ migration: newest.id, discarded: !a.dryRun, databases: checked }, null, 2)}\n`, exitCode: 0 };
  const lines = [
    `${a.dryRun ? 'Would discard' : 'Discarded'} ${newest.id}${a.dryRun ? '' : ` (${shownPath(newest.dir)}/ deleted; migrations.sum and schema.sql rewritten)`}`,
    checked.length === 0
      ? 'No database is known here (--database-url, DATABASE_URL, environments): none was checked.'
      : `Checked ${checked.length - unreachable.length} of ${checked.length} known database${checked.length === 1 ? '' : 's'}: none has run it.`,
    ...unreachable.map((u) => `  not reachable, not checked: ${u.database} (${u.source}): ${t(u.error)}`),
  ];
  return { stdout: `${lines.join('\n')}\n`, exitCode: 0 };
};
