/** `keikaku types --kysely FILE`: prints what `types` (src/api.ts) wrote. */
import { resolve } from 'node:path';
import { types } from '../api.js';
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import { stderrNotifier } from './notice.js';
import type { CommandOutput } from './options.js';
import { shownPath } from './shown-path.js';

export interface TypesArgs {
  readonly kysely: string | undefined;
  readonly format: 'text' | 'json';
}

export const runTypes = async (config: ResolvedConfig, args: TypesArgs): Promise<CommandOutput> => {
  if (args.kysely === undefined || args.kysely === '') throw new UserError('name the file to write: keikaku types --kysely src/db.d.ts');
  const written = await types({ config, kysely: resolve(process.cwd(), args.kysely), notify: stderrNotifier });
  const { tables, views } = written;
  const summary = { file: shownPath(written.file), tables, views };
  return {
    stdout: args.format === 'json' ? `${JSON.stringify(summary, null, 2)}\n` : `wrote ${summary.file}: Kysely DB interface of ${tables} table${tables === 1 ? '' : 's'} and ${views} view${views === 1 ? '' : 's'}\n`,
    exitCode: 0,
  };
};
