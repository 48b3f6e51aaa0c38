/**
 * Normalization: the declared schema is created in an empty shadow database and read back with the same
 * introspector as any database, so the diff compares PostgreSQL's own forms (DESIGN §1). A statement Postgres
 * rejects is reported at the declaration it came from.
 */
import { pgErrorFields } from '../db/errors.js';
import type { Db } from '../db/types.js';
import { ident, literal } from '../render/quote.js';
import { DIAGNOSTIC_CODES as C, diagnostic } from '../dsl/ddl/diagnostic.js';
import { scriptText } from '../dsl/ddl/script.js';
import { type DdlStatement, siteAt } from '../dsl/ddl/statement.js';
import type { Schema } from '../model/schema.js';
import { cachedSchema } from './cache.js';
import { withShadow } from './history-schema.js';
import type { LoadedSchema } from './schema-dir.js';
import { SchemaError } from './schema-error.js';
import { readSchema } from './source.js';

export interface NormalizeOptions {
  /** A server to create the scratch shadow database on; the embedded PGlite when absent. */
  readonly shadowUrl?: string | undefined;
  /** The project root, to cache the result by the script's hash (embedded shadow only); no cache when absent. */
  readonly cacheRoot?: string | undefined;
}

type Script = Pick<LoadedSchema, 'script' | 'extensions' | 'roles'>;

const rejected = (s: DdlStatement, error: unknown): SchemaError => {
  const pg = pgErrorFields(error);
  if (!pg) throw error;
  const extra = [pg.detail && `DETAIL: ${pg.detail}`, pg.hint && `HINT: ${pg.hint}`].filter(Boolean).join(' ');
  const message = `PostgreSQL rejected ${s.object}: ${pg.message}${extra ? ` (${extra})` : ''}\n    ${s.sql.replace(/\n/g, '\n    ')}`;
  return new SchemaError([diagnostic(C.sqlRejected, siteAt(s, pg.position), message)], { cause: error });
};

const runEach = async (db: Db, statements: readonly DdlStatement[]): Promise<void> => {
  for (const s of statements) {
    try {
      await db.exec(s.sql);
    } catch (error) {
      throw rejected(s, error);
    }
  }
};

/**
 * Applies the script: all at once (one implicit transaction, one round trip), and only when that fails statement
 * by statement, to find the one to report. Routine bodies are checked at the end, when everything they may read
 * exists.
 */
export const applyScript = async (db: Db, script: Script, embedded: boolean): Promise<void> => {
  if (embedded && script.roles.length) {
    // Roles are the server's, not the schema's; an embedded shadow makes those the grants and policies name.
    const create = script.roles
      .map((r) => `IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(r)}) THEN CREATE ROLE ${ident(r)} NOLOGIN; END IF;`)
      .join('\n');
    await db.exec(`DO $roles$ BEGIN\n${create}\nEND $roles$`);
  }
  await db.exec('SET check_function_bodies = off');
  try {
    await db.exec(scriptText(script.script));
  } catch {
    await runEach(db, script.script);
  }
  await db.exec('SET check_function_bodies = on');
  await runEach(db, script.script.filter((s) => s.routine));
};

/** The declared schema as PostgreSQL stores it. The shadow is always closed or dropped. */
export const normalize = async (loaded: Script, options: NormalizeOptions = {}): Promise<Schema> => {
  const sql = scriptText(loaded.script);
  const embedded = !options.shadowUrl;
  // The extension list goes into the hint so the embedded shadow registers exactly those.
  const hint = loaded.extensions.map((e) => `CREATE EXTENSION ${ident(e)};`).join('\n');
  const compute = () =>
    withShadow(hint, options, async (db) => {
      await applyScript(db, loaded, embedded);
      return readSchema(db);
    });
  return embedded ? cachedSchema(options.cacheRoot ?? null, ['declared', 'pglite', loaded.roles.join(','), sql], compute) : compute();
};
