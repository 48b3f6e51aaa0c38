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
import { cacheKey, cachingDisabled, readCached, readEntry, writeCached, writeEntry } from './cache.js';
import { type IncrementalPlan, type NormalizedUnits, planIncremental, scriptUnits, spliceSchema, unitHashes } from './incremental.js';
import { type ShadowOptions, withShadow } from './history-schema.js';
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

/** The last normalization of a project's schema/: where the next incremental one starts (`incremental.ts`). */
interface LastNormalized extends NormalizedUnits {
  /** The cache key its schema is stored under. */
  readonly key: string;
}
const LAST = 'declared-last';

/** How the last normalization went, for the benchmark and tests: `full`, `incremental` or `cached`. */
export let lastNormalization: { readonly mode: 'full' | 'incremental' | 'cached'; readonly plan?: IncrementalPlan['stats'] } = { mode: 'full' };

/**
 * The changed part of the declared schema normalized in a shadow and spliced into the last normalization; null
 * when there is none to start from, or the incremental way gives up (the full one then decides, and reports).
 */
const normalizeIncrementally = async (root: string, loaded: Script, context: string): Promise<Schema | null> => {
  if (process.env.KEIKAKU_INCREMENTAL === '0') return null;
  const last = readEntry<LastNormalized>(root, LAST);
  if (!last) return null;
  const plan = planIncremental(loaded.script, context, last);
  if (!plan) return null;
  const lastSchema = readCached(root, last.key);
  if (!lastSchema) return null;
  const schema = await normalizePart(loaded, plan, lastSchema);
  if (schema) lastNormalization = { mode: 'incremental', plan: plan.stats };
  return schema;
};

/**
 * The part of `loaded` that `plan` names, normalized in a shadow and spliced into `last` (the last normalization);
 * null when the shadow rejects a statement (perhaps a dependency the plan left out) or the splice gives up.
 */
export const normalizePart = async (loaded: Script, plan: IncrementalPlan, last: Schema, options: ShadowOptions = {}): Promise<Schema | null> => {
  let shadow: Schema;
  try {
    shadow = await withShadow(shadowHint(loaded), options, async (db) => {
      await applyScript(db, { ...loaded, script: plan.statements }, !options.shadowUrl);
      return readSchema(db);
    });
  } catch (error) {
    if (error instanceof SchemaError) return null;
    throw error;
  }
  return spliceSchema(last, shadow, plan.kept);
};

// The extension list goes into the hint so the embedded shadow registers exactly those.
const shadowHint = (loaded: Script) => loaded.extensions.map((e) => `CREATE EXTENSION ${ident(e)};`).join('\n');

/**
 * The declared schema as PostgreSQL stores it. The shadow is always closed or dropped. On the embedded shadow with
 * a project root, the result is cached by the script's hash, and after an edit only the changed declarations (and
 * what depends on them) are normalized again (`incremental.ts`).
 */
export const normalize = async (loaded: Script, options: NormalizeOptions = {}): Promise<Schema> => {
  const compute = () =>
    withShadow(shadowHint(loaded), options, async (db) => {
      await applyScript(db, loaded, !options.shadowUrl);
      return readSchema(db);
    });
  lastNormalization = { mode: 'full' };
  const root = options.shadowUrl ? null : (options.cacheRoot ?? null);
  if (root === null || cachingDisabled()) return compute();
  const roles = loaded.roles.join(',');
  const key = cacheKey(['declared', 'pglite', roles, scriptText(loaded.script)]);
  const context = cacheKey(['declared-context', 'pglite', roles, shadowHint(loaded)]);
  let schema = readCached(root, key);
  if (schema) lastNormalization = { mode: 'cached' };
  else {
    schema = (await normalizeIncrementally(root, loaded, context)) ?? (await compute());
    writeCached(root, key, schema);
  }
  const last: LastNormalized = { key, context, units: unitHashes(scriptUnits(loaded.script)) };
  writeEntry(root, LAST, last);
  return schema;
};
