/**
 * Embedded servers are child processes with a data directory of their own; both must go when keikaku ends, also
 * on an uncaught error or a signal, and a later run removes what a killed one left behind.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

interface Running {
  readonly pid: number;
  readonly dataDir: string;
}

const running = new Map<number, Running>();
let installed = false;

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** SIGQUIT is PostgreSQL's immediate shutdown: the postmaster ends its backends and exits without a checkpoint. */
const stopNow = (r: Running): void => {
  try {
    process.kill(r.pid, 'SIGQUIT');
  } catch {
    // already gone
  }
  removeDir(r.dataDir);
};

/** The server may still write while it exits: retry, and never let one directory stop the others' removal. */
const removeDir = (dir: string): void => {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 });
  } catch {
    // left for the next run's sweepStale
  }
};

const stopAll = (): void => {
  for (const r of running.values()) stopNow(r);
  running.clear();
};

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const onSignal = (signal: NodeJS.Signals): void => {
  // Another listener (the CLI's cancel handling) decides how the process ends; `exit` still stops the servers.
  if (process.listenerCount(signal) > 1) return;
  stopAll();
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.kill(process.pid, signal);
};

const install = (): void => {
  if (installed) return;
  installed = true;
  process.on('exit', stopAll);
  for (const s of SIGNALS) process.on(s, onSignal);
};

/** Registers a started server for the exit and signal handlers; returns its unregistration. */
export const track = (pid: number, dataDir: string): (() => void) => {
  install();
  running.set(pid, { pid, dataDir });
  return () => {
    running.delete(pid);
  };
};

/** A run directory's name: `run-<major>-<pid of the keikaku process>-<random>`. */
export const runDirName = (major: number, random: string): string => `run-${major}-${process.pid}-${random}`;

/**
 * Removes run directories of `cacheDir` whose keikaku process has ended, first ending their server when it still
 * runs (its pid from `postmaster.pid`, and only when that process is the postgres of that directory).
 */
export const sweepStale = (cacheDir: string): void => {
  if (!existsSync(cacheDir)) return;
  for (const name of readdirSync(cacheDir)) {
    const m = /^run-\d+-(\d+)-[0-9a-f]+$/.exec(name);
    if (!m || isAlive(Number(m[1]))) continue;
    const dataDir = join(cacheDir, name);
    try {
      const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmdline.includes(dataDir)) process.kill(pid, 'SIGQUIT');
    } catch {
      // no server left, or not one we can identify: only the directory goes
    }
    removeDir(dataDir);
  }
};
