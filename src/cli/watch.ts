/**
 * `--watch` (plan, push): the command runs once, then again after every save in `schema/`, until Ctrl-C. Each run's
 * report goes to stdout as the command alone would print it; what the watch says (which files, how long after the
 * save the new report was out) goes to stderr. An error the user can fix (a syntax error mid-edit) is printed and
 * the watch goes on.
 */
import { relative } from 'node:path';
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import { RenameError } from '../diff/index.js';
import { terminalOutput } from '../model/escape.js';
import { warmShadow, watchSchema } from '../api.js';
import type { CommandOutput, Emit } from './options.js';

const say = (text: string) => process.stderr.write(terminalOutput(text));

const runOnce = async (run: () => Promise<CommandOutput>, emit: Emit): Promise<void> => {
  try {
    emit(await run());
  } catch (e) {
    if (!(e instanceof UserError || e instanceof RenameError)) throw e;
    say(`keikaku: ${e.message}\n`);
  }
};

export const watchLoop = async (config: ResolvedConfig, verb: string, run: () => Promise<CommandOutput>, emit: Emit): Promise<void> => {
  const shown = relative(process.cwd(), config.schemaDir) || '.';
  // Watching starts before the first run: a save during it is not missed.
  const changes = await watchSchema({ config });
  await runOnce(run, emit);
  // While it waits, the next run's shadow starts: a save then costs the changed declarations, not a start.
  await warmShadow({ config });
  say(`watching ${shown}/ for saves (Ctrl-C stops)\n`);
  for await (const change of changes) {
    say(`\n${change.files.map((f) => `${shown}/${f}`).join(', ')} saved: ${verb}\n`);
    await runOnce(run, emit);
    say(`(${((performance.now() - change.firstEventAt) / 1000).toFixed(2)} s after the save; watching)\n`);
    await warmShadow({ config });
  }
};
