/**
 * Normalization: the declared schema is created in an empty shadow database and read back with the same
 * introspector as any database, so the diff compares PostgreSQL's own forms (DESIGN §1). A statement Postgres
 * rejects is reported at the declaration it came from.
 */
import { ident } from '../render/quote.js';
import { scriptText } from '../dsl/ddl/script.js';
import type { DdlStatement } from '../dsl/ddl/statement.js';
import type { Schema } from '../model/schema.js';
import { cacheKey, cachingDisabled, hasCached, keepingInMemory, readCached, readEntry, writeCached, writeEntry } from './cache.js';
import { type IncrementalPlan, type NormalizedUnits, planIncremental, scriptUnits, spliceSchema, type Unit, unitHashes, withoutTables } from './incremental.js';
import { type ShadowOptions, withShadow } from './history-schema.js';
import { quickWasm } from '../db/pglite.js';
import { type StartedWorker, startInWorker, WorkerFailure, workersEnabled } from '../db/worker.js';
import type { LoadedSchema } from './schema-dir.js';
import { SchemaError } from './schema-error.js';
import { readSchema } from './source.js';
import { applyScript, type ShadowJob } from './shadow-worker.js';

export { applyScript } from './shadow-worker.js';

export interface NormalizeOptions {
  /** A server to create the scratch shadow database on; the embedded PGlite when absent. */
  readonly shadowUrl?: string | undefined;
  /** The project root, to cache the result by the script's hash (embedded shadow only); no cache when absent. */
  readonly cacheRoot?: string | undefined;
  /** A fingerprint of the files the script came from (`schemaStamp`), kept for `startShadowEarly`. */
  readonly sourceStamp?: string | undefined;
  /**
   * Where an incremental normalization starts when the cache has no last one (a fresh clone): the committed head
   * (`head-file.ts`) and the units it was normalized from. Its schema is read when first needed (after the
   * shadow has its statements, when it can be): null when it turns out unreadable.
   */
  readonly base?: { readonly schema: () => Schema | null; readonly units: NormalizedUnits } | undefined;
  /**
   * Work for this thread while the shadow on the worker thread creates the statements (this thread would only
   * wait): what the caller does next anyway, such as the current side of the diff. Called at most once.
   */
  readonly whileWaiting?: (() => void) | undefined;
}

type Script = Pick<LoadedSchema, 'script' | 'extensions' | 'roles'>;

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

/** The module the spare shadow runs on its thread: only PGlite, the script's application and the introspection. */
const WORKER_MODULE = new URL(`./shadow-worker.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

/**
 * The shadow started ahead of need on a worker thread (`startShadowEarly`), the extensions it has (null: not
 * told yet), and whether they are known or only guessed.
 */
/**
 * Whether a spare shadow reads the empty database's catalogs while it waits (`shadowOnWorker`): in a run's own
 * process, where it waits for schema/ to load. Not in the daemon, whose spare waits for the next save: there the
 * warm caches would cost ~40 MiB of resident memory for the whole wait, to save ~35 ms of a run.
 */
const readAhead = (): boolean => !keepingInMemory();

let spare: { hint: string | null; settled: boolean; readonly worker: StartedWorker<Schema | null> } | null = null;

/**
 * Starts, on a worker thread, the embedded shadow the next normalization in `root` likely needs (the extensions
 * of the last one), so that PGlite starts on the other core while schema/ loads on this one. Nothing when there
 * was no last one, when its files had the same `stamp` (the result is likely cached), or workers are off;
 * `closeShadowEarly` stops it if no normalization took it. With no last one in the cache, `base` (the committed
 * head's units) names the extensions instead.
 *
 * Before the committed head is read, `{ guess }` starts the thread now: with the extensions the head's first lines
 * name (`peekHeadExtensions`), or with none yet (null). The next call, with the head read, settles it: `base`
 * confirms the guess or supplies the extensions; no base (the head is absent, stale, or not trusted) stops it, so a
 * full normalization does not run on a shadow made for a small one.
 *
 * Such a shadow creates a few tables (an incremental normalization), so its WebAssembly is compiled for a quick
 * start (`quickWasm`).
 */
export const startShadowEarly = (root: string, stamp: string | null, base?: NormalizedUnits | { readonly guess: readonly string[] | null }): void => {
  const guess = base !== undefined && 'guess' in base;
  if (spare?.settled) return;
  if (spare && spare.hint !== null) {
    // Started on a guess: the head, read now, confirms it or stops it.
    if (guess) return;
    if (base?.extensions && extensionHint(base.extensions) === spare.hint) spare.settled = true;
    else void closeShadowEarly();
    return;
  }
  if (!spare && (cachingDisabled() || !workersEnabled())) return;
  // What the next normalization likely needs: the last one's extensions (unless it read the same files: likely
  // cached), else the committed head's, guessed from its first lines before the file is read.
  const last = readEntry<LastNormalized>(root, LAST);
  let next: { readonly hint: string | null; readonly settled: boolean } | null;
  if (last) next = typeof last.hint === 'string' && (stamp === null || last.stamp !== stamp) ? { hint: last.hint, settled: true } : null;
  else if (guess) next = { hint: base.guess && extensionHint(base.guess), settled: false };
  else next = base?.extensions ? { hint: extensionHint(base.extensions), settled: true } : null;
  if (spare) {
    // A thread started before the project was known (`startShadowPending`): told now, or stopped.
    if (!next) void closeShadowEarly();
    else if (next.hint !== null) {
      quickWasm();
      spare.hint = next.hint;
      spare.settled = next.settled;
      spare.worker.send({ hint: next.hint });
    }
    return;
  }
  if (!next) return;
  if (next.hint !== null) quickWasm();
  spare = { ...next, worker: startInWorker<Schema | null>(WORKER_MODULE, 'shadowOnWorker', { hint: next.hint, readAhead: readAhead() }) };
};

/**
 * Starts the spare shadow's thread before the project's config is known (it is still evaluating), with the
 * extensions `guess` names (the committed head's first lines where the config usually puts it), or, with no guess,
 * only loading PGlite and the saved data directory meanwhile. The first `startShadowEarly` that knows more
 * confirms it, tells it the extensions, or stops it. Nothing when a spare runs, or workers are off.
 */
export const startShadowPending = (guess: readonly string[] | null): void => {
  if (spare || cachingDisabled() || !workersEnabled()) return;
  const hint = guess && extensionHint(guess);
  if (hint !== null) quickWasm();
  spare = { hint, settled: false, worker: startInWorker<Schema | null>(WORKER_MODULE, 'shadowOnWorker', { hint, readAhead: readAhead() }) };
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
const created = async (loaded: Script, statements: readonly DdlStatement[], options: ShadowOptions & Pick<NormalizeOptions, 'whileWaiting'>, retry: boolean): Promise<Schema | null> => {
  const hint = shadowHint(loaded);
  if (!options.shadowUrl && spare?.hint === hint) {
    const { worker } = spare;
    spare = null;
    worker.send({ roles: loaded.roles, statements: statements.map((x) => ({ sql: x.sql, routine: x.routine === true })) } satisfies ShadowJob);
    try {
      options.whileWaiting?.();
    } catch {
      // Only a head start: the work is done again, and fails there, where its result is needed.
    }
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
  whileWaiting: NormalizeOptions['whileWaiting'],
): Promise<Schema | null> => {
  if (process.env.KEIKAKU_INCREMENTAL === '0') return null;
  const cached = readEntry<LastNormalized>(root, LAST);
  const last = cached ?? base?.units;
  if (!last) return null;
  const plan = planIncremental(loaded.script, context, last, { units });
  if (!plan) return null;
  // The committed head when it is that same normalization (the last run wrote both); its schema is read while the
  // shadow works. The cache's copy otherwise, read first: without it there is nothing to splice into.
  const fromBase = !cached || base?.units.script === cached.key;
  const cachedSchema = fromBase ? null : readCached(root, cached.key);
  if (!fromBase && !cachedSchema) return null;
  const lastSchema = () => (fromBase ? (base?.schema() ?? (cached ? readCached(root, cached.key) : null)) : cachedSchema);
  const schema = await normalizePart(loaded, plan, lastSchema, { whileWaiting });
  if (schema) lastNormalization = { mode: cached ? 'incremental' : 'incremental from generated/head.json', plan: plan.stats };
  return schema;
};

/**
 * The part of `loaded` that `plan` names, normalized in a shadow and spliced into `last` (the last normalization);
 * null when the shadow rejects a statement (perhaps a dependency the plan left out) or the splice gives up.
 */
export const normalizePart = async (
  loaded: Script,
  plan: IncrementalPlan,
  last: Schema | (() => Schema | null),
  options: ShadowOptions & Pick<NormalizeOptions, 'whileWaiting'> = {},
): Promise<Schema | null> => {
  let shadow: Schema | null;
  try {
    shadow = await created(loaded, plan.statements, options, false);
  } catch (error) {
    if (error instanceof SchemaError) return null;
    throw error;
  }
  const lastSchema = typeof last === 'function' ? last() : last;
  return shadow && lastSchema && spliceSchema(lastSchema, withoutTables(shadow, plan.needed), plan.kept);
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
  let idle = options.whileWaiting;
  const whileWaiting = () => {
    const work = idle;
    idle = undefined;
    work?.();
  };
  const compute = async () => (await created(loaded, loaded.script, { ...options, whileWaiting }, true))!;
  lastNormalization = { mode: 'full' };
  const root = options.shadowUrl ? null : (options.cacheRoot ?? null);
  if (root === null || cachingDisabled()) return compute();
  const key = scriptKey(loaded);
  const context = normalizationContext(loaded);
  const units = scriptUnits(loaded.script);
  // The committed head (the history's schema): when schema/ is what it was normalized from, it is this
  // normalization too, and the cache's copy need not be parsed.
  let schema: Schema | null = null;
  const head = options.base?.units.script === key ? options.base.schema() : null;
  if (head) {
    schema = head;
    lastNormalization = { mode: 'read from generated/head.json' };
    // Kept for when the head no longer is (an incremental normalization may start from it).
    if (!hasCached(root, key)) writeCached(root, key, schema);
  } else if ((schema = readCached(root, key))) lastNormalization = { mode: 'cached' };
  else {
    schema = (await normalizeIncrementally(root, loaded, context, units, options.base, whileWaiting)) ?? (await compute());
    writeCached(root, key, schema);
  }
  const last: LastNormalized = { key, context, hint: shadowHint(loaded), stamp: options.sourceStamp, units: unitHashes(units) };
  writeEntry(root, LAST, last);
  return schema;
};
