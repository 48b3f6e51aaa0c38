/**
 * `--watch`: the schema directory watched for saves. Editors save in bursts (write, rename, chmod), so events are
 * gathered until the directory has been quiet for `quietMs`, then one change is reported with every file touched
 * and the time of its first event (a caller measures its reaction from there). Only `.ts` files count; an editor's
 * swap and backup files do not.
 */
import { watch, type FSWatcher } from 'node:fs';
import { join, relative } from 'node:path';
import { UserError } from '../db/errors.js';

export interface SchemaChange {
  /** Files touched, relative to the schema directory, sorted. */
  readonly files: readonly string[];
  /** `performance.now()` of the first event of the burst. */
  readonly firstEventAt: number;
}

export interface WatchOptions {
  /** Stops the watch: the iteration ends. */
  readonly signal?: AbortSignal | undefined;
  /** Quiet time that ends a burst of events (default 40 ms). */
  readonly quietMs?: number | undefined;
}

const counts = (file: string) => /\.(ts|mts|cts)$/.test(file) && !/(^|\/)\.|~$|\.sw.$/.test(file);

/**
 * Yields one `SchemaChange` per burst of saves under `dir` until `signal` aborts (or the caller stops iterating).
 * Watching starts at the call, not at the first `next()`: a save while the caller is busy is kept for it.
 */
export const watchDirectory = (dir: string, o: WatchOptions = {}): AsyncGenerator<SchemaChange> => {
  const quiet = o.quietMs ?? 40;
  let pending = new Set<string>();
  let first = 0;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const ready: SchemaChange[] = [];
  const flush = () => {
    timer = undefined;
    if (pending.size === 0) return;
    ready.push({ files: [...pending].sort(), firstEventAt: first });
    pending = new Set();
    wake?.();
  };
  let watcher: FSWatcher;
  try {
    watcher = watch(dir, { recursive: true }, (_event, name) => {
      const file = name ? relative(dir, join(dir, name.toString())) : '';
      if (!counts(file)) return;
      if (pending.size === 0) first = performance.now();
      pending.add(file);
      clearTimeout(timer);
      timer = setTimeout(flush, quiet);
    });
  } catch (e) {
    throw new UserError(`cannot watch ${dir}: ${e instanceof Error ? e.message : String(e)}`, 1, { cause: e });
  }
  const stop = () => wake?.();
  o.signal?.addEventListener('abort', stop);
  const close = () => {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', stop);
    watcher.close();
  };
  async function* changes(): AsyncGenerator<SchemaChange> {
    try {
      while (!o.signal?.aborted) {
        if (ready.length === 0) await new Promise<void>((r) => (wake = r));
        wake = undefined;
        const next = ready.shift();
        if (next) yield next;
      }
    } finally {
      close();
    }
  }
  return changes();
};
