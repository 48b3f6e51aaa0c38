/**
 * `keikaku` as a whole process (bin/keikaku.js): signals handled (signals.ts), the command, then whatever the
 * command made outside the process and has not removed yet (src/db/cleanup.ts) is removed before it exits.
 */
import { runCleanups } from '../db/cleanup.js';
import { main } from './main.js';
import { CLEANUP_TIMEOUT_MS, handleSignals, reportLeft, signalCleanup } from './signals.js';

/** Runs `keikaku argv`; resolves with the exit code (a signal exits from its handler instead). */
export const run = async (argv: readonly string[]): Promise<number> => {
  handleSignals();
  const code = await main(argv);
  const bySignal = signalCleanup();
  if (bySignal) {
    await bySignal; // exits the process
    return code;
  }
  reportLeft(await runCleanups(CLEANUP_TIMEOUT_MS));
  return code;
};
