/**
 * Normalization: the declared schema is created in an empty shadow database and read back with the same
 * introspector as any database, so the diff compares PostgreSQL's own forms (DESIGN §1). A statement Postgres
 * rejects is reported at the declaration it came from.
 */
import { pgErrorFields } from '../db/errors.js';
import type { Db } from '../db/types.js';
import { dollarQuoted, ident, literal } from '../render/quote.js';
import { DIAGNOSTIC_CODES as C, diagnostic } from '../dsl/ddl/diagnostic.js';
import { scriptText } from '../dsl/ddl/script.js';
import { type DdlStatement, siteAt, stmt } from '../dsl/ddl/statement.js';
import type { Schema } from '../model/schema.js';
import { cacheKey, cachingDisabled, hasCached, readCached, readEntry, writeCached, writeEntry } from './cache.js';
import { type IncrementalPlan, type NormalizedUnits, planIncremental, scriptUnits, spliceSchema, type Unit, unitHashes } from './incremental.js';
import { type ShadowOptions, withShadow } from './history-schema.js';
import { extensionsNeeded, openPglite, quickWasm, warmPglite } from '../db/pglite.js';
import { type StartedWorker, startInWorker, WorkerFailure, workersEnabled } from '../db/worker.js';
import type { LoadedSchema } from './schema-dir.js';
import { SchemaError } from './schema-error.js';
import { readSchema } from './source.js';

export interface NormalizeOptions {
  /** A server to create the scratch shadow database on; the embedded PGlite when absent. */
  readonly shadowUrl?: string | undefined;
  /** The project root, to cache the result by the script's hash (embedded shadow only); no cache when absent. */
  readonly cacheRoot?: string | undefined;
  /** A fingerprint of the files the script came from (`schemaStamp`), kept for `startShadowEarly`. */
  readonly sourceStamp?: string | undefined;
  /**
   * Where an incremental normalization starts when the cache has no last one (a fresh clone): the committed head
   * (`head-file.ts`) and the units it was normalized from.
   */
  readonly base?: { readonly schema: Schema; readonly units: NormalizedUnits } | undefined;
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

/** Roles are the server's, not the schema's; an embedded shadow makes those the grants and policies name. */
const createRoles = async (db: Db, roles: readonly string[]): Promise<void> => {
  if (roles.length === 0) return;
  const create = roles
    .map((r) => `IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(r)}) THEN CREATE ROLE ${ident(r)} NOLOGIN; END IF;`)
    .join('\n');
  await db.exec(`DO ${dollarQuoted(` BEGIN\n${create}\nEND `, '$roles$')}`);
};

/**
 * Applies the script: all at once (one implicit transaction, one round trip), and only when that fails statement
 * by statement, to find the one to report. Routine bodies are checked at the end, when everything they may read
 * exists.
 */
export const applyScript = async (db: Db, script: Script, embedded: boolean): Promise<void> => {
  if (embedded) await createRoles(db, script.roles);
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
  /** The extensions it created (`shadowHint`): what the next one's embedded shadow likely needs. */
  readonly hint: string;
  /** `NormalizeOptions.sourceStamp` of the files it came from: the same stamp, likely a cache hit. */
  readonly stamp?: string | undefined;
}
const LAST = 'declared-last';

/** How the last normalization went, for the benchmark and tests: `full`, `incremental` or `cached`. */
export let lastNormalization: { readonly mode: 'full' | 'incremental' | 'incremental from generated/head.json' | 'read from generated/head.json' | 'cached'; readonly plan?: IncrementalPlan['stats'] } = { mode: 'full' };

// The extension list goes into the hint so the embedded shadow registers exactly those.
const extensionHint = (extensions: readonly string[]) => extensions.map((e) => `CREATE EXTENSION ${ident(e)};`).join('\n');
const shadowHint = (loaded: Script) => extensionHint(loaded.extensions);

const NO_SITE = { file: '', line: 0, col: 0 };

/** What a shadow on a worker thread runs: plain data only. */
interface ShadowJob {
  readonly roles: readonly string[];
  readonly statements: readonly { readonly sql: string; readonly routine: boolean }[];
}

/**
 * The worker side of an embedded shadow started ahead of need: starts PGlite with the extensions `hint` creates,
 * then waits for the statements to run (null: not needed after all) and reads the schema back. With no `hint` yet,
 * it loads PGlite and the saved data directory meanwhile, and the hint is the first value it receives.
 */
export const shadowOnWorker = async (input: { readonly hint: string | null }, receive: () => Promise<unknown>): Promise<Schema | null> => {
  let hint = input.hint;
  if (hint === null) {
    const warm = warmPglite();
    const sent = (await receive()) as { readonly hint: string } | null;
    await warm;
    if (sent === null) return null;
    hint = sent.hint;
  }
  const db = await openPglite({ extensions: extensionsNeeded(hint) });
  try {
    const job = (await receive()) as ShadowJob | null;
    if (job === null) return null;
    // The statements' sites stay on the main thread: a rejection here only says that one was rejected.
    const script = job.statements.map((x) => ({ ...stmt(x.sql, '', NO_SITE), routine: x.routine }));
    await applyScript(db, { script, extensions: [], roles: job.roles }, true);
    return await readSchema(db);
  } finally {
    await db.close();
  }
};

/**
 * The shadow started ahead of need on a worker thread (`startShadowEarly`), and the extensions it has (null: not
 * told yet).
 */
let spare: { hint: string | null; readonly worker: StartedWorker<Schema | null> } | null = null;

/**
 * Starts, on a worker thread, the embedded shadow the next normalization in `root` likely needs (the extensions
 * of the last one), so that PGlite starts on the other core while schema/ loads on this one. Nothing when there
 * was no last one, when its files had the same `stamp` (the result is likely cached), or workers are off;
 * `closeShadowEarly` stops it if no normalization took it. With no last one in the cache, `base` (the committed
 * head's units) names the extensions instead; `'later'` starts the thread now and takes them from the next call
 * (the committed head is still being read), which stops it when there is no base after all.
 *
 * Such a shadow creates a few tables (an incremental normalization), so its WebAssembly is compiled for a quick
 * start (`quickWasm`).
 */
export const startShadowEarly = (root: string, stamp: string | null, base?: NormalizedUnits | 'later'): void => {
  if (spare) {
    if (spare.hint !== null || base === 'later') return;
    if (base?.extensions) {
      spare.hint = extensionHint(base.extensions);
      quickWasm();
      spare.worker.send({ hint: spare.hint });
    } else void closeShadowEarly();
    return;
  }
  if (cachingDisabled() || !workersEnabled()) return;
  const last = readEntry<LastNormalized>(root, LAST);
  if (last) {
    if (typeof last.hint !== 'string' || (stamp !== null && last.stamp === stamp)) return;
    quickWasm();
    spare = { hint: last.hint, worker: startInWorker<Schema | null>(new URL(import.meta.url), 'shadowOnWorker', { hint: last.hint }) };
  } else if (base === 'later') {
    spare = { hint: null, worker: startInWorker<Schema | null>(new URL(import.meta.url), 'shadowOnWorker', { hint: null }) };
  } else if (base?.extensions) {
    const hint = extensionHint(base.extensions);
    quickWasm();
    spare = { hint, worker: startInWorker<Schema | null>(new URL(import.meta.url), 'shadowOnWorker', { hint }) };
  }
};

export const closeShadowEarly = async (): Promise<void> => {
  const s = spare;
  spare = null;
  if (s) await s.worker.stop();
};

/**
 * `statements` created in a shadow and read back. On the spare worker when one was started with the same
 * extensions; when it fails there, `retry` decides whether to run them again on this thread, which reports a
 * rejected statement at its declaration (a SchemaError).
 */
const created = async (loaded: Script, statements: readonly DdlStatement[], options: ShadowOptions, retry: boolean): Promise<Schema | null> => {
  const hint = shadowHint(loaded);
  if (!options.shadowUrl && spare?.hint === hint) {
    const { worker } = spare;
    spare = null;
    worker.send({ roles: loaded.roles, statements: statements.map((x) => ({ sql: x.sql, routine: x.routine === true })) } satisfies ShadowJob);
    const schema = await worker.result.catch((e: unknown) => (e instanceof WorkerFailure ? null : Promise.reject(e)));
    if (schema || !retry) return schema;
  }
  return withShadow(hint, options, async (db) => {
    await applyScript(db, { ...loaded, script: statements }, !options.shadowUrl);
    return readSchema(db);
  });
};

/**
 * The changed part of the declared schema normalized in a shadow and spliced into the last normalization; null
 * when there is none to start from, or the incremental way gives up (the full one then decides, and reports).
 */
const normalizeIncrementally = async (
  root: string,
  loaded: Script,
  context: string,
  units: ReadonlyMap<string, Unit>,
  base: NormalizeOptions['base'],
): Promise<Schema | null> => {
  if (process.env.KEIKAKU_INCREMENTAL === '0') return null;
  const cached = readEntry<LastNormalized>(root, LAST);
  const last = cached ?? base?.units;
  if (!last) return null;
  const plan = planIncremental(loaded.script, context, last, { units });
  if (!plan) return null;
  // The committed head, already read, when it is that same normalization (the last run wrote both).
  const lastSchema = !cached ? base!.schema : base?.units.script === cached.key ? base.schema : readCached(root, cached.key);
  if (!lastSchema) return null;
  const schema = await normalizePart(loaded, plan, lastSchema);
  if (schema) lastNormalization = { mode: cached ? 'incremental' : 'incremental from generated/head.json', plan: plan.stats };
  return schema;
};

/**
 * The part of `loaded` that `plan` names, normalized in a shadow and spliced into `last` (the last normalization);
 * null when the shadow rejects a statement (perhaps a dependency the plan left out) or the splice gives up.
 */
export const normalizePart = async (loaded: Script, plan: IncrementalPlan, last: Schema, options: ShadowOptions = {}): Promise<Schema | null> => {
  let shadow: Schema | null;
  try {
    shadow = await created(loaded, plan.statements, options, false);
  } catch (error) {
    if (error instanceof SchemaError) return null;
    throw error;
  }
  return shadow && spliceSchema(last, shadow, plan.kept);
};

/** Roles, extensions and build an embedded normalization of `loaded` depends on (`NormalizedUnits.context`). */
const normalizationContext = (loaded: Script): string => cacheKey(['declared-context', 'pglite', loaded.roles.join(','), shadowHint(loaded)]);

const scriptKey = (loaded: Script): string => cacheKey(['declared', 'pglite', loaded.roles.join(','), scriptText(loaded.script)]);

/** What an incremental normalization would start from after normalizing `loaded` on the embedded shadow. */
export const normalizedUnits = (loaded: Script): NormalizedUnits => ({
  context: normalizationContext(loaded),
  units: unitHashes(scriptUnits(loaded.script)),
  script: scriptKey(loaded),
  extensions: loaded.extensions,
});

/**
 * The declared schema as PostgreSQL stores it. The shadow is always closed or dropped. On the embedded shadow with
 * a project root, the result is cached by the script's hash, and after an edit only the changed declarations (and
 * what depends on them) are normalized again (`incremental.ts`).
 */
export const normalize = async (loaded: Script, options: NormalizeOptions = {}): Promise<Schema> => {
  const compute = async () => (await created(loaded, loaded.script, options, true))!;
  lastNormalization = { mode: 'full' };
  const root = options.shadowUrl ? null : (options.cacheRoot ?? null);
  if (root === null || cachingDisabled()) return compute();
  const key = scriptKey(loaded);
  const context = normalizationContext(loaded);
  const units = scriptUnits(loaded.script);
  // The committed head is read already (it is the history's schema): when schema/ is what it was normalized
  // from, it is this normalization too, and the cache's copy need not be parsed.
  let schema: Schema | null = null;
  if (options.base?.units.script === key) {
    schema = options.base.schema;
    lastNormalization = { mode: 'read from generated/head.json' };
    // Kept for when the head no longer is (an incremental normalization may start from it).
    if (!hasCached(root, key)) writeCached(root, key, schema);
  } else if ((schema = readCached(root, key))) lastNormalization = { mode: 'cached' };
  else {
    schema = (await normalizeIncrementally(root, loaded, context, units, options.base)) ?? (await compute());
    writeCached(root, key, schema);
  }
  const last: LastNormalized = { key, context, hint: shadowHint(loaded), stamp: options.sourceStamp, units: unitHashes(units) };
  writeEntry(root, LAST, last);
  return schema;
};
