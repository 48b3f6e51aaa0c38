/**
 * What `plan`, `generate` and `check` share: the history replayed as the current schema (or a live database), the
 * declared schema as the desired one, and the diff between them with its rename checks.
 */
import { UserError } from '../db/errors.js';
import { parsePgUrl } from '../db/url.js';
import { renameCandidates, type RenameCandidate } from '../diff/ambiguity.js';
import { diff, prepareDiff, RenameError, type DiffResult, type RenameHint } from '../diff/index.js';
import type { ResolvedConfig } from '../config/index.js';
import { cachingDisabled } from '../load/cache.js';
import { committedHead, HeadSchemaError, headUnits, judgedHead, parseHeadAhead, peekHeadExtensions, type HeadFile } from '../load/head-file.js';
import { historySchema } from '../load/history-schema.js';
import { schemaStamp } from '../load/schema-dir.js';
import { closeShadowEarly, startShadowEarly } from '../load/shadow.js';
import type { NormalizedUnits } from '../load/incremental.js';
import { withShadowChoice } from '../load/shadow-choice.js';
import { readHistory, type History, type Migration } from '../load/migrations.js';
import { readSchema, readSource } from '../load/source.js';
import type { Db } from '../db/types.js';
import type { Schema } from '../model/schema.js';
import type { Step } from '../model/plan.js';
import { plan } from '../plan/index.js';
import * as K from '../model/keys.js';
import type { Distribution } from '../dsl/distribution.js';
import { distributeTableSql } from '../render/distribution.js';
import { loadAhead, loadDesired as loadDeclared, loadingAhead, type Desired, type DesiredLoader } from './desired.js';
import { prepareSchemaSql } from '../emit/schema-sql.js';
import { embeddedNote, withSlowNotice, type Notifier } from './notice.js';
import { parseHints } from './rename-hints.js';

export { parseHints } from './rename-hints.js';

export type { Desired, DesiredLoader } from './desired.js';

export interface ProjectDiffOptions {
  readonly fromDb?: string | undefined;
  /**
   * Compare with the database behind this connection instead (an embedded PGlite, whose major is the embedded
   * shadow's); `fromDb` is then ignored.
   */
  readonly fromConnection?: Db | undefined;
  readonly renames: readonly string[];
  readonly noRename: readonly string[];
  /** Asks the user about a drop + add that looks like a rename (on a TTY); without it such a diff is refused. */
  readonly decide?: ((c: RenameCandidate) => Promise<'rename' | 'drop' | 'abort'>) | undefined;
  readonly notify?: Notifier | undefined;
}

export interface ProjectDiff {
  readonly history: History;
  readonly result: DiffResult;
  readonly steps: readonly Step[];
  readonly hints: readonly string[];
  readonly desired: Schema;
  /** The unit hashes of the embedded normalization of schema/ (none on a server shadow): for generated/head.json. */
  readonly units?: NormalizedUnits | undefined;
  readonly backfills: ReadonlyMap<string, string>;
}

/** Refuses a history that is not intact and linear: exit 3 with every reason. */
export const assertHistory = (history: History, allow: readonly string[] = []) => {
  const problems = history.problems.filter((p) => !allow.includes(p.code));
  if (problems.length) throw new UserError(`the migration history is not usable:\n${problems.map((p) => `  ${p.code}: ${p.message}`).join('\n')}`, 3);
};

/**
 * What the next `plan` or `generate` of this process will need, made now (the daemon, after a save): schema/
 * loaded and normalized (`loadAhead`), the committed head parsed (`parseHeadAhead`), both sides' dependency graphs
 * and the script of `schema.sql`. That run takes each only if what it was made from has not changed.
 */
export const diffAhead = async (config: ResolvedConfig): Promise<void> => {
  const head = parseHeadAhead(config.generatedDir);
  // The committed head, where it is the history's as a run would trust it (`trustedHead`), is the normalization
  // to splice into when it is the last one, as in a run: not a second copy of the same schema from the cache.
  // Whether it is, is found out while the shadow works.
  let trusted: boolean | undefined;
  const isTrusted = (): boolean => {
    if (trusted === undefined) {
      try {
        const history = readHistory(config.generatedDir);
        trusted = head !== null && headWanted(config, history) && judgedHead(head, history.migrations).kind === 'current';
      } catch {
        trusted = false;
      }
    }
    return trusted;
  };
  const units = head && headUnits(head);
  // Its schema is parsed when first read (a damaged one: none, as in a run, which then reports it).
  const headSchema = (): Schema | null => {
    try {
      return head?.schema ?? null;
    } catch (e) {
      if (e instanceof HeadSchemaError) return null;
      throw e;
    }
  };
  const base = head && units ? { units, schema: () => (isTrusted() ? headSchema() : null) } : undefined;
  // The head's schema is parsed and its graph built while the shadow works (as a run does).
  const desired = await loadAhead(
    config,
    () => {
      isTrusted();
      const s = headSchema();
      if (s) prepareDiff(s);
    },
    base,
  );
  if (!desired) return;
  const s = headSchema();
  if (s) prepareDiff(s, desired.schema);
  prepareSchemaSql(desired.schema);
};

export const projectDiff = async (
  config: ResolvedConfig,
  loadDesired: DesiredLoader,
  options: ProjectDiffOptions,
): Promise<ProjectDiff> => {
  const history = readHistory(config.generatedDir);
  if (options.fromConnection) return diffWithConnection(config, loadDesired, options, options.fromConnection, history);
  if (!options.fromDb) assertHistory(history);
  // A malformed URL is refused before the shadow starts (seconds) rather than after.
  else parsePgUrl(options.fromDb);
  // The embedded shadow schema/ will likely need starts on a worker thread now, before generated/head.json is read
  // (with the extensions its first lines name; reading the whole file confirms them or stops the shadow).
  // Not when a load started ahead of need (the daemon's, after a save) will likely answer: it has its shadow.
  const early = !options.fromDb && loadDesired === loadDeclared && !config.shadowUrl && config.shadowPostgres === undefined && !loadingAhead();
  if (early) startShadowEarly(config.root, schemaStamp(config.schemaDir), { guess: peekHeadExtensions(config.generatedDir) });
  try {
    return await diffAgainstHistory(config, loadDesired, options, history);
  } finally {
    if (early) await closeShadowEarly();
  }
};

const diffAgainstHistory = async (config: ResolvedConfig, loadDesired: DesiredLoader, options: ProjectDiffOptions, history: History): Promise<ProjectDiff> => {
  const n = history.migrations.length;
  const head = options.fromDb ? null : trustedHead(config, history, options.notify);
  const base = head && headUnits(head);
  // With a live side, schema/ is normalized on that database's major (DESIGN §1); see load/shadow-choice.ts.
  const [current, desired] = await withShadowChoice(
    { shadowUrl: config.shadowUrl, liveUrl: options.fromDb, pinnedMajor: config.shadowPostgres },
    (choice) => {
      if (choice.warning) options.notify?.warn?.(choice.warning);
      if (process.env.KEIKAKU_DEBUG) options.notify?.debug?.(`shadow: ${choice.description}`);
      const shadowed = { ...config, shadowUrl: choice.shadowUrl };
      const embedded = embeddedNote(choice.shadowUrl);
      const replay = () =>
        withSlowNotice(options.notify, `replaying ${n} migration${n === 1 ? '' : 's'}${embedded}`, historySchema(history.migrations, { shadowUrl: shadowed.shadowUrl, cacheRoot: config.root, acceptPredicted: true }));
      // The committed head's schema is parsed when first read: while the shadow creates schema/'s changes, when
      // it does (with its dependency graph, the diff's current side). Unreadable, the history is replayed.
      let headSchema: Schema | null | undefined;
      const readHeadSchema = (): Schema | null => {
        if (headSchema === undefined && head) {
          try {
            headSchema = head.schema;
          } catch (e) {
            if (!(e instanceof HeadSchemaError)) throw e;
            headSchema = null;
            if (process.env.KEIKAKU_DEBUG) options.notify?.debug?.(`${e.message}: the history is replayed`);
          }
        }
        return headSchema ?? null;
      };
      const whileWaiting = () => {
        const s = readHeadSchema();
        if (s) prepareDiff(s);
      };
      const desired = withSlowNotice(
        options.notify,
        `loading schema/ and normalizing it${embedded}`,
        loadDesired(shadowed, head ? { ...(base ? { base: { schema: readHeadSchema, units: base } } : {}), reuse: true, whileWaiting } : { reuse: true }),
      );
      const current = options.fromDb
        ? withSlowNotice(options.notify, 'reading the database', readSource({ kind: 'url', url: options.fromDb }, {}))
        : head
          ? desired.then(() => readHeadSchema() ?? replay())
          : replay();
      return Promise.all([current, desired]);
    },
  );
  return decided(history, current, desired, options);
};

/** Whether a committed head may stand for the history at all: the embedded shadow, the cache on, a history. */
const headWanted = (config: ResolvedConfig, history: History): boolean =>
  !(config.shadowUrl || config.shadowPostgres !== undefined || cachingDisabled() || history.migrations.length === 0);

/**
 * The committed head (`generated/head.json`) when the history schema may be taken from it: written for this very
 * history, keikaku and PGlite, and the shadow is the embedded one it was normalized on. Anything else: null, and
 * the history is replayed (KEIKAKU_DEBUG says why).
 */
const trustedHead = (config: ResolvedConfig, history: History, notify: Notifier | undefined): HeadFile | null => {
  if (!headWanted(config, history)) return null;
  const state = committedHead(config.generatedDir, history.migrations, { lazySchema: true });
  if (process.env.KEIKAKU_DEBUG) {
    const why = { absent: 'absent', unreadable: 'unreadable', 'other-history': 'written for another history', 'other-build': 'written by another build', current: 'used as the history schema' };
    notify?.debug?.(`generated/head.json: ${why[state.kind]}`);
  }
  return state.kind === 'current' ? state.head : null;
};

/** `fromConnection`: the live side read from the connection, `schema/` normalized in the embedded shadow. */
const diffWithConnection = async (config: ResolvedConfig, loadDesired: DesiredLoader, options: ProjectDiffOptions, db: Db, history: History): Promise<ProjectDiff> => {
  const [current, desired] = await Promise.all([
    withSlowNotice(options.notify, 'reading the database', readSchema(db)),
    withSlowNotice(options.notify, `loading schema/ and normalizing it${embeddedNote(config.shadowUrl)}`, loadDesired(config)),
  ]);
  return decided(history, current, desired, options);
};

/** The diff with its renames decided (hints, questions), or a refusal of an ambiguous one. */
const decided = async (history: History, current: Schema, desired: Desired, options: ProjectDiffOptions): Promise<ProjectDiff> => {
  const hints = [...desired.hints, ...options.renames];
  const noRename = new Set(options.noRename);
  let result = diffDeclared(current, desired, hints);
  let ambiguous = renameCandidates(result.changes, noRename);
  if (ambiguous.length && options.decide) {
    for (const c of ambiguous) {
      const answer = await options.decide(c);
      if (answer === 'abort') throw new UserError('stopped: nothing written', 3);
      if (answer === 'rename') hints.push(c.hint);
      else noRename.add(`${c.where}.${c.from}`);
    }
    result = diffDeclared(current, desired, hints);
    ambiguous = renameCandidates(result.changes, noRename);
  }
  if (ambiguous.length) throw new UserError(ambiguityMessage(ambiguous), 3);
  const steps = withDistribution(plan(result).steps, desired.distributions);
  return { history, result, steps, hints: result.usedHints, desired: desired.schema, units: desired.units, backfills: desired.backfills ?? new Map() };
};

const ambiguityMessage = (cs: readonly RenameCandidate[]): string =>
  [
    'a drop and an add look like a rename, and nothing says which it is:',
    ...cs.map((c) => `  ${c.kind} ${c.where}.${c.from} dropped, ${c.where}.${c.to} added`),
    'Decide each one, in one of three ways:',
    `  1. in code: .renamedFrom('${cs[0]!.from}') on ${cs[0]!.to}`,
    `  2. on the command line: --rename '${cs[0]!.hint}'`,
    `  3. to drop and add (the data of ${cs[0]!.from} is lost): --no-rename ${cs[0]!.kind === 'column' ? `${cs[0]!.where}.${cs[0]!.from}` : `${cs[0]!.where}.${cs[0]!.from}`}`,
  ].join('\n');

/**
 * A table created with a declared Citus distribution gets the guarded call that distributes it, at the end of its
 * step (after CREATE TABLE, before the foreign keys of later steps). Untested on Citus (docs/distributed.md).
 */
const withDistribution = (steps: readonly Step[], declared: ReadonlyMap<string, Distribution> | undefined): readonly Step[] =>
  !declared?.size
    ? steps
    : steps.map((s) => {
        if (s.change.kind !== 'create_table') return s;
        const t = s.change.to;
        const d = declared.get(K.tableKey(t.schema, t.name));
        return d ? { ...s, sql: [...s.sql, distributeTableSql(t.schema, t.name, d)] } : s;
      });

/** The diff of `current` to the declared schema; a `renamedFrom` that names nothing is refused at its declaration. */
export const diffDeclared = (current: Schema, desired: Desired, hints: readonly string[]): DiffResult => {
  try {
    const fromCode = new Set(desired.hints);
    return diff(current, desired.schema, parseHints(hints).map((h) => (fromCode.has(h.text) ? { ...h, fromCode: true } : h)));
  } catch (e) {
    // A `renamedFrom` in code that names nothing is a mistake in the declaration: point at it.
    const site = e instanceof RenameError ? desired.hintSite?.(e.hint) : undefined;
    if (site && e instanceof RenameError)
      throw new UserError(`${site}: renamedFrom: ${e.message.replace(/^--rename \S+: /, '')}`, 1, { cause: e });
    throw e;
  }
};

/**
 * The declared schema against the history replayed in the shadow, with the rename hints declared in code only (no
 * questions, no command-line hints): what `check` compares.
 */
export const diffWithHistory = async (
  config: ResolvedConfig,
  migrations: readonly Migration[],
  loadDesired: DesiredLoader = loadDeclared,
): Promise<{ readonly result: DiffResult; readonly steps: readonly Step[]; readonly desired: Desired; readonly current: Schema }> => {
  const [current, desired] = await Promise.all([historySchema(migrations, { shadowUrl: config.shadowUrl, cacheRoot: config.root }), loadDesired(config)]);
  const result = diffDeclared(current, desired, desired.hints);
  return { result, steps: plan(result).steps, desired, current };
};
