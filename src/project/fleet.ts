/**
 * `apply`, `status`, `check` and `verify` over a fleet of databases (docs/fleets.md). Each database keeps its own
 * journal and advisory lock, so a fleet run is many single runs, ordered by `fleet/schedule.ts`; a re-run picks up
 * each database where it stopped, because that is what `apply` does on one. The production guard is asked once for
 * the whole fleet, before anything runs.
 */
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { readStatus, type StatusReport } from '../apply/status.js';
import type { RunEvent, Timeouts } from '../apply/types.js';
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import { connectPg } from '../db/pg.js';
import { MASK, secretsIn } from '../db/secrets.js';
import { maskUrl } from '../db/url.js';
import { schedule, type ScheduleOptions } from '../fleet/schedule.js';
import { listedTargets, parseTargetsFile, queriedTargets, targetUrlFromEnv, type FleetEntry } from '../fleet/targets.js';
import { readHistory, type History } from '../load/migrations.js';
import type { PhaseName } from '../model/plan.js';
import { runHistory } from './apply.js';
import { resolveTarget, withDatabaseMark, type Target, type TargetArgs } from './target.js';
import { refuseUnsafe, tenantRun, tenantSchemas, tenantTemplate } from '../tenant/index.js';
import type { TenantRun } from '../apply/types.js';

export type { FleetEntry } from '../fleet/targets.js';

/**
 * `applied`: this run applied something; `up-to-date`: nothing to do; `pending`: (status, check, verify) a phase
 * is not applied; `drifted`: (check) the schema is not what its applied migrations make; `failed`: the run or the
 * read failed, or apply would refuse; `skipped`: not started (a canary failed, or a failure stopped the fleet).
 */
export type FleetState = 'applied' | 'up-to-date' | 'pending' | 'drifted' | 'failed' | 'skipped';

export interface FleetTargetResult {
  /** The URL without its password. */
  readonly url: string;
  /** `--schemas`: the tenant schema (the target is this schema of the database `url`). */
  readonly schema?: string | undefined;
  readonly name?: string | undefined;
  readonly production: boolean;
  /** The newest migration fully applied before (status: now); null when none. */
  readonly from: string | null;
  /** apply: the newest migration applied when it stopped; status/check/verify: the head of the history. */
  readonly to: string | null;
  readonly durationMs: number | null;
  readonly state: FleetState;
  readonly error: string | null;
  /** check: what it found on this database, one line each. */
  readonly findings?: readonly string[] | undefined;
}

export interface FleetReport {
  readonly command: 'apply' | 'status' | 'check' | 'verify';
  readonly targets: readonly FleetTargetResult[];
  readonly counts: Readonly<Record<FleetState, number>>;
  readonly durationMs: number;
  /** Why databases were skipped, when some were. */
  readonly stopped: string | null;
  /** verify: the history's own verdict (replayed once); check: the repository part's exit code and findings. */
  readonly history?: { readonly exitCode: number; readonly messages: readonly string[] } | undefined;
  /** 0 all well; 1 a target failed; 2 (status, check) something pending or drifted; 3 the history refused. */
  readonly exitCode: number;
}

/**
 * Which databases: a targets file, else (`fleet`) the config's `targets`; with `schemas` and neither, the one
 * database of `database` (as `apply` finds it). With `schemas`, each database's tenant schemas are the targets.
 */
export interface FleetSelection {
  /** A file of URLs, one per line (relative to the project root). */
  readonly targetsFile?: string | undefined;
  /** Use `targets` of keikaku.config.ts. */
  readonly fleet?: boolean | undefined;
  /** Schema per tenant: a LIKE pattern; every schema of each database it matches is a target (docs/fleets.md). */
  readonly schemas?: string | undefined;
  /** The schema the migrations build for tenants (default the config's `tenants.template`, else the one they name). */
  readonly templateSchema?: string | undefined;
  /** `schemas` without targets file or fleet: the database, as for one `apply`. */
  readonly database?: TargetArgs | undefined;
}

export interface FleetRunOptions extends FleetSelection {
  /** At most this many databases at once (default 1). */
  readonly parallel?: number | undefined;
  /** Told each database's result as it finishes (in finishing order). */
  readonly onTargetDone?: ((result: FleetTargetResult, index: number, total: number) => void) | undefined;
}

export interface FleetApplyOptions extends FleetRunOptions {
  /** The first K databases run first; if one fails, no other starts. */
  readonly canary?: number | undefined;
  /** Keep starting databases after one failed (default: stop starting new ones; those running finish). */
  readonly continueOnError?: boolean | undefined;
  readonly to?: string | undefined;
  readonly phase?: PhaseName | undefined;
  readonly timeouts: Timeouts;
  /** Treat every database of the fleet as production (guarded), as `--production` does for one. */
  readonly production?: boolean | undefined;
  /** Changing production databases is allowed without `confirm` being asked. */
  readonly yes?: boolean | undefined;
  /** Asked once, before anything runs, when some databases are production (unless `yes`); throws to stop. */
  readonly confirm?: ((production: readonly Target[], total: number) => Promise<void>) | undefined;
  readonly onEvent?: ((target: FleetEntry, e: RunEvent) => void) | undefined;
}

const STATES: readonly FleetState[] = ['applied', 'up-to-date', 'pending', 'drifted', 'failed', 'skipped'];

const whole = (n: number | undefined, name: string, min: number): number | undefined => {
  if (n === undefined) return undefined;
  if (!Number.isInteger(n) || n < min) throw new UserError(`${name} ${n}: expected a whole number, ${min} or more`);
  return n;
};

/** The fleet's databases, checked (every URL parsed, none twice) before anything connects. */
export const fleetTargets = async (config: ResolvedConfig, o: FleetSelection): Promise<FleetEntry[]> => {
  if (o.targetsFile !== undefined && o.fleet) throw new UserError('give --targets FILE or --fleet, not both');
  if (o.schemas !== undefined && o.targetsFile === undefined && !o.fleet) {
    const t = resolveTarget(config, o.database ?? {});
    return [{ url: t.url, label: t.label, production: t.production, source: t.source }];
  }
  if (o.targetsFile !== undefined) {
    const path = resolvePath(config.root, o.targetsFile);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new UserError(`--targets ${o.targetsFile}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 1, { cause: error });
    }
    return parseTargetsFile(text, o.targetsFile);
  }
  const file = config.configFile ?? 'keikaku.config.ts';
  const t = config.targets;
  if (!t) throw new UserError(`--fleet: ${file} has no targets (a list of URLs, or { query, from }); see docs/fleets.md`);
  if (Array.isArray(t)) return listedTargets(t, file);
  const q = t as { readonly query: string; readonly from: string };
  if (typeof q.query !== 'string' || typeof q.from !== 'string') throw new UserError(`${file}: targets must be a list of URLs or { query, from }`);
  const from = targetUrlFromEnv(q.from, `${file} targets.from`, process.env);
  const db = await connectPg(from);
  try {
    let rows: Record<string, unknown>[];
    try {
      rows = await db.query(q.query);
    } catch (error) {
      throw new UserError(`${file} targets.query on ${maskUrl(from)}: ${error instanceof Error ? error.message : String(error)}`, 1, { cause: error });
    }
    return queriedTargets(rows, `targets query on ${db.label}`);
  } finally {
    await db.close();
  }
};

/** An error's text with the target URL's password (in every form it could show) masked. */
const errorText = (error: unknown, url: string): string => {
  const text = error instanceof Error ? error.message : String(error);
  const secrets = secretsIn(url).flatMap((s) => [s, encodeURIComponent(s)]).filter((s) => s.length > 0);
  return secrets.reduce((t, s) => t.split(s).join(MASK), text);
};

const counted = (results: readonly FleetTargetResult[]) =>
  Object.fromEntries(STATES.map((s) => [s, results.filter((r) => r.state === s).length])) as Record<FleetState, number>;

/** Runs `one` over the targets as scheduled; a database never started is `skipped`. */
const runFleet = async (
  entries: readonly FleetEntry[],
  o: ScheduleOptions & Pick<FleetRunOptions, 'onTargetDone'>,
  /** `ms`: the time to report instead of the run's own (a database that failed before its turn came). */
  one: (e: FleetEntry) => Promise<Omit<FleetTargetResult, 'url' | 'name' | 'durationMs'> & { readonly ms?: number | undefined }>,
): Promise<{ results: FleetTargetResult[]; stopped: string | null }> => {
  let done = 0;
  let stopped: string | null = null;
  const scheduled = await schedule(
    entries,
    o,
    async (e) => {
      const start = performance.now();
      let r: Omit<FleetTargetResult, 'url' | 'name' | 'durationMs'> & { readonly ms?: number | undefined };
      try {
        if (e.listError !== undefined) throw new UserError(e.listError);
        r = await one(e);
      } catch (error) {
        r = { production: e.production, from: null, to: null, state: 'failed', error: errorText(error, e.url) };
      }
      const result: FleetTargetResult = {
        url: e.label,
        ...(e.schema === undefined ? {} : { schema: e.schema }),
        ...(e.name === undefined ? {} : { name: e.name }),
        production: r.production,
        from: r.from,
        to: r.to,
        durationMs: Math.round(r.ms ?? performance.now() - start),
        state: r.state,
        error: r.error,
        ...(r.findings === undefined ? {} : { findings: r.findings }),
      };
      o.onTargetDone?.(result, ++done, entries.length);
      return result;
    },
    (r) => r.state === 'failed',
  );
  const results = scheduled.map((s, i): FleetTargetResult => {
    if (s.kind === 'ran') return s.result;
    stopped = s.reason;
    const e = entries[i]!;
    return { url: e.label, ...(e.schema === undefined ? {} : { schema: e.schema }), ...(e.name === undefined ? {} : { name: e.name }), production: e.production, from: null, to: null, durationMs: null, state: 'skipped', error: null };
  });
  return { results, stopped };
};

/** The newest migration all of whose phases are applied, counting from the first (a gap ends it). */
const appliedThrough = (report: StatusReport): string | null => {
  let last: string | null = null;
  for (const m of report.migrations) {
    if (!m.phases.every((p) => p.state === 'applied')) break;
    last = m.id;
  }
  return last;
};

const head = (history: History): string | null => history.migrations.at(-1)?.id ?? null;

/**
 * `--schemas`: the template schema, once the history is known to be safe to retarget (else refused, nothing run:
 * exit 3 for apply, 1 for status, whose exit 3 means nothing).
 */
const tenantTemplateFor = async (config: ResolvedConfig, history: History, o: FleetSelection, exitCode: 1 | 3): Promise<string | undefined> => {
  if (o.schemas === undefined) return undefined;
  if (o.schemas === '') throw new UserError('--schemas: empty pattern (a LIKE pattern such as tenant_%)');
  const template = await tenantTemplate(history, o.templateSchema ?? config.tenants?.template);
  await refuseUnsafe(history, template, exitCode);
  return template;
};

/**
 * `--schemas`: each database's tenant schemas (LIKE the pattern, the template and system schemas aside), one target
 * each, in the databases' order then by name. A database that cannot be listed is one failed target.
 */
const tenantEntries = async (databases: readonly FleetEntry[], pattern: string, template: string, parallel: number): Promise<FleetEntry[]> => {
  const per = await schedule(
    databases,
    { parallel, continueOnError: true },
    async (e): Promise<FleetEntry[]> => {
      let db;
      try {
        db = await connectPg(e.url);
      } catch (error) {
        return [{ ...e, listError: errorText(error, e.url) }];
      }
      try {
        return (await tenantSchemas(db, pattern, template)).map((schema) => ({ ...e, schema }));
      } catch (error) {
        return [{ ...e, listError: errorText(error, e.url) }];
      } finally {
        await db.close().catch(() => undefined);
      }
    },
    () => false,
  );
  const entries = per.flatMap((s) => (s.kind === 'ran' ? s.result : []));
  if (entries.length === 0)
    throw new UserError(`--schemas ${JSON.stringify(pattern)}: no schema of ${databases.length === 1 ? databases[0]!.label : `the ${databases.length} databases`} matches (the template schema ${JSON.stringify(template)} itself is never a target)`);
  return entries;
};

/** The retargeted run of a tenant target, undefined for a whole database. */
const tenantOf = (history: History, template: string | undefined, e: FleetEntry): Promise<TenantRun | undefined> =>
  e.schema === undefined || template === undefined ? Promise.resolve(undefined) : tenantRun(history, template, e.schema);

/** apply over the fleet: the production guard once, then each database as `apply` runs one. */
export const applyFleet = async (config: ResolvedConfig, o: FleetApplyOptions): Promise<FleetReport> => {
  const start = performance.now();
  const parallel = whole(o.parallel, '--parallel', 1) ?? 1;
  const canary = whole(o.canary, '--canary', 0) ?? 0;
  const databases = (await fleetTargets(config, o)).map((e) => (o.production ? { ...e, production: true } : e));
  const history = readHistory(config.generatedDir);
  const ids = history.migrations.map((m) => m.id);
  const template = await tenantTemplateFor(config, history, o, 3);
  const entries = template === undefined ? databases : await tenantEntries(databases, o.schemas!, template, parallel);

  // Production is a property of each database (its mark): read them all first, ask once.
  const unreadable = new Map<string, { readonly error: string; readonly ms: number }>();
  const confirmed = new Set<string>();
  if (!o.yes) {
    const found: Target[] = [];
    // Per database: its tenant schemas share its production status.
    await schedule(
      databases,
      { parallel, continueOnError: true },
      async (e) => {
        const start = performance.now();
        try {
          const given = resolveTarget(config, { databaseUrl: e.url, production: e.production });
          const db = await connectPg(e.url);
          try {
            const t = await withDatabaseMark(given, db);
            if (t.production) found.push(t);
          } finally {
            await db.close().catch(() => undefined);
          }
        } catch (error) {
          unreadable.set(e.label, { error: errorText(error, e.url), ms: performance.now() - start });
        }
      },
      () => false,
    );
    if (found.length > 0) {
      const n = `${found.length} of the ${databases.length} database${databases.length === 1 ? '' : 's'} ${found.length === 1 ? 'is' : 'are'} production`;
      if (!o.confirm) throw new UserError(`refusing to apply migrations to the fleet without yes: ${n} (${found.slice(0, 10).map((t) => t.label).join(', ')}${found.length > 10 ? `, and ${found.length - 10} more` : ''})`, 3);
      await o.confirm(found, databases.length);
      for (const t of found) confirmed.add(t.label);
    }
  }

  const { results, stopped } = await runFleet(entries, { parallel, canary, continueOnError: o.continueOnError, onTargetDone: o.onTargetDone }, async (e) => {
    const before = unreadable.get(e.label);
    if (before !== undefined) return { production: e.production, from: null, to: null, state: 'failed', error: before.error, ms: before.ms };
    const tenant = await tenantOf(history, template, e);
    const run = await runHistory(config, {
      tenant,
      databaseUrl: e.url,
      production: e.production,
      direction: 'up',
      to: o.to,
      phase: o.phase,
      timeouts: o.timeouts,
      yes: o.yes,
      // Only a database confirmed with the fleet: one marked production since then is refused, not run.
      confirm: async (t) => {
        if (!confirmed.has(t.label)) throw new UserError(`refusing to apply migrations to production database ${t.label}: it was not production when the fleet was confirmed`, 3);
      },
      onEvent: o.onEvent ? (ev) => o.onEvent!(e, ev) : undefined,
    });
    const production = run.target.production;
    const first = run.phases[0];
    const from = first ? (ids[ids.indexOf(first.migration) - 1] ?? null) : (o.to ?? head(history));
    if (run.kind === 'refused' || run.kind === 'drift') {
      const why = run.kind === 'refused' ? run.refusals.map((r) => `${r.code}: ${r.message}`) : run.drift;
      return { production, from, to: from, state: 'failed', error: `refused: ${why.join('; ')}` };
    }
    if (run.kind === 'dry-run' || run.phases.length === 0) return { production, from, to: from, state: 'up-to-date', error: null };
    const { result } = run;
    if (result.outcome === 'refused') return { production, from, to: from, state: 'failed', error: `refused: ${result.refusals.map((r) => `${r.code}: ${r.message}`).join('; ')}` };
    const last = result.ran.at(-1);
    const to = last ? last.migration : from;
    if (result.outcome === 'failed') {
      const f = result.failure;
      return { production, from, to, state: 'failed', error: `${f.migration}/${f.file} step ${f.step}: ${f.message}` };
    }
    return { production, from, to, state: result.ran.length ? 'applied' : 'up-to-date', error: null };
  });
  const counts = counted(results);
  return { command: 'apply', targets: results, counts, durationMs: Math.round(performance.now() - start), stopped, exitCode: counts.failed > 0 ? 1 : 0 };
};

/** A database's journal against the history: apply would refuse (failed), something is not applied (pending), or neither. */
const journalState = (report: StatusReport): Pick<FleetTargetResult, 'state' | 'error'> => {
  if (report.problems.length) return { state: 'failed', error: `apply would refuse: ${report.problems.map((p) => `${p.code}: ${p.message}`).join('; ')}` };
  const open = report.migrations.flatMap((m) => m.phases.filter((p) => p.state !== 'applied').map((p) => ({ m: m.id, p })));
  if (open.length === 0) return { state: 'up-to-date', error: null };
  // Not an error of the fleet run (the state says pending), but what a person needs to know about it.
  const stuck = open.find((x) => x.p.state !== 'pending');
  const steps = stuck && stuck.p.stepsDone !== null ? ` (${stuck.p.stepsDone}/${stuck.p.stepsTotal} steps committed)` : '';
  return { state: 'pending', error: stuck ? `${stuck.m} ${stuck.p.phase} is ${stuck.p.state}${steps}${stuck.p.error ? `: ${stuck.p.error.split('\n')[0]}` : ''}` : null };
};

const readOne = async (config: ResolvedConfig, history: History, e: FleetEntry, template?: string) => {
  const tenant = await tenantOf(history, template, e);
  const db = await connectPg(e.url);
  try {
    const target = await withDatabaseMark(resolveTarget(config, { databaseUrl: e.url, production: e.production }), db);
    const report = await readStatus(db, history, tenant);
    return { production: target.production, from: appliedThrough(report), to: head(history), ...journalState(report) };
  } finally {
    await db.close().catch(() => undefined);
  }
};

const readExit = (counts: Record<FleetState, number>): number => (counts.failed > 0 ? 1 : counts.pending + counts.drifted > 0 ? 2 : 0);

/** status over the fleet: each database's journal; exit 2 when one has something not applied. */
export const statusFleet = async (config: ResolvedConfig, o: FleetRunOptions): Promise<FleetReport> => {
  const start = performance.now();
  const parallel = whole(o.parallel, '--parallel', 1) ?? 1;
  const databases = await fleetTargets(config, o);
  const history = readHistory(config.generatedDir);
  const template = await tenantTemplateFor(config, history, o, 1);
  const entries = template === undefined ? databases : await tenantEntries(databases, o.schemas!, template, parallel);
  const { results, stopped } = await runFleet(entries, { parallel, continueOnError: true, onTargetDone: o.onTargetDone }, (e) => readOne(config, history, e, template));
  const counts = counted(results);
  return { command: 'status', targets: results, counts, durationMs: Math.round(performance.now() - start), stopped, exitCode: readExit(counts) };
};

/**
 * verify over the fleet: the history is replayed (up, down, up) once, since it is the same files for every
 * database; then each database's journal is held against those files (what it ran is what was verified:
 * checksums, no migration the directory lacks).
 */
export const verifyFleet = async (config: ResolvedConfig, o: FleetRunOptions & { readonly generatedDir?: string | undefined }): Promise<FleetReport> => {
  const start = performance.now();
  const parallel = whole(o.parallel, '--parallel', 1) ?? 1;
  const databases = await fleetTargets(config, o);
  // --schemas: the history must be one that runs in tenant schemas (else refused, exit 3, as a history not intact).
  const template = await tenantTemplateFor(config, readHistory(config.generatedDir), o, 3);
  const entries = template === undefined ? databases : await tenantEntries(databases, o.schemas!, template, parallel);
  const { verify } = await import('../verify/index.js');
  const report = await verify(o.generatedDir ?? config.generatedDir, { shadowUrl: config.shadowUrl, cacheRoot: config.root });
  const messages = [
    ...report.problems.map((p) => p.message),
    ...(report.failure
      ? [`${report.failure.migration} does not round-trip (${report.failure.stage})`, ...(report.failure.error ? [report.failure.error] : []), ...report.failure.differences]
      : []),
  ];
  if (report.exitCode !== 0) {
    const targets = entries.map((e): FleetTargetResult => ({ url: e.label, ...(e.schema === undefined ? {} : { schema: e.schema }), ...(e.name === undefined ? {} : { name: e.name }), production: e.production, from: null, to: null, durationMs: null, state: 'skipped', error: null }));
    return { command: 'verify', targets, counts: counted(targets), durationMs: Math.round(performance.now() - start), stopped: 'the history did not verify', history: { exitCode: report.exitCode, messages }, exitCode: report.exitCode };
  }
  const history = readHistory(config.generatedDir);
  const { results, stopped } = await runFleet(entries, { parallel, continueOnError: true, onTargetDone: o.onTargetDone }, (e) => readOne(config, history, e, template));
  const counts = counted(results);
  return { command: 'verify', targets: results, counts, durationMs: Math.round(performance.now() - start), stopped, history: { exitCode: 0, messages }, exitCode: counts.failed > 0 ? 1 : 0 };
};

/**
 * check over the fleet: the repository (history intact, schema/ generated) once, then each database (pending,
 * failed, drift) on a scratch database of its own server, as `check --database-url` does. `--schemas`: each tenant
 * schema on its journal scope, against the template's applied phases replayed once per applied set and named as
 * the tenant's (check/live.ts `readTenantLive`, tenant/model.ts).
 */
export const checkFleet = async (
  config: ResolvedConfig,
  o: FleetRunOptions & { readonly lint?: import('../check/index.js').Linter | undefined; readonly allowHazards?: readonly string[] | undefined },
): Promise<FleetReport> => {
  const start = performance.now();
  const parallel = whole(o.parallel, '--parallel', 1) ?? 1;
  const databases = await fleetTargets(config, o);
  // --schemas: a history that cannot run in tenant schemas is refused (exit 3), as one not intact.
  const template = await tenantTemplateFor(config, readHistory(config.generatedDir), o, 3);
  const entries = template === undefined ? databases : await tenantEntries(databases, o.schemas!, template, parallel);
  const { checkProject, checkDatabase } = await import('../check/index.js');
  // The template's applied phases are replayed once per applied set (and server version), whatever the tenant.
  const memo: import('../check/index.js').ReplayMemo = new Map();
  const repository = await checkProject(config, { lint: o.lint, allowHazards: o.allowHazards ?? [] });
  const messages = repository.report.findings.filter((f) => f.level === 'error').map((f) => f.message);
  const verdict = { exitCode: repository.report.exitCode, messages };
  if (repository.report.exitCode === 3) {
    const targets = entries.map((e): FleetTargetResult => ({ url: e.label, ...(e.schema === undefined ? {} : { schema: e.schema }), ...(e.name === undefined ? {} : { name: e.name }), production: e.production, from: null, to: null, durationMs: null, state: 'skipped', error: null }));
    return { command: 'check', targets, counts: counted(targets), durationMs: Math.round(performance.now() - start), stopped: 'the repository check refused (the history is not intact or not linear, or a hand-written file holds a hazard not allowed)', history: verdict, exitCode: 3 };
  }
  const ids = repository.migrations.map((m) => m.id);
  const history = readHistory(config.generatedDir);
  const { results, stopped } = await runFleet(entries, { parallel, continueOnError: true, onTargetDone: o.onTargetDone }, async (e) => {
    const { production, from } = await readOne(config, history, e, template);
    const tenant = e.schema === undefined || template === undefined ? undefined : { schema: e.schema, template, memo };
    const { findings } = await checkDatabase(config, repository, e.url, undefined, tenant);
    const errors = findings.filter((f) => f.level === 'error');
    const lines = errors.map((f) => `${f.rule}: ${f.message}`);
    const failed = errors.some((f) => f.rule === 'history-not-intact' || f.rule === 'migration-failed');
    const pending = errors.some((f) => f.rule === 'pending-migration');
    const state: FleetState = failed ? 'failed' : errors.length === 0 ? 'up-to-date' : pending && errors.every((f) => f.rule === 'pending-migration') ? 'pending' : 'drifted';
    return { production, from, to: ids.at(-1) ?? null, state, error: failed ? lines.join('; ') : null, findings: lines };
  });
  const counts = counted(results);
  // The history was not refused (that returned above): the repository adds at most "schema/ has ungenerated changes".
  const exitCode = counts.failed > 0 ? 1 : readExit(counts) === 2 || repository.report.exitCode === 2 ? 2 : 0;
  return { command: 'check', targets: results, counts, durationMs: Math.round(performance.now() - start), stopped, history: verdict, exitCode };
};
