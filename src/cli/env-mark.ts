/**
 * `keikaku env mark production`, `env unmark production`, `env show`: the production mark kept in the database
 * (keikaku.environment_mark), which guards every route to it, whatever URL text reaches it. As printed.
 */
import type { ResolvedConfig } from '../config/index.js';
import type { MarkKind } from '../apply/mark.js';
import { marks, mark, unmark } from '../api.js';
import { confirmProduction, type TargetArgs } from './apply.js';
import type { CommandOutput } from './options.js';

export interface MarkArgs extends TargetArgs {
  readonly kind: MarkKind;
  readonly yes: boolean;
  readonly format: 'text' | 'json';
}

const json = (value: unknown): CommandOutput => ({ stdout: `${JSON.stringify(value, null, 2)}\n`, exitCode: 0 });

export const runEnvMark = async (config: ResolvedConfig, a: MarkArgs): Promise<CommandOutput> => {
  const { target, server: id } = await mark({ config, databaseUrl: a.databaseUrl, env: a.env, production: a.production, kind: a.kind });
  if (a.format === 'json') return json({ target: target.label, marked: a.kind, ...id });
  return {
    stdout:
      `marked ${target.label} as ${a.kind}: apply, down, pull (baseline) and archive prune now need --yes or its name typed, ` +
      `whichever host name, socket or role reaches it\n`,
    exitCode: 0,
  };
};

export const runEnvUnmark = async (config: ResolvedConfig, a: MarkArgs): Promise<CommandOutput> => {
  const { target, removed } = await unmark({
    config,
    databaseUrl: a.databaseUrl,
    env: a.env,
    production: a.production,
    kind: a.kind,
    yes: a.yes,
    confirm: (t) => confirmProduction(t, a.yes, 'remove the production mark of'),
  });
  if (a.format === 'json') return json({ target: target.label, unmarked: a.kind, removed });
  return { stdout: removed ? `removed the ${a.kind} mark of ${target.label}\n` : `${target.label} had no ${a.kind} mark; nothing was changed\n`, exitCode: 0 };
};

export const runEnvShow = async (config: ResolvedConfig, a: Omit<MarkArgs, 'kind' | 'yes'>): Promise<CommandOutput> => {
  const { target, server: id, marks: all, copied } = await marks({ config, databaseUrl: a.databaseUrl, env: a.env, production: a.production });
  if (a.format === 'json') return json({ target: target.label, production: target.production, productionBy: target.productionBy ?? null, server: id, marks: all });
  const lines = [`target: ${target.label} (${target.source})`, `server: system identifier ${id.systemIdentifier ?? 'not readable'}, database ${id.database}`];
  if (all.length === 0) lines.push('marks: none');
  for (const m of all) lines.push(`mark: ${m.kind}, by ${m.markedBy} at ${m.markedAt}${copied.includes(m) ? ' (written on another server: this database is a copy; `keikaku env unmark production --yes` if the copy is not production)' : ''}`);
  lines.push(target.production ? `guarded: yes (${target.productionBy === 'database' ? 'the mark' : target.productionBy === 'config' ? 'keikaku.config.ts' : '--production'})` : 'guarded: no');
  return { stdout: `${lines.join('\n')}\n`, exitCode: 0 };
};
