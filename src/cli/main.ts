/**
 * The command line. The only place that prints or exits: stages return values, errors that the user can fix
 * are `UserError`s (one line, no stack, their exit code), anything else is a bug (exit 1).
 */
import yargs, { type Argv } from 'yargs';
import { UserError } from '../db/errors.js';
import { RenameError } from '../diff/renames.js';
import { COMMAND_NAMES, commands } from './commands/index.js';
import { mistypedCommand } from './did-you-mean.js';

/** The option the script of `keikaku completion` calls keikaku with (yargs' own name). */
const COMPLETION_KEY = '--get-yargs-completions';
import { EXIT_CODES, NO_PREFIXED_OPTIONS, type CommandOutput } from './options.js';
import { terminalOutput } from '../model/escape.js';
import { colourEnabled, paintStderr, paintStdout } from './colour.js';
import { interrupted } from './signals.js';
import { knownSecrets, redactOutput } from './redact.js';
import { HandBack } from './daemon/hand-back.js';

/** Everything a command prints passes here: see `terminalOutput` (fields holding names are escaped before). */
const out = (text: string) => process.stdout.write(colourEnabled(process.stdout) ? paintStdout(terminalOutput(text)) : terminalOutput(text));
const err = (text: string) => process.stderr.write(colourEnabled(process.stderr) ? paintStderr(terminalOutput(text)) : terminalOutput(text));

/**
 * The command named first must exist, checked before yargs sees it: yargs would answer `keikaku migrate --help` with
 * the main help and exit 0, and `keikaku aply` with "Unknown argument".
 */
export const checkCommand = (argv: readonly string[]): void => {
  // The completion script asks with the words typed so far: none of them has to be a command yet.
  if (argv.includes(COMPLETION_KEY)) return;
  const typo = mistypedCommand(argv, COMMAND_NAMES);
  if (!typo) return;
  throw new UserError(`unknown command "${typo.word}"${typo.guess ? `: did you mean \`${typo.guess}\`?` : ''} (keikaku --help lists the commands)`);
};

/** `--no-rename T.C` → `--no-rename=T.C` for the options named `no-…` (see NO_PREFIXED_OPTIONS). */
const withNegationLookalikes = (argv: readonly string[]): string[] => {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const name = a.slice(2);
    if (!a.startsWith('--') || !NO_PREFIXED_OPTIONS.includes(name)) {
      out.push(a);
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('-')) throw new UserError(`--${name} needs a value, e.g. --${name} schema.table.column`);
    out.push(`--${name}=${value}`);
    i++;
  }
  return out;
};

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
  let cli: Argv = yargs()
    .scriptName('keikaku')
    // One value per occurrence of an array option, whatever its definition says: a repeated flag collects values.
    .parserConfiguration({ 'greedy-arrays': false })
    .usage('keikaku <command> [options]\n\nDeclarative PostgreSQL schemas in TypeScript, compiled to phased, reversible migrations.');
  for (const register of commands) cli = register(cli, emit);
  cli = cli
    .completion('completion', 'Print a bash/zsh completion script: keikaku completion >> ~/.bashrc (or ~/.zshrc)')
    .demandCommand(1, 'Name a command; see keikaku --help.')
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .epilogue(EXIT_CODES)
    .fail((msg, err) => {
      // yargs' own argument errors (YError: "Not enough arguments following: allow") are the user's to fix.
      if (err && err.name !== 'YError') throw err;
      if (err) throw new UserError(err.message);
      throw new UserError(msg ?? 'invalid arguments');
    })
    .exitProcess(false);
  try {
    checkCommand(argv);
    // With a callback yargs hands over its own output (help, version) instead of printing it.
    let output = '';
    await cli.parseAsync(withNegationLookalikes(argv), {}, (_err, _argv, out) => {
      output = out;
    });
    if (output) out(output.endsWith('\n') ? output : `${output}\n`);
    return exitCode;
  } catch (e) {
    if (interrupted()) return 1; // the signal's cleanup cut the command's connections; the signal is the story
    if (e instanceof HandBack) throw e; // a daemon's run that must ask: the client runs it (daemon/hand-back.ts)
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
