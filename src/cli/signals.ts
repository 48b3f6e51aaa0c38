/**
 * SIGINT, SIGTERM and SIGHUP end keikaku only after what the run made outside the process is removed
 * (src/db/cleanup.ts); the process then exits with 128 + the signal's number (130, 143, 129), as shells and CI
 * runners expect. A second signal while that runs exits at once.
 */
import { runCleanups } from '../db/cleanup.js';

/** How long the removal may take before the process exits anyway (a server that no longer answers). */
export const CLEANUP_TIMEOUT_MS = 10_000;

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const satisfies Record<string, number>;
type HandledSignal = keyof typeof EXIT_CODES;

let ending: { readonly signal: HandledSignal; readonly done: Promise<void> } | undefined;

/** Whether a signal is ending the process: the command's own errors (its connections cut) are not worth printing. */
export const interrupted = (): boolean => ending !== undefined;

/** Resolves when the signal's cleanup has run (the process exits then); undefined when no signal came. */
export const signalCleanup = (): Promise<void> | undefined => ending?.done;

/** Writes what could not be removed; a later run's sweep (src/db/scratch-sweep.ts) takes scratch databases. */
export const reportLeft = (failed: readonly string[]): void => {
  for (const label of failed) process.stderr.write(`keikaku: could not remove ${label}; a later run removes it\n`);
};

const onSignal = (signal: HandledSignal) => {
  const code = EXIT_CODES[signal];
  if (ending) process.exit(code);
  process.stderr.write(`keikaku: ${signal}: removing what this run made, then exiting\n`);
  const done = runCleanups(CLEANUP_TIMEOUT_MS).then((failed) => {
    reportLeft(failed);
    process.exit(code);
  });
  ending = { signal, done };
};

/** Installs the handlers (once per process). */
export const handleSignals = (): void => {
  for (const signal of Object.keys(EXIT_CODES) as HandledSignal[]) process.once(signal, () => onSignal(signal));
};
