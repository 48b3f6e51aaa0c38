/** The schema a migration history leads to: replayed in a shadow database and read back. */
import { extensionsNeeded, openPglite } from '../db/pglite.js';
import { createScratchDatabase } from '../db/scratch.js';
import type { Db } from '../db/types.js';
import { emptySchema, type Schema } from '../model/schema.js';
import { runInWorker, WorkerFailure, workersEnabled } from '../db/worker.js';
import { replay, upFiles, type Migration } from './migrations.js';
import { readSchema } from './source.js';
import { cachedSchema, cacheKey, cachingDisabled, readCached, writeCached } from './cache.js';

export interface ShadowOptions {
  /** A server to replay on (a scratch database, always dropped) instead of the embedded PGlite. */
  readonly shadowUrl?: string | undefined;
  /** The project root, for the schema cache (`cache.ts`); none when absent. */
  readonly cacheRoot?: string | undefined;
  /**
   * Take the schema `generate` predicted for this history (`predictHistorySchema`) when nothing replayed it yet:
   * for the edit loop (`plan`, `generate`); `check` and `verify` always replay.
   */
  readonly acceptPredicted?: boolean | undefined;
}

/** Runs `fn` on an empty shadow database: a scratch database on `shadowUrl`, else an embedded PGlite. */
export const withShadow = async <T>(sqlHint: string, options: ShadowOptions, fn: (db: Db) => Promise<T>): Promise<T> => {
  if (options.shadowUrl) {
    const scratch = await createScratchDatabase(options.shadowUrl);
    try {
      return await fn(scratch.db);
    } finally {
      await scratch.drop();
    }
  }
  const db = await openPglite({ extensions: extensionsNeeded(sqlHint) });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
};

const upSql = (migrations: readonly Migration[]): string => migrations.flatMap((m) => upFiles(m).map((f) => m.files.get(f)!)).join('\n');

/** The history replayed in a shadow and read back. */
const replayed = (migrations: readonly Migration[], allSql: string, options: ShadowOptions): Promise<Schema> =>
  withShadow(allSql, options, async (db) => {
    await replay(db, migrations);
    return readSchema(db);
  });

/** The history replayed on an embedded PGlite and read back (run on a worker thread by `historySchema`). */
export const replayEmbedded = (migrations: readonly Migration[]): Promise<Schema> => replayed(migrations, upSql(migrations), {});

/**
 * The schema a history leads to. On the embedded shadow the replay runs on a worker thread, so that it overlaps
 * with the normalization of schema/ on the main thread; when it fails there, it runs again here to raise the
 * typed error (the file and line of the rejected statement).
 */
export const historySchema = async (migrations: readonly Migration[], options: ShadowOptions = {}): Promise<Schema> => {
  if (migrations.length === 0 && !options.shadowUrl) return emptySchema(180000);
  const allSql = upSql(migrations);
  // A server shadow's version is not known before connecting: only the embedded one is cached.
  const cacheRoot = options.shadowUrl ? null : (options.cacheRoot ?? null);
  const here = () => replayed(migrations, allSql, options);
  const compute = () =>
    options.shadowUrl || !workersEnabled()
      ? here()
      : runInWorker<Schema>(new URL(import.meta.url), 'replayEmbedded', migrations).catch((e: unknown) =>
          e instanceof WorkerFailure ? here() : Promise.reject(e),
        );
  if (cacheRoot !== null && options.acceptPredicted && !cachingDisabled()) {
    const predicted = readCached(cacheRoot, cacheKey(['history-predicted', 'pglite', allSql]));
    if (predicted) return predicted;
  }
  return cachedSchema(cacheRoot, ['history', 'pglite', allSql], compute);
};

/**
 * After `generate` wrote the migration that takes the history to the declared schema: that schema, as normalized,
 * is what replaying the new history on the embedded shadow makes (the diff converges: DESIGN §1, the property tests),
 * so `plan` and `generate` right after it need no replay. Kept apart from replayed entries: `check` and `verify`
 * never read it, so a diff that did not converge is still caught there.
 */
export const predictHistorySchema = (migrations: readonly Migration[], schema: Schema, cacheRoot: string): void => {
  if (!cachingDisabled()) writeCached(cacheRoot, cacheKey(['history-predicted', 'pglite', upSql(migrations)]), schema);
};
