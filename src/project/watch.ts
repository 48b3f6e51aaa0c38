/**
 * `--watch`: the schema directory watched for saves. Editors save in bursts (write, rename, chmod), so events are
 * gathered until the directory has been quiet for `quietMs`, then one change is reported with every file touched
 * and the time of its first event (a caller measures its reaction from there). Only `.ts` files count; an editor's
 * swap and backup files do not.
 *
 * Each directory is watched by itself, not with `{ recursive: true }`: on Linux, Node's recursive watch follows
 * files, and loses one that an editor saves by writing a new file and renaming it over the old (vim, sed -i,
 * many IDEs); a directory's own watch reports every entry renamed into it. A directory made later is added.
 */
import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
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

const isDirectory = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

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
  const watchers = new Map<string, FSWatcher>();
  const add = (sub: string) => {
    if (watchers.has(sub)) return;
    const w = watch(sub, (_event, name) => {
      if (!name) return;
      const path = join(sub, name.toString());
      if (isDirectory(path)) return addTree(path);
      const file = relative(dir, path);
      if (!counts(file)) return;
      if (pending.size === 0) first = performance.now();
      pending.add(file);
      clearTimeout(timer);
      timer = setTimeout(flush, quiet);
    });
    // A directory removed while watched: its watch ends.
    w.on('error', () => (w.close(), watchers.delete(sub)));
    watchers.set(sub, w);
  };
  const addTree = (sub: string) => {
    add(sub);
    for (const e of readdirSync(sub, { withFileTypes: true }))
      if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') addTree(join(sub, e.name));
  };
  try {
    addTree(dir);
  } catch (e) {
    for (const w of watchers.values()) w.close();
    throw new UserError(`cannot watch ${dir}: ${e instanceof Error ? e.message : String(e)}`, 1, { cause: e });
  }
  const stop = () => wake?.();
  o.signal?.addEventListener('abort', stop);
  const close = () => {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', stop);
    for (const w of watchers.values()) w.close();
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
