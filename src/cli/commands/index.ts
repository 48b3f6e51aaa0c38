/**
 * Every command, in the order `--help` lists them. A new command is one file here, one line in `commands` and its
 * name in `COMMAND_NAMES` (a test checks the two agree).
 */
import type { CommandModule } from '../options.js';
import { applyCommand } from './apply.js';
import { archiveCommand } from './archive.js';
import { checkCommand } from './check.js';
import { daemonCommand } from './daemon.js';
import { diffCommand } from './diff.js';
import { envCommand } from './env.js';
import { downCommand } from './down.js';
import { generateCommand } from './generate.js';
import { initCommand } from './init.js';
import { lintCommand } from './lint.js';
import { planCommand } from './plan.js';
import { pullCommand } from './pull.js';
import { rehashCommand } from './rehash.js';
import { rehearseCommand } from './rehearse.js';
import { resolveCommand } from './resolve.js';
import { discardCommand } from './discard.js';
import { resetCommand } from './reset.js';
import { pushCommand } from './push.js';
import { squashCommand } from './squash.js';
import { statusCommand } from './status.js';
import { typesCommand } from './types.js';
import { verifyCommand } from './verify.js';

export const commands: readonly CommandModule[] = [
  initCommand,
  generateCommand,
  planCommand,
  diffCommand,
  applyCommand,
  downCommand,
  statusCommand,
  rehearseCommand,
  checkCommand,
  verifyCommand,
  lintCommand,
  typesCommand,
  pullCommand,
  archiveCommand,
  envCommand,
  rehashCommand,
  squashCommand,
  resolveCommand,
  discardCommand,
  resetCommand,
  pushCommand,
  daemonCommand,
];

/** The names `commands` registers (and `completion`, which yargs adds in main.ts): an argument that is none of them is an unknown command (with a suggestion). */
export const COMMAND_NAMES: readonly string[] = ['init', 'generate', 'plan', 'diff', 'apply', 'down', 'status', 'rehearse', 'check', 'verify', 'lint', 'types', 'pull', 'archive', 'env', 'rehash', 'squash', 'resolve', 'discard', 'reset', 'push', 'daemon', 'completion'];
