/** `keikaku generate --empty NAME`: prints what `generateEmpty` (src/api.ts) wrote. */
import { generateEmpty } from '../api.js';
import type { ResolvedConfig } from '../config/index.js';
import type { CommandOutput } from './options.js';
import { shownPath } from './shown-path.js';

export interface EmptyMigrationArgs {
  readonly name: string;
  readonly format: 'text' | 'json';
  readonly now: Date;
}

export const runEmptyMigration = async (config: ResolvedConfig, args: EmptyMigrationArgs): Promise<CommandOutput> => {
  const { id, dir, files } = await generateEmpty({ config, name: args.name, now: args.now });
  if (args.format === 'json') return { stdout: `${JSON.stringify({ id, dir: shownPath(dir), handWritten: true, files }, null, 2)}\n`, exitCode: 0 };
  const written = files.filter((f) => f.endsWith('.sql'));
  return {
    stdout:
      `Wrote ${shownPath(dir)}/ (written by hand: ${written.join(', ')}, plan.json, plan.md)\n` +
      'Fill in the SQL, then run `keikaku rehash` to sign it and `keikaku check` to lint it.\n',
    exitCode: 0,
  };
};
