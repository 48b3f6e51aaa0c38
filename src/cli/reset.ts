/**
 * `keikaku reset`: a development database emptied and brought to the head again (see src/history/reset.ts). It
 * destroys rows, so: never on a production database (by flag, environment or the database's own mark), asked on a
 * terminal (the database's name typed), `--yes` otherwise.
 */
import { typeDatabaseName } from './prompt.js';
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import { reset } from '../api.js';
import type { Target } from './apply.js';
import type { CommandOutput } from './options.js';
import { runApplyCommand, type RunArgs } from './run-apply.js';

export interface ResetArgs {
  readonly databaseUrl?: string | undefined;
  readonly env?: string | undefined;
  readonly production?: boolean | undefined;
  readonly yes: boolean;
  readonly format: 'text' | 'json';
  readonly write: (text: string) => void;
  readonly tty: boolean;
}

const confirm = async (target: Target, what: string, a: ResetArgs): Promise<void> => {
  if (a.yes) return;
  if (!a.tty) throw new UserError(`refusing to reset ${target.label} without --yes (no terminal to confirm on): it would drop ${what}`, 3);
  await typeDatabaseName(target, `reset drops ${what} in ${target.label}. Type its name (${target.database}) to go on: `);
};

export const runReset = async (config: ResolvedConfig, a: ResetArgs): Promise<CommandOutput> => {
  const { dropped } = await reset({
    config,
    databaseUrl: a.databaseUrl,
    env: a.env,
    production: a.production,
    confirm: (target, what) => confirm(target, what, a),
    onWait: (h) => a.write(`waiting for the migration lock${h ? ` (held by pid ${h.pid})` : ''}\n`),
  });
  a.write(`reset: dropped ${dropped.length ? dropped.join(', ') : 'nothing'}; applying every migration\n`);
  const run: RunArgs = { direction: 'up', databaseUrl: a.databaseUrl, env: a.env, dryRun: false, yes: true, format: a.format, write: a.write };
  const applied = await runApplyCommand(config, run);
  if (a.format === 'json') {
    const result = JSON.parse(applied.stdout) as Record<string, unknown>;
    return { stdout: `${JSON.stringify({ dropped, ...result }, null, 2)}\n`, exitCode: applied.exitCode };
  }
  return applied;
};
