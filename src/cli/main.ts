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
import { terminalOutput } from '../model/escape.js';
import { interrupted } from './signals.js';
import { knownSecrets, redactOutput } from './redact.js';

/** Everything a command prints passes here: see `terminalOutput` (fields holding names are escaped before). */
const out = (text: string) => process.stdout.write(terminalOutput(text));
const err = (text: string) => process.stderr.write(terminalOutput(text));

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
    out(r.stdout);
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
    if (output) out(output.endsWith('\n') ? output : `${output}\n`);
    return exitCode;
  } catch (e) {
    if (interrupted()) return 1; // the signal's cleanup cut the command's connections; the signal is the story
    if (e instanceof UserError) {
      err(`keikaku: ${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof RenameError) {
      err(`keikaku: ${e.message}\n`);
      return 3;
    }
    err(`keikaku: internal error: ${e instanceof Error ? (process.env.KEIKAKU_DEBUG ? e.stack : e.message) : String(e)}\n`);
    return 1;
  }
};
