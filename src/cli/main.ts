/**
 * The command line. The only place that prints or exits: stages return values, errors that the user can fix
 * are `UserError`s (one line, no stack, their exit code), anything else is a bug (exit 1).
 */
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UserError } from '../db/errors.js';
import { RenameError } from '../diff/index.js';
import { commands } from './commands/index.js';
import { EXIT_CODES, type CommandOutput } from './options.js';
import { knownSecrets, redactOutput } from './redact.js';

export const main = async (argv: readonly string[]): Promise<number> => {
  const restore = redactOutput(knownSecrets(argv, process.env, process.cwd()));
  try {
    return await run(argv);
  } finally {
    restore();
  }
};

const run = async (argv: readonly string[]): Promise<number> => {
  let exitCode = 0;
  const emit = (r: CommandOutput) => {
    process.stdout.write(r.stdout);
    exitCode = r.exitCode;
  };
  let cli: Argv = yargs(hideBin(['node', 'keikaku', ...argv]))
    .scriptName('keikaku')
    .usage('keikaku <command> [options]\n\nDeclarative PostgreSQL schemas in TypeScript, compiled to phased, reversible migrations.');
  for (const register of commands) cli = register(cli, emit);
  cli = cli
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
