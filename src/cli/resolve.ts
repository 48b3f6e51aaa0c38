/** `keikaku resolve MIGRATION --applied | --rolled-back`: see src/history/resolve.ts. */
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import { connectPg } from '../db/pg.js';
import { localIdentity } from '../apply/journal.js';
import { resolveMigration, type ResolveAs } from '../history/resolve.js';
import { readHistory } from '../load/migrations.js';
import type { PhaseName } from '../model/plan.js';
import { terminalText as t } from '../model/escape.js';
import { confirmProduction, recordProductionMark, resolveTarget, withDatabaseMark, type TargetArgs } from './apply.js';
import { closest } from './did-you-mean.js';
import type { CommandOutput } from './options.js';
import { shownPath } from './shown-path.js';

export interface ResolveArgs extends TargetArgs {
  readonly migration: string;
  readonly applied: boolean;
  readonly rolledBack: boolean;
  readonly phase?: PhaseName | undefined;
  readonly yes: boolean;
  readonly format: 'text' | 'json';
}

export const runResolve = async (config: ResolvedConfig, a: ResolveArgs): Promise<CommandOutput> => {
  if (a.applied === a.rolledBack) throw new UserError('resolve: say what was done by hand: --applied or --rolled-back (one of them)');
  const as: ResolveAs = a.applied ? 'applied' : 'rolled-back';
  const history = readHistory(config.generatedDir);
  const ids = history.migrations.map((m) => m.id);
  // A unique prefix will do (`resolve 20261125`), as ids are long.
  const matches = ids.filter((id) => id === a.migration || id.startsWith(a.migration));
  // --rolled-back also takes an id the directory no longer has (re-planned by generate --rebase): the journal knows it.
  const id = ids.includes(a.migration) ? a.migration : matches.length === 1 ? matches[0]! : as === 'rolled-back' && /^\d{14}_/.test(a.migration) ? a.migration : undefined;
  if (!id) {
    const guess = closest(a.migration, ids);
    throw new UserError(
      `no migration ${t(a.migration)} in ${shownPath(config.generatedDir)}/migrations${matches.length > 1 ? ` (it begins ${matches.length} of them)` : guess ? `: did you mean ${guess}?` : ''}`,
    );
  }
  const given = resolveTarget(config, a);
  const db = await connectPg(given.url);
  try {
    const target = await withDatabaseMark(given, db);
    await confirmProduction(target, a.yes, `record ${id} as ${as} in the journal of`);
    await recordProductionMark(target, db);
    const r = await resolveMigration(db, {
      history,
      migration: id,
      as,
      phase: a.phase,
      by: localIdentity(),
      onWait: (h) => process.stderr.write(`keikaku: waiting for the migration lock${h ? ` (held by pid ${h.pid})` : ''}\n`),
    });
    if (a.format === 'json') return { stdout: `${JSON.stringify({ target: target.label, migration: id, as, ...r }, null, 2)}\n`, exitCode: r.kind === 'done' ? 0 : 3 };
    if (r.kind === 'refused') throw new UserError(`${target.label}: refusing to record ${id} as ${as}:\n${r.refusals.map((x) => `  ${x.code}: ${t(x.message)}`).join('\n')}`, 3);
    const lines = [`target: ${target.label} (${target.source}${target.production ? ', production' : ''})`];
    for (const p of r.recorded) lines.push(`  ${id} ${p.phase}: ${p.was} → ${as === 'applied' ? 'applied' : 'pending'} (recorded, nothing run)`);
    for (const p of r.unchanged) lines.push(`  ${id} ${p.phase}: already ${p.was}`);
    lines.push(r.recorded.length ? `recorded ${r.recorded.length} phase${r.recorded.length === 1 ? '' : 's'} as ${as} by hand` : 'nothing to record');
    return { stdout: `${lines.join('\n')}\n`, exitCode: 0 };
  } finally {
    await db.close().catch(() => undefined);
  }
};
