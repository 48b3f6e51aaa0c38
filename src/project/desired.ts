/** The desired schema of a project: `schema/` loaded, rendered, and normalized in the shadow. */
import type { ResolvedConfig } from '../config/index.js';
import type { Declared } from '../dsl/ddl/site.js';
import type { Distribution } from '../dsl/distribution.js';
import { hintSiteText } from '../dsl/rename-hints.js';
import { loadSchemaDir, schemaFiles, schemaStamp } from '../load/schema-dir.js';
import type { NormalizedUnits } from '../load/incremental.js';
import { closeShadowEarly, lastNormalization, normalize, normalizedUnits, startShadowEarly, type NormalizeOptions } from '../load/shadow.js';
import type { Schema } from '../model/schema.js';
import { cachingDisabled } from '../load/cache.js';
import { projectFiles, recordingEnv, requiredFiles, stampInputs, withImports, type InputStamp } from '../load/inputs.js';
import { firstLoad, importedFiles, lastLoadWay, requiresAgain, untrackedImports } from '../load/schema-import.js';
import { keepDesired, reusedDesired } from './reuse.js';

export interface Desired {
  readonly schema: Schema;
  /** Rename hints declared in code (`renamedFrom`), as `--rename` strings. */
  readonly hints: readonly string[];
  /** Where a hint of `hints` was declared (`file:line:col (object)`), for messages. */
  readonly hintSite?: (hint: string) => string | undefined;
  /** `.backfill(sql\`…\`)` declared on columns: column key → SQL expression over the row. */
  readonly backfills?: ReadonlyMap<string, string>;
  /** Citus distribution declared on tables, by table key (untested; docs/distributed.md). */
  readonly distributions?: ReadonlyMap<string, Distribution>;
  /** The declarations with their source positions (for findings that point at the declaring line). */
  readonly declared?: readonly Declared[];
  /** The unit hashes of an embedded normalization, which `generated/head.json` records (`load/head-file.ts`). */
  readonly units?: NormalizedUnits;
}

export interface DesiredOptions {
  /** Where an incremental normalization may start when the cache has none (`NormalizeOptions.base`). */
  readonly base?: NormalizeOptions['base'];
  /** `NormalizeOptions.whileWaiting`: the caller's next work, done while the shadow creates the statements. */
  readonly whileWaiting?: NormalizeOptions['whileWaiting'];
  /**
   * The last load's result may be taken when nothing it read has changed (`reuse.ts`); it then has no
   * `declared` (a caller that points at declarations does not ask).
   */
  readonly reuse?: boolean;
  /** Nothing written to stderr, not even under `KEIKAKU_DEBUG` (a load ahead of need: `loadAhead`). */
  readonly quiet?: boolean;
}

/** Loads and normalizes the declared schema of a project (tests pass their own). */
export type DesiredLoader = (config: ResolvedConfig, options?: DesiredOptions) => Promise<Desired>;

/** A load started ahead of need (`loadAhead`), with the project it is for. */
let ahead: Promise<{ readonly schemaDir: string; readonly desired: Desired } | null> | null = null;

/**
 * Loads and normalizes schema/ now, for a run that will likely come (the daemon calls it after a save). The next
 * `loadDesired` in this process waits for it, and takes its result when nothing it read has changed since
 * (`reusedDesired`). Never rejects: a failure is met again by the run that needs the load.
 */
export const loadAhead = (config: ResolvedConfig, whileWaiting?: DesiredOptions['whileWaiting'], base?: DesiredOptions['base']): Promise<Desired | null> => {
  const load = loadDesired(config, { reuse: true, quiet: true, whileWaiting, ...(base ? { base } : {}) });
  const p = load.then((desired) => ({ schemaDir: config.schemaDir, desired }), () => null);
  ahead = p;
  return p.then((r) => r?.desired ?? null);
};

/** The last load started: loads in one process run one after the other (they share the runtime's modules). */
let lastLoad: Promise<unknown> = Promise.resolve();

/** Whether a load started ahead of need is still to be taken by a run (it then needs no shadow of its own). */
export const loadingAhead = (): boolean => ahead !== null;

export const loadDesired = (config: ResolvedConfig, options: DesiredOptions = {}): Promise<Desired> => {
  // One started ahead is this load's candidate answer.
  const started = ahead;
  ahead = null;
  const previous = lastLoad;
  const load = previous.then(
    () => loadAfter(config, options, started),
    () => loadAfter(config, options, started),
  );
  lastLoad = load.catch(() => undefined);
  return load;
};

const loadAfter = async (config: ResolvedConfig, options: DesiredOptions, started: typeof ahead): Promise<Desired> => {
  const reusable = !config.shadowUrl && !cachingDisabled();
  const early = started ? await started : null;
  const t0 = performance.now();
  if (reusable && options.reuse) {
    const inMemory = early?.schemaDir === config.schemaDir ? early.desired : undefined;
    const kept = reusedDesired(config, options.base, inMemory);
    if (kept) {
      if (process.env.KEIKAKU_DEBUG && !options.quiet)
        process.stderr.write(`keikaku: normalized schema/: unchanged since the last run (nothing it read changed)${kept === inMemory ? ', loaded ahead' : ''}; read in ${Math.round(performance.now() - t0)} ms\n`);
      return kept;
    }
  }
  // The embedded shadow starts on a worker thread while schema/ loads (with the last normalization's extensions).
  const stamp = config.shadowUrl ? null : schemaStamp(config.schemaDir);
  if (!config.shadowUrl) startShadowEarly(config.root, stamp, options.base?.units);
  let loaded;
  let schema;
  let inputs: InputStamp | null = null;
  let t1 = t0;
  // schema/'s files are hashed before they are read: one saved while they load is seen as changed next time.
  // Only a load that is a faithful record of its files is kept: a process's first, or one required again
  // (`requiresAgain`: what changed is evaluated again).
  const first = firstLoad();
  const before = reusable && requiresAgain() ? stampInputs(schemaFiles(config.schemaDir), []) : null;
  try {
    const load = () => loadSchemaDir(config.schemaDir, { cwd: config.root, cacheRoot: reusable ? config.root : undefined });
    if (before) {
      // What it read is recorded only when the load is kept.
      const recorded = await recordingEnv(load);
      loaded = recorded.value;
      inputs = untrackedImports() || !(first || lastLoadWay() === 'require')
        ? null
        : withImports(before, loaded.files, [...(await importedFiles()), ...requiredFiles(), ...projectFiles(config.root)], recorded.env.keys());
    } else loaded = await load();
    t1 = performance.now();
    schema = await normalize(loaded, { shadowUrl: config.shadowUrl, cacheRoot: config.root, sourceStamp: stamp ?? undefined, base: options.base, whileWaiting: options.whileWaiting });
  } finally {
    await closeShadowEarly();
  }
  if (process.env.KEIKAKU_DEBUG && !options.quiet) {
    const { mode, plan } = lastNormalization;
    const detail = plan ? ` (${plan.changed} changed and ${plan.removed} removed of ${plan.units} declarations; ${plan.tables} tables created in the shadow)` : '';
    const ms = (a: number, b: number) => `${Math.round(b - a)} ms`;
    process.stderr.write(`keikaku: normalized schema/: ${mode}${detail}; loaded in ${ms(t0, t1)} (${lastLoadWay() === 'require' ? 'required' : 'imported as ES modules'}), normalized in ${ms(t1, performance.now())}\n`);
  }
  const units = config.shadowUrl ? undefined : normalizedUnits(loaded);
  if (inputs && units) keepDesired(config, inputs, loaded, units);
  return {
    schema,
    hints: loaded.renameHints.map((h) => h.text),
    backfills: loaded.backfills,
    distributions: loaded.distributions,
    declared: loaded.declared,
    ...(units ? { units } : {}),
    hintSite: (text) => {
      const h = loaded.renameHints.find((x) => x.text === text);
      return h && hintSiteText(h);
    },
  };
};

/**
 * Starts now, on a worker thread, the embedded shadow the next normalization will likely need (`--watch` calls it
 * while it waits for a save, so a save costs the changed declarations only, not a PostgreSQL start). Nothing with
 * a shadow server, or before a first normalization.
 */
export const prepareNextNormalization = (config: ResolvedConfig): void => {
  if (!config.shadowUrl) startShadowEarly(config.root, null);
};
