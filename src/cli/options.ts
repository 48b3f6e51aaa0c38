/** Options and helpers shared by several commands. */
import type { Argv } from 'yargs';
import type { ResolvedConfig } from '../config/index.js';

export const EXIT_CODES = `Exit codes: 0 ok / in sync, 1 error, 2 differences found, 3 refused.`;

/** What a command hands back to `main`: text for stdout and the exit code. Only `main` prints. */
export interface CommandOutput {
  readonly stdout: string;
  readonly exitCode: number;
}
export type Emit = (r: CommandOutput) => void;

/** A command registers itself on the yargs instance; `emit` receives its result. */
export type CommandModule = <T>(cli: Argv<T>, emit: Emit) => Argv<T>;

/** Options shared by `plan` and `generate`. */
export const projectOptions = <T>(y: Argv<T>) =>
  y
    .option('from-db', { type: 'string', describe: 'Compare with this live database instead of the migration history' })
    .option('rename', { type: 'string', array: true, default: [] as string[], describe: 'OLD=NEW rename hint (as in diff); repeatable' })
    .option('no-rename', {
      type: 'string',
      array: true,
      default: [] as string[],
      describe: 'schema.table.column (or schema.table) that was really dropped: no rename; repeatable',
    })
    .option('strategy', { choices: ['phased', 'simple'] as const, describe: 'phased: expand/backfill/contract (default); simple: one phase' })
    .option('shadow-url', { type: 'string', describe: 'A server for the shadow database instead of the embedded PGlite' });

export const projectArgs = (a: {
  'from-db'?: string;
  rename: (string | number)[];
  'no-rename': (string | number)[];
  strategy?: 'phased' | 'simple';
}) => ({
  fromDb: a['from-db'],
  renames: a.rename.map(String),
  noRename: a['no-rename'].map(String),
  strategy: a.strategy,
});

export const withShadow = (config: ResolvedConfig, shadowUrl: string | undefined): ResolvedConfig =>
  shadowUrl ? { ...config, shadowUrl } : config;
