/** The schema a migration history leads to: replayed in a shadow database and read back. */
import { extensionsNeeded, openPglite } from '../db/pglite.js';
import { createScratchDatabase } from '../db/scratch.js';
import type { Db } from '../db/types.js';
import { emptySchema, type Schema } from '../model/schema.js';
import { replay, upFiles, type Migration } from './migrations.js';
import { readSchema } from './source.js';

export interface ShadowOptions {
  /** A server to replay on (a scratch database, always dropped) instead of the embedded PGlite. */
  readonly shadowUrl?: string | undefined;
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

export const historySchema = async (migrations: readonly Migration[], options: ShadowOptions = {}): Promise<Schema> => {
  if (migrations.length === 0 && !options.shadowUrl) return emptySchema(180000);
  const allSql = migrations.flatMap((m) => upFiles(m).map((f) => m.files.get(f)!)).join('\n');
  return withShadow(allSql, options, async (db) => {
    await replay(db, migrations);
    return readSchema(db);
  });
};
