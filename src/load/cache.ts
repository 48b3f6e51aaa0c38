/**
 * A cache of schemas read back from a shadow database, keyed by a hash of everything that decided them: the SQL
 * that was applied, the shadow it ran on, and this keikaku's version. The same history or the same declared
 * schema is then read without starting a shadow at all. Entries are plain JSON under node_modules/.cache.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../emit/checksum.js';
import type { Schema } from '../model/schema.js';

const VERSION = 'schema-cache/1';

export const cacheDir = (root: string) => join(root, 'node_modules', '.cache', 'keikaku');

export const cacheKey = (parts: readonly string[]) => sha256(JSON.stringify([VERSION, ...parts]));

export const readCached = (root: string, key: string): Schema | null => {
  const path = join(cacheDir(root), `${key}.json`);
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Schema;
  } catch {
    return null;
  }
};

/** Written to a temporary name and renamed, so a reader never sees half a file. */
export const writeCached = (root: string, key: string, schema: Schema) => {
  try {
    const dir = cacheDir(root);
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, `${key}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(schema));
    renameSync(tmp, join(dir, `${key}.json`));
  } catch {
    // A cache that cannot be written only costs time.
  }
};

/** `compute` unless a schema for the same key is cached. */
export const cachedSchema = async (root: string | null, parts: readonly string[], compute: () => Promise<Schema>): Promise<Schema> => {
  if (root === null || process.env.KEIKAKU_NO_CACHE === '1') return compute();
  const key = cacheKey(parts);
  const hit = readCached(root, key);
  if (hit) return hit;
  const schema = await compute();
  writeCached(root, key, schema);
  return schema;
};
