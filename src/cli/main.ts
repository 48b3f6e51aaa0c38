/**
 * The command line. The only place that prints or exits: stages return values, errors that the user can fix
 * are `UserError`s (one line, no stack, their exit code), anything else is a bug (exit 1).
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UserError } from '../db/errors.js';
import { RenameError } from '../diff/index.js';
import { runDiff } from './diff.js';
import { loadConfig, type ResolvedConfig } from '../config/index.js';
import { loadDesired } from '../load/desired.js';
import { runGenerate } from './generate.js';
import { runInit } from './init.js';
import { runPlan } from './plan.js';
import { rebase } from './rebase.js';
import { askRename } from './prompt.js';

const EXIT_CODES = `Exit codes: 0 ok / in sync, 1 error, 2 differences found, 3 refused.`;

/** Options shared by `plan` and `generate`. */
const projectOptions = <T>(y: Argv<T>) =>
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

const projectArgs = (a: { 'from-db'?: string; rename: (string | number)[]; 'no-rename': (string | number)[]; strategy?: 'phased' | 'simple' }) => ({
  fromDb: a['from-db'],
  renames: a.rename.map(String),
  noRename: a['no-rename'].map(String),
  strategy: a.strategy,
});

const withShadow = (config: ResolvedConfig, shadowUrl: string | undefined): ResolvedConfig =>
  shadowUrl ? { ...config, shadowUrl } : config;

export const main = async (argv: readonly string[]): Promise<number> => {
  let exitCode = 0;
  const emit = (r: { stdout: string; exitCode: number }) => {
    process.stdout.write(r.stdout);
    exitCode = r.exitCode;
  };
  const cli = yargs(hideBin(['node', 'keikaku', ...argv]))
    .scriptName('keikaku')
    .usage('keikaku <command> [options]\n\nDeclarative PostgreSQL schemas in TypeScript, compiled to phased, reversible migrations.')
    .command(
      'diff',
      'Compare two schemas and write DIR/up.sql and DIR/down.sql (never writes to either database)',
      (y) =>
        y
          .option('from', { type: 'string', demandOption: true, describe: 'Current schema: postgres:// URL, .sql file or migrations:DIR' })
          .option('to', { type: 'string', demandOption: true, describe: 'Desired schema: postgres:// URL, .sql file or migrations:DIR' })
          .option('out', { type: 'string', demandOption: true, describe: 'Directory to write up.sql and down.sql into' })
          .option('rename', {
            type: 'string',
            array: true,
            default: [] as string[],
            describe: 'OLD=NEW: OLD a qualified name in --from (schema.table[.column]), NEW its new name; repeatable',
          })
          .option('shadow-url', { type: 'string', describe: 'Server to load .sql sources on (default: embedded PGlite)' })
          .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' })
          .example('keikaku diff --from postgres://localhost/app --to desired.sql --out out/', '')
          .epilogue(EXIT_CODES),
      async (a) =>
        emit(
          await runDiff({
            from: a.from,
            to: a.to,
            out: a.out,
            rename: a.rename.map(String),
            shadowUrl: a['shadow-url'],
            format: a.format,
          }),
        ),
    )
    .command(
      'init',
      'Start a project here: keikaku.config.ts, schema/ and generated/ (changes nothing that exists)',
      (y) => y.epilogue(EXIT_CODES),
      () => emit(runInit(process.cwd())),
    )
    .command(
      'plan',
      'Show the migration schema/ needs (against the migration history, or --from-db), writing nothing',
      (y) =>
        projectOptions(y)
          .option('format', { choices: ['text', 'json', 'md'] as const, default: 'text' as const, describe: 'Report format' })
          .option('exit-code', { type: 'boolean', default: false, describe: 'Exit 2 when there are changes' })
          .epilogue(EXIT_CODES),
      async (a) => {
        const config = await loadConfig(process.cwd());
        emit(
          await runPlan(withShadow(config, a['shadow-url']), loadDesired, {
            ...projectArgs(a),
            format: a.format,
            exitCode: a['exit-code'],
            color: process.stdout.isTTY === true && !process.env.NO_COLOR,
          }),
        );
      },
    )
    .command(
      'generate [name]',
      'Write the next migration (up and down per phase, plan.json, plan.md), schema.sql and migrations.sum',
      (y) =>
        projectOptions(y)
          .positional('name', { type: 'string', default: 'migration', describe: 'A few words for the folder name' })
          .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Report format' })
          .option('rebase', { type: 'boolean', default: false, describe: 'After a merge left two heads: re-plan the newer one on top of the other' })
          .epilogue(`KEIKAKU_NOW (an ISO time) fixes the clock, so the same input writes byte-identical files.\n${EXIT_CODES}`),
      async (a) => {
        const config = withShadow(await loadConfig(process.cwd()), a['shadow-url']);
        const name = a.rebase ? rebase(config) ?? a.name : a.name;
        emit(
          await runGenerate(config, loadDesired, {
            ...projectArgs(a),
            decide: process.stdin.isTTY && process.stdout.isTTY ? askRename : undefined,
            name,
            format: a.format,
            now: process.env.KEIKAKU_NOW ? new Date(process.env.KEIKAKU_NOW) : new Date(),
          }),
        );
      },
    )
    .demandCommand(1, 'Name a command; see keikaku --help.')
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .epilogue(EXIT_CODES)
    .fail((msg, err) => {
      if (err) throw err;
      throw new UserError(msg ?? 'invalid arguments');
    })
    .exitProcess(false);
  try {
    // With a callback yargs hands over its own output (help, version) instead of printing it.
    let output = '';
    await cli.parseAsync(hideBin(['node', 'keikaku', ...argv]), {}, (_err, _argv, out) => {
      output = out;
    });
    if (output) process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
    return exitCode;
  } catch (e) {
    if (e instanceof UserError) {
      process.stderr.write(`keikaku: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof RenameError) {
      process.stderr.write(`keikaku: ${e.message}\n`);
      return 3;
    }
    process.stderr.write(`keikaku: internal error: ${e instanceof Error ? (process.env.KEIKAKU_DEBUG ? e.stack : e.message) : String(e)}\n`);
    return 1;
  }
};
