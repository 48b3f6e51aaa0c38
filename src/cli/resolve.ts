/** `keikaku resolve MIGRATION --applied | --rolled-back`: prints what `resolve` (src/api.ts) recorded. */
import { findMigration, resolve, type TargetArgs } from '../api.js';
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import type { ResolveAs } from '../history/resolve.js';
import type { PhaseName } from '../model/plan.js';
import { terminalText as t } from '../model/escape.js';
import { confirmProduction } from './apply.js';
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
  const found = await findMigration({ config, migration: a.migration, as });
  if (!found.id) {
    // A unique beginning will do (`resolve 20261125`), as ids are long.
    const guess = closest(a.migration, found.ids);
    throw new UserError(
      `no migration ${t(a.migration)} in ${shownPath(config.generatedDir)}/migrations${found.matches.length > 1 ? ` (it begins ${found.matches.length} of them)` : guess ? `: did you mean ${guess}?` : ''}`,
    );
  }
  const id = found.id;
  const { target, result: r } = await resolve({
    config,
    databaseUrl: a.databaseUrl,
    env: a.env,
    production: a.production,
    migration: id,
    as,
    phase: a.phase,
    yes: a.yes,
    confirm: (target) => confirmProduction(target, false, `record ${id} as ${as} in the journal of`),
    onWait: (h) => process.stderr.write(`keikaku: waiting for the migration lock${h ? ` (held by pid ${h.pid})` : ''}\n`),
  });
  if (a.format === 'json') return { stdout: `${JSON.stringify({ target: target.label, migration: id, as, ...r }, null, 2)}\n`, exitCode: r.kind === 'done' ? 0 : 3 };
  if (r.kind === 'refused') throw new UserError(`${target.label}: refusing to record ${id} as ${as}:\n${r.refusals.map((x) => `  ${x.code}: ${t(x.message)}`).join('\n')}`, 3);
  const lines = [`target: ${target.label} (${target.source}${target.production ? ', production' : ''})`];
  for (const p of r.recorded) lines.push(`  ${id} ${p.phase}: ${p.was} → ${as === 'applied' ? 'applied' : 'pending'} (recorded, nothing run)`);
  for (const p of r.unchanged) lines.push(`  ${id} ${p.phase}: already ${p.was}`);
  lines.push(r.recorded.length ? `recorded ${r.recorded.length} phase${r.recorded.length === 1 ? '' : 's'} as ${as} by hand` : 'nothing to record');
  return { stdout: `${lines.join('\n')}\n`, exitCode: 0 };
};
