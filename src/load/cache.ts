/**
 * A cache of schemas read back from a shadow database, keyed by a hash of everything that decided them: the SQL
 * that was applied, the shadow it ran on (the embedded PGlite's version), and this keikaku's version. The same
 * history or the same declared schema is then read without starting a shadow at all. Entries are plain JSON under
 * node_modules/.cache.
 */
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pgliteVersion } from '../db/pglite-fresh.js';
import { sha256 } from '../emit/checksum.js';
import type { Schema } from '../model/schema.js';
import { memoizeLines, schemaJson } from '../model/schema-json.js';
import { memoizeRenders } from '../dsl/ddl/script.js';

// 5: columns gained `notNullName` and `virtual` (PostgreSQL 18).
export const MODEL_VERSION = 'schema-cache/5';

/** keikaku's own version (package.json, two levels above this file in src/ and in dist/). */
export const keikakuVersion = (() => {
  let version: string | undefined;
  return () => {
    if (version !== undefined) return version;
    try {
      const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'package.json');
      version = (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version ?? '';
    } catch {
      version = '';
    }
    return version;
  };
})();

export const cacheDir = (root: string) => join(root, 'node_modules', '.cache', 'keikaku');

export const cacheKey = (parts: readonly string[]) => sha256(JSON.stringify([MODEL_VERSION, keikakuVersion(), pgliteVersion() ?? '', ...parts]));

export const cachingDisabled = () => process.env.KEIKAKU_NO_CACHE === '1';

const entryPath = (root: string, name: string) => join(cacheDir(root), `${name}.json`);

/** A cache entry by name (`<name>.json`); null when absent or unreadable. */
export const readEntry = <T>(root: string, name: string): T | null => {
  const path = entryPath(root, name);
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
};

/** Written to a temporary name and renamed, so a reader never sees half a file. */
export const writeEntry = (root: string, name: string, value: unknown) => writeEntryText(root, name, JSON.stringify(value));

/** `writeEntry` of a value already rendered as JSON. */
const writeEntryText = (root: string, name: string, text: string) => writeAt(entryPath(root, name), text);

const writeAt = (path: string, text: string) => {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    // Written and renamed with no await between: a signal cannot leave the temporary file behind.
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch {
    // A cache that cannot be written only costs time; half of an entry (a full disk) is removed.
    rmSync(tmp, { force: true });
  }
};

/**
 * Schemas kept in this process by entry path, the newest last, while `keepInMemory` is on (the daemon: a run
 * after a save splices into the last normalization, and the memos keyed by schema objects — graphs, rendered
 * statements — find the tables that did not change). A key decides its schema, so a kept one is what the file
 * holds, or will hold: `pending` ones are written by `flushCacheWrites`, after the reply.
 */
const memory = new Map<string, { readonly schema: Schema; pending: boolean }>();
let keeping: { readonly limit: number } | null = null;

/**
 * Keeps the last `limit` schemas read or written in memory (distinct schemas: the same one under two keys counts
 * once), and writes new ones only at `flushCacheWrites` (`limit` 0: neither; what is pending is written first).
 */
export const keepInMemory = (limit: number): void => {
  if (limit <= 0) {
    flushCacheWrites();
    memory.clear();
    keeping = null;
  } else keeping = { limit };
  memoizeLines(keeping !== null);
  memoizeRenders(keeping !== null);
};

/** Whether `keepInMemory` is on: what else a run makes may be kept for the next one too (`parseHeadAhead`). */
export const keepingInMemory = (): boolean => keeping !== null;

/** The oldest entries that are written already go while more than `limit` distinct schemas are kept. */
const trim = (): void => {
  const limit = keeping?.limit ?? 0;
  const entries = new Map<Schema, number>();
  for (const e of memory.values()) entries.set(e.schema, (entries.get(e.schema) ?? 0) + 1);
  let distinct = entries.size;
  for (const [p, e] of memory) {
    if (distinct <= limit) break;
    if (e.pending) continue;
    memory.delete(p);
    const left = entries.get(e.schema)! - 1;
    entries.set(e.schema, left);
    if (left === 0) distinct--;
  }
};

const remember = (path: string, schema: Schema, pending: boolean): void => {
  memory.delete(path);
  memory.set(path, { schema, pending });
  trim();
};

export const readCached = (root: string, key: string): Schema | null => {
  const path = entryPath(root, key);
  const kept = keeping ? memory.get(path) : undefined;
  if (kept) {
    remember(path, kept.schema, kept.pending);
    return kept.schema;
  }
  const schema = readEntry<Schema>(root, key);
  if (schema && keeping) remember(path, schema, false);
  return schema;
};

/** Whether a schema is cached under `key` (not read: it may still turn out unreadable). */
export const hasCached = (root: string, key: string): boolean => {
  const path = entryPath(root, key);
  return (keeping !== null && memory.has(path)) || existsSync(path);
};

/** Where each schema was last written in this process: the same schema under another key is a link to that file. */
const writtenAt = new WeakMap<Schema, string>();

/**
 * A schema under `key`. One written already under another key (`generate` keeps the normalized schema/ and, the
 * same schema, the predicted history) is linked to that entry rather than written again; entries are replaced by
 * renaming, never rewritten in place, so the two stay independent.
 */
export const writeCached = (root: string, key: string, schema: Schema) => {
  const path = entryPath(root, key);
  if (keeping) remember(path, schema, true);
  else writeFile(path, schema);
};

/** The schemas `writeCached` kept for later (`keepInMemory`) written now, in the order they came. */
export const flushCacheWrites = (): void => {
  for (const [path, e] of memory)
    if (e.pending) {
      e.pending = false;
      writeFile(path, e.schema);
    }
  trim();
};

const writeFile = (path: string, schema: Schema) => {
  const earlier = writtenAt.get(schema);
  if (earlier !== undefined && earlier !== path && existsSync(earlier)) {
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      rmSync(tmp, { force: true });
      linkSync(earlier, tmp);
      renameSync(tmp, path);
      return;
    } catch {
      rmSync(tmp, { force: true });
    }
  }
  writeAt(path, schemaJson(schema));
  writtenAt.set(schema, path);
};

/** `compute` unless a schema for the same key is cached. */
export const cachedSchema = async (root: string | null, parts: readonly string[], compute: () => Promise<Schema>): Promise<Schema> => {
  if (root === null || cachingDisabled()) return compute();
  const key = cacheKey(parts);
  const hit = readCached(root, key);
  if (hit) return hit;
  const schema = await compute();
  writeCached(root, key, schema);
  return schema;
};
