/**
 * The command line. The only place that prints or exits: stages return values, errors that the user can fix
 * are `UserError`s (one line, no stack, their exit code), anything else is a bug (exit 1).
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UserError } from '../db/errors.js';
import { RenameError } from '../diff/index.js';
import { runDiff } from './diff.js';

const EXIT_CODES = `Exit codes: 0 ok / in sync, 1 error, 2 differences found, 3 refused.`;

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
