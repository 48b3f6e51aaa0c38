/**
 * keikaku as a library (`import { plan, generate, apply, check, pull } from 'keikaku/api'`): the pipeline the CLI
 * runs, one async function per command. Each takes an options object and returns data; none prints or exits. An
 * error the user can fix is a `UserError` whose `exitCode` is the one the CLI would exit with (DESIGN §4).
 * Stages are imported when a function runs: `keikaku apply` does not load pull's TypeScript printer or lint's parser.
 */
import { join, resolve as resolvePath } from 'node:path';
import type { LiveShadow } from './check/live.js';
import type { CheckReport, Linter } from './check/index.js';
import { loadConfig, type ResolvedConfig } from './config/index.js';
import type { Db } from './db/types.js';
import { ALLOWED_BY_DEFAULT } from './plan/gate.js';
import { DEFAULT_TIMEOUTS, type Timeouts } from './apply/types.js';
import type { StatusReport } from './apply/status.js';
import type { RunOptions, RunOutcome } from './project/apply.js';
import type { DesiredLoader } from './project/desired.js';
import type { GenerateOptions, Generated, PlanOptions, ProjectPlan } from './project/generate.js';
import { embeddedNote, withSlowNotice, type Notifier } from './project/notice.js';
import type { CompareOptions, Compared } from './project/compare.js';
import type { Pruned, PruneOptions } from './project/archive.js';
import type { Marks, MarkOptions, ServerIdentity, UnmarkOptions } from './project/marks.js';
import type { EmptyMigration, Rehashed, ResolveMatch, ResolveOptions } from './project/history.js';
import type { ResolveAs, ResolveResult } from './history/resolve.js';
import type { Discarded } from './project/discard.js';
import type { ResetOptions } from './project/reset.js';
import type { KyselyWritten } from './project/types.js';
import type { PulledProject, PullProjectOptions } from './project/pull.js';
import type { PushOptions, PushOutcome } from './project/push.js';
import type { SchemaChange, WatchOptions } from './project/watch.js';
import type { SquashOptions, Squashed } from './project/squash.js';
import { connectionTarget, optionalTarget, resolveTarget, withDatabaseMark, type Target, type TargetArgs } from './project/target.js';
import type { VerifyReport } from './verify/index.js';
import type { FleetApplyOptions, FleetEntry, FleetReport, FleetRunOptions, FleetSelection } from './project/fleet.js';

import { UserError } from './db/errors.js';
export { UserError };
/** One line for a step of a plan, as `keikaku plan` prints it. */
export { describeStep } from './plan/phases.js';
export type { ResolvedConfig } from './config/index.js';
export type { CheckReport, Finding } from './check/index.js';
export type { Desired, DesiredLoader } from './project/desired.js';
export type { Generated, ProjectPlan } from './project/generate.js';
export type { Notifier } from './project/notice.js';
export type { PulledProject } from './project/pull.js';
export type { ConnectionRoute, RunOutcome } from './project/apply.js';
export type { Target } from './project/target.js';
export { recordProductionMark, resolveTarget, withDatabaseMark } from './project/target.js';
export type { Compared } from './project/compare.js';
export type { StatusReport } from './apply/status.js';
export type { Timeouts } from './apply/types.js';
export type { Db } from './db/types.js';
export type { VerifyReport } from './verify/index.js';

/** Which project: its directory, or a configuration already loaded. */
export interface ProjectOptions {
  /** The project's directory (where `keikaku.config.ts` is, if any); default `process.cwd()`. */
  readonly root?: string | undefined;
  /** A configuration already loaded (`root` is then ignored). */
  readonly config?: ResolvedConfig | undefined;
  /** A server for the shadow database instead of the embedded PGlite. */
  readonly shadowUrl?: string | undefined;
}

/** Which database: `databaseUrl`, else `env` (an environment of keikaku.config.ts), else DATABASE_URL. */
export type DatabaseOptions = TargetArgs;

/** The project's configuration, as every function of this module reads it. */
export const projectConfig = async (o: ProjectOptions = {}): Promise<ResolvedConfig> => {
  const config = o.config ?? (await loadConfig(o.root ?? process.cwd()));
  return o.shadowUrl ? { ...config, shadowUrl: o.shadowUrl } : config;
};

/** The database a command would act on, and whether it is production (by flag or config; not yet by its mark). */
export const target = async (o: ProjectOptions & DatabaseOptions = {}): Promise<Target> => resolveTarget(await projectConfig(o), o);

interface PipelineOptions extends ProjectOptions {
  /**
   * Compare with a live database instead of the migration history: its URL, or `env` names an environment.
   * DATABASE_URL alone does not turn it on.
   */
  readonly fromDb?: string | undefined;
  readonly env?: string | undefined;
  /** `OLD=NEW` rename hints (besides `renamedFrom` in code). */
  readonly renames?: readonly string[] | undefined;
  /** `schema.table[.column]` really dropped, not renamed. */
  readonly noRename?: readonly string[] | undefined;
  /** The declared schema from elsewhere (tests); default: `schema/` loaded and normalized. */
  readonly desired?: DesiredLoader | undefined;
  /** Slow steps and warnings (default: none are reported). */
  readonly notify?: Notifier | undefined;
}

export type PlanApiOptions = PipelineOptions & Omit<PlanOptions, 'fromDb' | 'renames' | 'noRename' | 'notify'>;
export type GenerateApiOptions = PipelineOptions & Omit<GenerateOptions, 'fromDb' | 'renames' | 'noRename' | 'notify' | 'name' | 'now'> & {
  /** A few words for the folder name (default `migration`). */
  readonly name?: string | undefined;
  /** The clock (default now): the same input and clock write byte-identical files. */
  readonly now?: Date | undefined;
};

const pipeline = async (o: PipelineOptions) => {
  const config = await projectConfig(o);
  // An empty `fromDb` is no database, as the CLI's `--from-db ''`.
  const live = optionalTarget(config, { databaseUrl: o.fromDb || undefined, env: o.env });
  return {
    config,
    desired: o.desired ?? (await import('./project/desired.js')).loadDesired,
    diff: { fromDb: live?.url, renames: o.renames ?? [], noRename: o.noRename ?? [], decide: undefined, notify: o.notify },
  };
};

/** The migration `schema/` needs against the history (or a live database), written nowhere. */
export const plan = async (o: PlanApiOptions = {}): Promise<ProjectPlan> => {
  const p = await pipeline(o);
  const { planProject } = await import('./project/generate.js');
  return planProject(p.config, p.desired, { ...o, ...p.diff, decide: o.decide });
};

/** Writes the next migration folder, `schema.sql` and `migrations.sum`; `unchanged` when there is nothing to write. */
export const generate = async (o: GenerateApiOptions = {}): Promise<Generated> => {
  const p = await pipeline(o);
  const { generateMigration } = await import('./project/generate.js');
  return generateMigration(p.config, p.desired, { ...o, ...p.diff, decide: o.decide, name: o.name ?? 'migration', now: o.now ?? new Date() });
};

export type ApplyApiOptions = ProjectOptions &
  Omit<RunOptions, 'direction' | 'timeouts'> & {
    /** `up` (default) applies pending migrations; `down` reverts applied ones. */
    readonly direction?: 'up' | 'down' | undefined;
    readonly timeouts?: Partial<Timeouts> | undefined;
  };

/**
 * Runs pending migrations (or, `direction: 'down'`, reverts applied ones) on the database. A production database
 * is refused (exit 3) unless `yes` or `confirm` allows it; a refusal, a dry run and schema drift are outcomes.
 */
export const apply = async (o: ApplyApiOptions = {}): Promise<RunOutcome> =>
  (await import('./project/apply.js')).runHistory(await projectConfig(o), { ...o, direction: o.direction ?? 'up', timeouts: { ...DEFAULT_TIMEOUTS, ...o.timeouts } });

export interface CheckApiOptions extends ProjectOptions {
  /** Also check this database (no pending migration, no drift); else `env`; DATABASE_URL alone is not read. */
  readonly databaseUrl?: string | undefined;
  readonly env?: string | undefined;
  /** Lint every migration file (findings are warnings); default true. */
  readonly lint?: boolean | undefined;
  /** Where live and migration schemas are brought to one version. */
  readonly liveShadow?: LiveShadow | undefined;
  /** Slow steps (the replay, the normalization, reading the database). */
  readonly notify?: Notifier | undefined;
}

/** `keikaku lint` as `check` runs it: files applied by keikaku, findings not acknowledged by `keikaku:allow`. */
const lintMigration: Linter = async (sql, file, context) =>
  (await (await import('./lint/index.js')).lintSql(sql, file, { appliedByKeikaku: true, contextFiles: context })).filter((f) => !f.allowed);

/** The CI gate: history intact and linear, nothing ungenerated in `schema/`, and with a database, nothing pending or drifted. */
export const check = async (o: CheckApiOptions = {}): Promise<CheckReport> => {
  const config = await projectConfig(o);
  const databaseUrl = optionalTarget(config, o)?.url;
  const { check: checkProject } = await import('./check/index.js');
  return withSlowNotice(
    o.notify,
    `checking: replaying the migrations and normalizing schema/${databaseUrl ? ', reading the database' : ''}${embeddedNote(config.shadowUrl)}`,
    checkProject(config, {
      databaseUrl,
      ...(o.liveShadow ? { liveShadow: o.liveShadow } : {}),
      lint: o.lint === false ? undefined : lintMigration,
      allowHazards: [...ALLOWED_BY_DEFAULT, ...config.allowHazards],
    }),
  );
};

export type PullApiOptions = ProjectOptions & PullProjectOptions;

/** Writes `schema/*.ts` from the database and, when `generated/` is empty, the baseline migration. */
export const pull = async (o: PullApiOptions = {}): Promise<PulledProject> => (await import('./project/pull.js')).pullProject(await projectConfig(o), o);

/** Every migration up → down → up in the shadow; the first that does not round-trip. */
export const verify = async (
  o: ProjectOptions & { readonly generatedDir?: string | undefined; readonly notify?: Notifier | undefined } = {},
): Promise<VerifyReport> => {
  const config = await projectConfig(o);
  const { verify: verifyHistory } = await import('./verify/index.js');
  return withSlowNotice(
    o.notify,
    `verifying: replaying every migration up, down and up again${embeddedNote(config.shadowUrl)}`,
    verifyHistory(o.generatedDir ?? config.generatedDir, { shadowUrl: config.shadowUrl, cacheRoot: config.root }),
  );
};

/** Each migration phase on the database: applied, pending, running, failed; checksums. */
export const status = async (
  o: ProjectOptions & DatabaseOptions & { readonly db?: Db | undefined } = {},
): Promise<{ readonly target: Target; readonly report: StatusReport }> => {
  const config = await projectConfig(o);
  const given = o.db ? connectionTarget(o.db, o.production === true) : resolveTarget(config, o);
  const [{ readHistory }, { connectPg }, { readStatus }] = await Promise.all([import('./load/migrations.js'), import('./db/pg.js'), import('./apply/status.js')]);
  const history = readHistory(config.generatedDir);
  const db = o.db ?? (await connectPg(given.url));
  try {
    const target = await withDatabaseMark(given, db);
    return { target, report: await readStatus(db, history) };
  } finally {
    if (!o.db) await db.close();
  }
};

/** Two schemas from any sources (URL, `.sql`, schema directory, `migrations:DIR`) compared; writes `up.sql` and `down.sql`. */
export const diff = async (o: CompareOptions): Promise<Compared> => (await import('./project/compare.js')).compareSources(o);

/**
 * After a merge left two migrations on one parent: removes the newer one (and rewrites the sum file), so the next
 * `generate` re-plans it on top of the other. Returns the removed migration's id; undefined when there was
 * nothing to do.
 */
export const rebase = async (o: ProjectOptions = {}): Promise<string | undefined> => (await import('./project/rebase.js')).rebase(await projectConfig(o));

/** After the re-plan of `rebase`: the new head records the id it replaces, so a database that ran it is told the way out. */
export const recordReplaced = async (o: ProjectOptions & { readonly removed: string }): Promise<void> =>
  (await import('./project/rebase.js')).recordReplaced(await projectConfig(o), o.removed);

/** `generate --empty`: a migration folder to fill by hand (phase files with a header, plan.json `handWritten`), signed. */
export const generateEmpty = async (o: ProjectOptions & { readonly name: string; readonly now?: Date | undefined }): Promise<EmptyMigration> =>
  (await import('./project/history.js')).writeEmptyMigration(await projectConfig(o), { name: o.name, now: o.now ?? new Date() });

/** Re-signs migrations.sum after a deliberate hand edit; edited generated phase files are recorded as such. */
export const rehash = async (o: ProjectOptions = {}): Promise<Rehashed> => (await import('./project/history.js')).rehashProject(await projectConfig(o));

/** The migration a text names (its id or a unique beginning), with the candidates when it names none. */
export const findMigration = async (o: ProjectOptions & { readonly migration: string; readonly as?: ResolveAs | undefined }): Promise<ResolveMatch> =>
  (await import('./project/history.js')).matchMigration(await projectConfig(o), o.migration, o.as);

/**
 * Records in the database's journal that a migration's phases were applied or rolled back by hand (as `prisma
 * migrate resolve` / `alembic stamp`); runs nothing else. A migration it does not name: exit 1 with candidates.
 */
export const resolve = async (o: ProjectOptions & ResolveOptions): Promise<{ readonly target: Target; readonly id: string; readonly result: ResolveResult }> => {
  const config = await projectConfig(o);
  const { matchMigration, resolveProject } = await import('./project/history.js');
  const found = matchMigration(config, o.migration, o.as);
  if (!found.id)
    throw new UserError(`no migration ${o.migration} in ${config.generatedDir}/migrations${found.matches.length > 1 ? ` (it begins ${found.matches.length} of them)` : ''}`);
  return { ...(await resolveProject(config, { ...o, id: found.id })), id: found.id };
};

/** Writes Kysely's `DB` interface for the declared schema, as normalized, to `kysely` (a path). */
export const types = async (o: ProjectOptions & { readonly kysely: string; readonly notify?: Notifier | undefined }): Promise<KyselyWritten> => {
  const config = await projectConfig(o);
  return (await import('./project/types.js')).writeKyselyTypes(config, resolvePath(config.root, o.kysely), o.notify);
};

/**
 * Checks every known database (`databaseUrl`, DATABASE_URL, the config's environments) for the newest migration and,
 * when none has run it, deletes it (not with `dryRun`); `discarded` false and the databases that ran it otherwise.
 */
export const discard = async (o: ProjectOptions & { readonly databaseUrl?: string | undefined; readonly dryRun?: boolean | undefined }): Promise<Discarded> =>
  (await import('./project/discard.js')).discardNewest(await projectConfig(o), o);

/**
 * Development only: empties the database (every user schema, the journal too) after `confirm` is told what goes;
 * refuses a production database however it is marked. Apply the migrations next (`apply`).
 */
export const reset = async (o: ProjectOptions & ResetOptions): Promise<{ readonly target: Target; readonly dropped: readonly string[] }> =>
  (await import('./project/reset.js')).emptyDevelopmentDatabase(await projectConfig(o), o);

/** Marks the database as production in the database itself: every route to it is then guarded. */
export const mark = async (o: ProjectOptions & MarkOptions): Promise<{ readonly target: Target; readonly server: ServerIdentity }> =>
  (await import('./project/marks.js')).markDatabase(await projectConfig(o), o);

/** Removes the mark; on a production database only with `yes` or a `confirm` that returns (else exit 3). */
export const unmark = async (o: ProjectOptions & UnmarkOptions): Promise<{ readonly target: Target; readonly removed: boolean }> =>
  (await import('./project/marks.js')).unmarkDatabase(await projectConfig(o), o);

/** The marks of the database, the server's identity, and whether keikaku guards it. */
export const marks = async (o: ProjectOptions & DatabaseOptions = {}): Promise<Marks> => (await import('./project/marks.js')).readDatabaseMarks(await projectConfig(o), o);

/** Drops the archives (keikaku_archive) older than `olderThan`; their migrations' downs then restore the shape only. */
export const pruneArchives = async (o: ProjectOptions & PruneOptions): Promise<Pruned> => (await import('./project/archive.js')).pruneArchives(await projectConfig(o), o);

export type PushApiOptions = ProjectOptions &
  Omit<PushOptions, 'notify' | 'renames' | 'noRename'> & {
    /** `OLD=NEW` rename hints (besides `renamedFrom` in code). */
    readonly renames?: readonly string[] | undefined;
    /** `schema.table[.column]` really dropped, not renamed. */
    readonly noRename?: readonly string[] | undefined;
    readonly desired?: DesiredLoader | undefined;
    readonly notify?: Notifier | undefined;
  };

/**
 * Development only: brings the database (`databaseUrl`, else `env`, else DATABASE_URL) straight to `schema/`, no
 * migration written. Refuses production (exit 3), a step that destroys rows unless `allowDataLoss` (then archived
 * first), and runs nothing without `yes` or a `confirm` that returns true.
 */
export const push = async (o: PushApiOptions = {}): Promise<PushOutcome> => {
  const config = await projectConfig(o);
  const desired = o.desired ?? (await import('./project/desired.js')).loadDesired;
  return (await import('./project/push.js')).pushProject(config, desired, { ...o, renames: o.renames ?? [], noRename: o.noRename ?? [] });
};

/**
 * Saves in `schema/` (or `dir`), one `SchemaChange` per burst, until `signal` aborts: what `plan --watch` and
 * `push --watch` re-run on.
 */
export const watchSchema = async (o: ProjectOptions & WatchOptions & { readonly dir?: string | undefined } = {}): Promise<AsyncGenerator<SchemaChange>> => {
  const dir = o.dir ?? (await projectConfig(o)).schemaDir;
  // Watching starts here, before the caller's first run.
  return (await import('./project/watch.js')).watchDirectory(dir, o);
};

/**
 * Collapses the history up to `to` into one baseline, proved in the shadow to make the same schema (and the same
 * head) before anything is written; databases that ran the replaced migrations count as having run the baseline.
 */
export const squash = async (o: ProjectOptions & SquashOptions): Promise<Squashed> => (await import('./project/squash.js')).squashProject(await projectConfig(o), o);

/**
 * Loads and normalizes schema/ now, for a `plan` or `generate` that will likely come in this process (the daemon
 * calls it after a save), with the committed head parsed and what their diff and `schema.sql` need: that run takes
 * each if what it was made from has not changed (`project/diff.ts`). A failure is met again by that run.
 */
export const loadAhead = async (o: ProjectOptions = {}): Promise<void> => (await import('./project/diff.js')).diffAhead(await projectConfig(o));

/**
 * Starts the embedded shadow the next `plan` or `generate` of this process will likely need, on a worker thread,
 * now; `plan --watch` calls it while it waits for a save. Nothing with a shadow server.
 */
export const warmShadow = async (o: ProjectOptions = {}): Promise<void> => (await import('./project/desired.js')).prepareNextNormalization(await projectConfig(o));

/**
 * Starts the embedded shadow's thread ahead of a `plan` or `generate` in `root` whose config is about to be
 * evaluated, so that PGlite starts meanwhile (with the extensions of `generated/head.json`, where the config usually
 * puts it; what the config says confirms them later). The returned function stops it when no normalization took it:
 * call it in any case.
 */
export const shadowAhead = async (root: string): Promise<() => Promise<void>> => {
  const [shadow, head] = await Promise.all([import('./load/shadow.js'), import('./load/head-file.js')]);
  shadow.startShadowPending(head.peekHeadExtensions(join(root, 'generated')));
  return shadow.closeShadowEarly;
};

export type { CompareOptions } from './project/compare.js';
export type { PushOutcome, PushPreview } from './project/push.js';
export type { SchemaChange } from './project/watch.js';
export type { Squashed } from './project/squash.js';
export type { FleetApplyOptions, FleetEntry, FleetReport, FleetRunOptions, FleetSelection, FleetState, FleetTargetResult } from './project/fleet.js';
export type { FleetTargetConfig, FleetTargetsConfig } from './config/index.js';

/** The databases of a fleet (`targetsFile`, else the config's `targets` with `fleet`), checked before anything connects. */
export const fleetTargets = async (o: ProjectOptions & FleetSelection): Promise<FleetEntry[]> => (await import('./project/fleet.js')).fleetTargets(await projectConfig(o), o);

/**
 * `apply` on every database of a fleet: `parallel` at a time, the first `canary` first, stopping new starts after a
 * failure unless `continueOnError`. Production databases (by config or mark) are confirmed once, before anything
 * runs (`yes`, or `confirm`; else exit 3). Each database resumes where it stopped, as `apply` does.
 */
export const fleetApply = async (o: ProjectOptions & Omit<FleetApplyOptions, 'timeouts'> & { readonly timeouts?: Partial<Timeouts> | undefined }): Promise<FleetReport> =>
  (await import('./project/fleet.js')).applyFleet(await projectConfig(o), { ...o, timeouts: { ...DEFAULT_TIMEOUTS, ...o.timeouts } });

/** `status` of every database of a fleet; `exitCode` 2 when one has a phase not applied, 1 when one could not be read. */
export const fleetStatus = async (o: ProjectOptions & FleetRunOptions): Promise<FleetReport> => (await import('./project/fleet.js')).statusFleet(await projectConfig(o), o);

/** `check` of the repository once, then of every database of a fleet (pending, failed, drift). */
export const fleetCheck = async (o: ProjectOptions & FleetRunOptions & { readonly lint?: boolean | undefined }): Promise<FleetReport> => {
  const config = await projectConfig(o);
  return (await import('./project/fleet.js')).checkFleet(config, { ...o, lint: o.lint === false ? undefined : lintMigration, allowHazards: [...ALLOWED_BY_DEFAULT, ...config.allowHazards] });
};

/** `verify` once (the history is the same for every database), then every database's journal against those files. */
export const fleetVerify = async (o: ProjectOptions & FleetRunOptions & { readonly generatedDir?: string | undefined }): Promise<FleetReport> =>
  (await import('./project/fleet.js')).verifyFleet(await projectConfig(o), o);

export type { Pruned, PrunedArchive } from './project/archive.js';
export type { Marks } from './project/marks.js';
export type { KyselyWritten } from './project/types.js';
export type { CheckedDatabase, Discarded } from './project/discard.js';
export type { ResetOptions } from './project/reset.js';
export type { EmptyMigration, Rehashed, ResolveMatch, ResolveOptions } from './project/history.js';
export type { ResolveResult, ResolveAs } from './history/resolve.js';
export type { RunOptions as ApplyRunOptions } from './project/apply.js';
export type { CheckOptions } from './check/index.js';
export type { PullProjectOptions } from './project/pull.js';
export type { PlanOptions, GenerateOptions } from './project/generate.js';
export type { TargetArgs } from './project/target.js';
export type { RunEvent, PlannedPhase, RowLoss, RunResult } from './apply/types.js';

export type { Rehearsal, RehearsalStep, RehearseOptions } from './project/rehearse.js';
export type { RoundTrip, TableRoundTrip } from './rehearse/run.js';

/**
 * The pending migrations of the database run on a copy of it (never on it), phase by phase as `apply` runs them,
 * under a workload of an old-shaped and a new-shaped client; per step its time, the workload's longest wait and
 * failures, rewrites, WAL, and the forecast for the real database; then down and up again, the data compared.
 */
export const rehearse = async (
  o: ProjectOptions & Omit<import('./project/rehearse.js').RehearseOptions, 'timeouts'> & { readonly timeouts?: Partial<Timeouts> | undefined } = {},
): Promise<import('./project/rehearse.js').Rehearsal> =>
  (await import('./project/rehearse.js')).rehearseProject(await projectConfig(o), { ...o, timeouts: { ...DEFAULT_TIMEOUTS, ...o.timeouts } });
