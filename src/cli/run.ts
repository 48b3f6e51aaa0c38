/**
 * `keikaku` as a whole process (bin/keikaku.js): signals handled (signals.ts), the command, then whatever the
 * command made outside the process and has not removed yet (src/db/cleanup.ts) is removed before it exits.
 */
import { runCleanups } from '../db/cleanup.js';
import { main } from './main.js';
import { CLEANUP_TIMEOUT_MS, handleSignals, reportLeft, signalCleanup } from './signals.js';

/**
 * `pg` tells whether it runs in a Cloudflare Worker when it is loaded: by `navigator.userAgent`, or, without a
 * `navigator` (Node 20), by making a `Response`, whose first use loads Node's whole fetch implementation (~60 ms
 * of a `keikaku diff`'s start-up). Node 21 and later have a `navigator` whose userAgent names Node.js: Node 20 gets
 * that one field (no `language`: PGlite reads it for its locale), in the CLI's process only.
 */
const navigatorForPg = (): void => {
  if ('navigator' in globalThis) return;
  const userAgent = `Node.js/${process.versions.node.split('.')[0]}`;
  Object.defineProperty(globalThis, 'navigator', { value: Object.freeze({ userAgent }), configurable: true, writable: true });
};

/** Runs `keikaku argv`; resolves with the exit code (a signal exits from its handler instead). */
export const run = async (argv: readonly string[]): Promise<number> => {
  navigatorForPg();
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
