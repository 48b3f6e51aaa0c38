/**
 * `keikaku rehearse`: the pending migrations of a database run on a copy of it, measured, and forecast for the real
 * one. The source is only read (the pending phases, its server's version, its tables' sizes; with `sample`, its
 * rows in a read-only transaction); everything runs on the copy, which is dropped whatever happens.
 */
import { previewRun, runMigrations } from '../apply/index.js';
import { localIdentity } from '../apply/journal.js';
import type { PlannedPhase, Timeouts } from '../apply/types.js';
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import { connectPg } from '../db/pg.js';
import { createScratchDatabase, withDatabase } from '../db/scratch.js';
import type { Db } from '../db/types.js';
import { describeTarget, parsePgUrl } from '../db/url.js';
import { readHistory } from '../load/migrations.js';
import type { PlanJson } from '../emit/migration.js';
import { qname } from '../render/quote.js';
import { liveRows, readShapes, type TableShape } from '../rehearse/catalog.js';
import { makeCopy, type CopyMethod } from '../rehearse/copy.js';
import { forecastStep } from '../rehearse/forecast.js';
import { rehearseRun, type MeasuredStep, type RoundTrip } from '../rehearse/run.js';
import { resolveTarget, type TargetArgs } from './target.js';

export interface RehearseOptions extends TargetArgs {
  /** Only these migrations (ids or unique beginnings) of the pending ones, up to the last named; default all. */
  readonly migrations?: readonly string[] | undefined;
  /** At most this many rows of each table on the copy (pg_dump | pg_restore). */
  readonly sample?: number | undefined;
  /** Only this way of copying (default: TEMPLATE, else pg_dump, else the provider commands). */
  readonly copy?: CopyMethod | undefined;
  /** A server (same major) for a pg_dump copy instead of the source's. */
  readonly scratchUrl?: string | undefined;
  readonly timeouts: Timeouts;
  /** A connection instead of a URL: only to say that an embedded database cannot be rehearsed. */
  readonly db?: Db | undefined;
  /** Progress lines (the copy, the phases), for a terminal. */
  readonly onProgress?: ((text: string) => void) | undefined;
}

/** A measured step of the run with its forecast on the real database. */
export interface RehearsalStep extends MeasuredStep {
  readonly forecastMs: number;
  /** The step would keep others waiting longer than lock_timeout on the real database. */
  readonly exceedsLockTimeout: boolean;
}

export interface Rehearsal {
  /** The source, password masked. */
  readonly source: string;
  readonly copy: { readonly method: CopyMethod; readonly url: string; readonly sampleRows: number | null; readonly notes: readonly string[] };
  readonly lockTimeoutMs: number;
  readonly pending: readonly { readonly migration: string; readonly phase: string }[];
  /** The plan.json of each rehearsed migration, oldest first (for the review page). */
  readonly plans: readonly { readonly id: string; readonly plan: PlanJson }[];
  readonly steps: readonly RehearsalStep[];
  /** The first up's failure. */
  readonly failure: string | null;
  readonly roundTrip: RoundTrip | null;
  /** Rows of each touched table: live (source) and on the copy. */
  readonly tables: readonly { readonly table: string; readonly liveRows: number; readonly copiedRows: number }[];
  /** Whether the rehearsal found something to stop for: a step failed or exceeded lock_timeout, the workload failed, the round trip failed. */
  readonly findings: readonly string[];
}

/** The pending phases up to the last migration `names` designates (all when none). */
const pendingOf = (phases: readonly PlannedPhase[], names: readonly string[] | undefined): PlannedPhase[] => {
  if (!names?.length) return [...phases];
  const ids = [...new Set(phases.map((p) => p.migration))];
  let last = -1;
  for (const n of names) {
    const hits = ids.filter((id) => id === n || id.startsWith(n));
    if (hits.length !== 1)
      throw new UserError(`${n}: ${hits.length ? `begins ${hits.length} pending migrations` : 'no pending migration has this id'}${ids.length ? ` (pending: ${ids.join(', ')})` : ''}`);
    last = Math.max(last, ids.indexOf(hits[0]!));
  }
  const keep = new Set(ids.slice(0, last + 1));
  return phases.filter((p) => keep.has(p.migration));
};

/**
 * The columns of every table after the pending migrations, learned on a second copy (of the copy, by TEMPLATE,
 * its tables emptied): the new-shaped client needs them before the contract phase gives them their names.
 * Undefined when that copy cannot be made (a provider's copy): the client then reads the shape as the run goes.
 */
const shapeAfter = async (
  copyUrl: string,
  config: ResolvedConfig,
  timeouts: Timeouts,
  migrations: readonly string[],
  note: (s: string) => void,
): Promise<Map<string, Map<string, TableShape>> | undefined> => {
  const database = parsePgUrl(copyUrl).target.database;
  let scratch;
  try {
    scratch = await createScratchDatabase(withDatabase(copyUrl, 'postgres'), { template: database });
  } catch (error) {
    note(`the new-shaped client reads the columns as the run goes (no second copy: ${error instanceof Error ? error.message : String(error)})`);
    return undefined;
  }
  try {
    const tables = [...(await readShapes(scratch.db)).values()];
    if (tables.length) await scratch.db.exec(`TRUNCATE ${tables.map((t) => qname(t.schema, t.name)).join(', ')}`);
    const out = new Map<string, Map<string, TableShape>>();
    const history = readHistory(config.generatedDir);
    for (const to of migrations) {
      const r = await runMigrations(scratch.db, { history, direction: 'up', to, timeouts, by: localIdentity() });
      if (r.outcome !== 'done') break;
      out.set(to, await readShapes(scratch.db));
    }
    return out;
  } finally {
    await scratch.drop();
  }
};

export const rehearseProject = async (config: ResolvedConfig, o: RehearseOptions): Promise<Rehearsal> => {
  if (o.db && !o.databaseUrl)
    throw new UserError(
      'rehearse needs a PostgreSQL server: the embedded PostgreSQL (PGlite) cannot copy a database (no CREATE DATABASE … TEMPLATE, no pg_dump); give --database-url',
    );
  if (o.sample !== undefined && (!Number.isInteger(o.sample) || o.sample < 1)) throw new UserError(`--sample ${o.sample}: expected a whole number of rows, 1 or more`);
  const target = resolveTarget(config, o);
  const source = describeTarget(target.url);
  const history = readHistory(config.generatedDir);
  const say = o.onProgress ?? (() => undefined);

  // What is pending, and the live tables' sizes: read from the source, which nothing here writes.
  const src = await connectPg(target.url);
  let pending: PlannedPhase[];
  let live: Map<string, number>;
  let shapes: Map<string, TableShape>;
  try {
    const preview = await previewRun(src, { history, direction: 'up', timeouts: o.timeouts, by: localIdentity() });
    if (preview.kind === 'refused') throw new UserError(`${source}: ${preview.refusals.map((r) => r.message).join('; ')}`, 3);
    pending = pendingOf(preview.phases, o.migrations);
    shapes = await readShapes(src);
    live = await liveRows(src, [...shapes.values()]);
  } finally {
    await src.close();
  }
  const ids = new Set(pending.map((p) => p.migration));
  const base = {
    source,
    lockTimeoutMs: o.timeouts.lockTimeoutMs,
    pending: pending.map((p) => ({ migration: p.migration, phase: p.phase })),
    plans: history.migrations.filter((m) => ids.has(m.id)).map((m) => ({ id: m.id, plan: m.plan })),
  };
  if (pending.length === 0)
    return { ...base, copy: { method: 'template', url: '', sampleRows: null, notes: ['nothing pending: no copy made'] }, steps: [], failure: null, roundTrip: null, tables: [], findings: [] };
  const last = pending[pending.length - 1]!.migration;

  say(`copying ${source}${o.sample !== undefined ? ` (at most ${o.sample} rows a table)` : ''}`);
  const copy = await makeCopy(
    { sourceUrl: target.url, method: o.copy, sample: o.sample, scratchUrl: o.scratchUrl, provider: config.rehearse, cwd: config.root, note: say },
    () => connectPg(target.url),
  );
  try {
    const copyLabel = describeTarget(copy.url);
    say(`copy made (${copy.method}): ${copyLabel}`);
    const notes = [...copy.notes];
    const after = copy.method === 'provider' ? undefined : await shapeAfter(copy.url, config, o.timeouts, [...new Set(pending.map((p) => p.migration))], (s) => notes.push(s));
    // The copy's own journal decides what runs there: the same phases as on the source, up to the last one asked for.
    const run = await rehearseRun({ copyUrl: copy.url, history: cut(history, last), timeouts: o.timeouts, phases: pending, after, onProgress: say });
    const copied = run.touched;
    const sampled = copy.sampled !== undefined;
    // On a sample every millisecond is multiplied: each step's quicker run of the two ups is the one scaled.
    const basis = (s: (typeof run.steps)[number]) => (sampled && s.againMs !== null ? Math.min(s.durationMs, s.againMs) : s.durationMs);
    const fixedMs = run.steps.length ? Math.min(...run.steps.map(basis)) : 0;
    const steps = run.steps.map((s): RehearsalStep => {
      const f = forecastStep({ ...s, durationMs: basis(s) }, { live, copied: copy.sampled ?? copied, sampled, lockTimeoutMs: o.timeouts.lockTimeoutMs, fixedMs });
      return { ...s, forecastMs: f.forecastMs, exceedsLockTimeout: f.exceedsLockTimeout };
    });
    const findings = [
      ...(run.failure ? [`a step failed: ${run.failure}`] : []),
      ...steps.filter((s) => s.exceedsLockTimeout).map((s) => `${s.migration} ${s.phase} step ${s.step} would hold others up longer than lock_timeout ${o.timeouts.lockTimeoutMs} ms`),
      ...steps.filter((s) => s.failedStatements > 0).map((s) => `${s.migration} ${s.phase} step ${s.step}: ${s.failedStatements} workload statement(s) failed`),
      ...(run.roundTrip && !run.roundTrip.ok ? [`the round trip (down, up again) did not bring the data back${run.roundTrip.failure ? `: ${run.roundTrip.failure}` : ''}`] : []),
    ];
    return {
      ...base,
      copy: { method: copy.method, url: copyLabel, sampleRows: o.sample ?? null, notes },
      steps,
      failure: run.failure ?? null,
      roundTrip: run.roundTrip,
      tables: [...copied].map(([table, rows]) => ({ table, liveRows: live.get(table) ?? 0, copiedRows: copy.sampled?.get(table) ?? rows })),
      findings,
    };
  } finally {
    await copy.drop();
  }
};

/** The history up to `last` (later migrations are not rehearsed). */
const cut = (h: ReturnType<typeof readHistory>, last: string): ReturnType<typeof readHistory> => {
  const i = h.migrations.findIndex((m) => m.id === last);
  return i < 0 ? h : { ...h, migrations: h.migrations.slice(0, i + 1) };
};
