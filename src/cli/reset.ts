/**
 * `keikaku reset`: a development database emptied and brought to the head again (see src/history/reset.ts). It
 * destroys rows, so: never on a production database (by flag, environment or the database's own mark), asked on a
 * terminal (the database's name typed), `--yes` otherwise.
 */
import { createInterface } from 'node:readline/promises';
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import { connectPg } from '../db/pg.js';
import { databaseContents, emptyDatabase } from '../history/reset.js';
import { resolveTarget, withDatabaseMark, type Target } from './apply.js';
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
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(`reset drops ${what} in ${target.label}. Type its name (${target.database}) to go on: `);
    if (answer.trim() !== target.database) throw new UserError(`stopped: "${answer.trim()}" is not ${target.database}; nothing was changed`, 3);
  } finally {
    rl.close();
  }
};

export const runReset = async (config: ResolvedConfig, a: ResetArgs): Promise<CommandOutput> => {
  const given = resolveTarget(config, a);
  const db = await connectPg(given.url);
  let dropped: readonly string[];
  try {
    const target = await withDatabaseMark(given, db);
    if (target.production) {
      const why = { flag: '--production', config: 'its environment in keikaku.config.ts', database: 'the database is marked (keikaku env mark production)' }[target.productionBy ?? 'database'];
      throw new UserError(`refusing to reset ${target.label}: it is a production database (${why}); reset is for development databases only`, 3);
    }
    const c = await databaseContents(db);
    const what = `${c.schemas.length ? `schema${c.schemas.length === 1 ? '' : 's'} ${c.schemas.join(', ')}` : 'nothing (it is empty)'} with ${c.tables} table${c.tables === 1 ? '' : 's'} and about ${c.rows} row${c.rows === 1 ? '' : 's'}`;
    await confirm(target, what, a);
    dropped = await emptyDatabase(db, (h) => a.write(`waiting for the migration lock${h ? ` (held by pid ${h.pid})` : ''}\n`));
    a.write(`reset: dropped ${dropped.length ? dropped.join(', ') : 'nothing'}; applying every migration\n`);
  } finally {
    await db.close().catch(() => undefined);
  }
  const run: RunArgs = { direction: 'up', databaseUrl: a.databaseUrl, env: a.env, dryRun: false, yes: true, format: a.format, write: a.write };
  const applied = await runApplyCommand(config, run);
  if (a.format === 'json') {
    const result = JSON.parse(applied.stdout) as Record<string, unknown>;
    return { stdout: `${JSON.stringify({ dropped, ...result }, null, 2)}\n`, exitCode: applied.exitCode };
  }
  return applied;
};
