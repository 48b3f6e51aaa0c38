/** Options and helpers shared by several commands. */
import type { Argv } from 'yargs';
import type { ResolvedConfig } from '../config/index.js';

/** The main `--help` footer: every code, with the commands that return it. */
export const EXIT_CODES =
  'Exit codes: 0 ok / in sync, 1 error, 2 differences found (check, verify, plan --exit-code, status), 3 refused.\n' +
  '`keikaku COMMAND --help` lists the codes that command returns.';

/**
 * A command's `--help` footer: only the codes it can return. 0 and 1 are every command's; `more` gives the meaning
 * of 2 and 3 where the command returns them.
 */
export const exitCodes = (more: { readonly 2?: string; readonly 3?: string } = {}): string =>
  `Exit codes: ${['0 ok', '1 error', more[2] && `2 ${more[2]}`, more[3] && `3 refused: ${more[3]}`].filter(Boolean).join(', ')}.`;

/**
 * A repeatable option that takes exactly one value each time (\`--rename A=B --rename C=D\`): one value keeps it
 * from swallowing the positional argument after it (\`generate --allow-hazards DELETES_DATA my_name\`), and a
 * missing value is an error rather than an empty list. Every array option is declared through this.
 */
export const listOption = (describe: string) =>
  ({ type: 'string', array: true, requiresArg: true, nargs: 1, default: [] as string[], describe }) as const;

/**
 * Options whose own name starts with \`no-\`. yargs reads \`--no-X\` as "X is false", so \`--no-rename T.C\` would set
 * \`rename\` to false and leave \`T.C\` as a stray argument; \`withNegationLookalikes\` turns such a pair into
 * \`--no-rename=T.C\` before parsing, which yargs reads as the option's value.
 */
export const NO_PREFIXED_OPTIONS: readonly string[] = ['no-rename'];

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
    .option('env', { type: 'string', describe: 'Compare with the database of this environment of keikaku.config.ts (as --from-db)' })
    .conflicts('from-db', 'env')
    .option('rename', listOption('OLD=NEW rename hint (as in diff); repeatable'))
    .option('no-rename', listOption('schema.table.column (or schema.table) that was really dropped: no rename; repeatable'))
    .option('strategy', { choices: ['phased', 'simple'] as const, describe: 'phased: expand/backfill/contract (default); simple: one phase' })
    .option('shadow-url', { type: 'string', describe: 'A server for the shadow database instead of the embedded PGlite' });

export const projectArgs = (a: {
  'from-db'?: string;
  env?: string;
  rename: (string | number)[];
  'no-rename': (string | number)[];
  strategy?: 'phased' | 'simple';
}) => ({
  fromDb: a['from-db'],
  env: a.env,
  renames: a.rename.map(String),
  noRename: a['no-rename'].map(String),
  strategy: a.strategy,
});

export const withShadow = (config: ResolvedConfig, shadowUrl: string | undefined): ResolvedConfig =>
  shadowUrl ? { ...config, shadowUrl } : config;

/**
 * `run` with the project's config (and `--shadow-url`), for `plan` and `generate`. Compared with the migration
 * history, schema/ is normalized on the embedded shadow: when the config has to be evaluated (a fresh clone), the
 * shadow's thread starts first and PGlite starts meanwhile; it is stopped at the end if nothing took it.
 */
export const withProjectConfig = async <T>(
  a: { readonly 'from-db'?: string | undefined; readonly env?: string | undefined; readonly 'shadow-url'?: string | undefined },
  run: (config: ResolvedConfig) => Promise<T>,
): Promise<T> => {
  const { loadConfig } = await import('../config/index.js');
  let stop: (() => Promise<void>) | undefined;
  const embedded = a['shadow-url'] === undefined && a['from-db'] === undefined && a.env === undefined;
  const ahead = embedded ? async () => void (stop = await (await import('../api.js')).shadowAhead(process.cwd())) : undefined;
  try {
    return await run(withShadow(await loadConfig(process.cwd(), process.env, { beforeEvaluate: ahead }), a['shadow-url']));
  } finally {
    await stop?.();
  }
};
