/**
 * `apply` and `down` as data: the target chosen and guarded, the run previewed, the live schema verified on request,
 * the phases run. Hooks let a caller show what is about to happen and confirm a production target; nothing prints.
 */
import { refuseOnStandby } from '../apply/standby.js';
import { embeddedNote, FIRST_RUN_NOTE, withSlowNotice, type Notifier } from './notice.js';
import { detectTransactionPooler, previewRun, runMigrations } from '../apply/index.js';
import { describeTarget } from '../db/url.js';
import { localIdentity } from '../apply/journal.js';
import type { PlannedPhase, Refusal, RowLoss, RunDirection, RunEvent, RunResult, TenantRun, Timeouts } from '../apply/types.js';
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import { connectPg } from '../db/pg.js';
import type { Db } from '../db/types.js';
import { readHistory, type History } from '../load/migrations.js';
import type { PhaseName } from '../model/plan.js';
import { connectionTarget, recordProductionMark, guardProduction, resolveTarget, withDatabaseMark, type Target, type TargetArgs } from './target.js';

export interface RunOptions extends TargetArgs {
  /** A connection to use instead of a URL (e.g. an embedded PGlite); it is left open. */
  readonly db?: Db | undefined;
  readonly direction: RunDirection;
  readonly to?: string | undefined;
  readonly phase?: PhaseName | undefined;
  readonly steps?: number | undefined;
  /** down: archive rows a step would destroy instead of refusing. */
  readonly allowDataLoss?: boolean | undefined;
  readonly timeouts: Timeouts;
  /** Preview only: run nothing, write no journal. */
  readonly dryRun?: boolean | undefined;
  /** Before acting, compare the live schema with what its applied migrations make; refuse on a difference. */
  readonly verifySchema?: boolean | undefined;
  /** Changing a production database is allowed without `confirm` being asked. */
  readonly yes?: boolean | undefined;
  /**
   * Asked before a production database is changed (unless `yes`); throws to stop. Default: refused (exit 3),
   * since a program has nobody to ask.
   */
  readonly confirm?: ((target: Target) => Promise<void>) | undefined;
  /** Told what will run, once the run is neither refused nor a dry run, before anything runs. */
  readonly onReady?: ((target: Target, phases: readonly PlannedPhase[], losses: readonly RowLoss[]) => Promise<void> | void) | undefined;
  /** Told that `verifySchema` found the live schema as its migrations make it. */
  readonly onSchemaVerified?: (() => void) | undefined;
  readonly onEvent?: ((e: RunEvent) => void) | undefined;
  /**
   * A URL that bypasses a transaction-mode pooler (`--direct-url`); else the environment's or the config's
   * `directUrl`. The run (lock, DDL, journal) goes over it.
   */
  readonly directUrl?: string | undefined;
  /** Told, before the run, how it reaches the database when a pooler or a direct URL is involved. */
  readonly onConnection?: ((c: ConnectionRoute) => void) | undefined;
  /** Slow steps (`verifySchema`'s replay) and warnings. */
  readonly notify?: Notifier | undefined;
  /** Schema per tenant: run the history in this tenant schema, with its own journal and lock (tenant/index.ts). */
  readonly tenant?: TenantRun | undefined;
}

/**
 * How a run reaches the database (docs/connections.md): `direct-url` over `directUrl` with the session advisory
 * lock; `lease` through a transaction-mode pooler with the lease row (lease.ts) and per-transaction settings;
 * `session` directly or through a session-mode pooler, with the session advisory lock.
 */
export interface ConnectionRoute {
  readonly route: 'direct-url' | 'lease' | 'session';
  /** What is known of a pooler: `transaction` (declared or detected), `session`/`none` (declared), `unknown`. */
  readonly pooler: 'transaction' | 'session' | 'none' | 'unknown';
  /** The pooler mode was found by probing, not declared in the config. */
  readonly detected: boolean;
  /** `direct-url`: that URL, password masked. */
  readonly directUrl?: string | undefined;
}

export type RunOutcome =
  | { readonly kind: 'refused'; readonly target: Target; readonly refusals: readonly Refusal[]; readonly phases: readonly PlannedPhase[]; readonly losses: readonly RowLoss[] }
  | { readonly kind: 'dry-run'; readonly target: Target; readonly phases: readonly PlannedPhase[]; readonly losses: readonly RowLoss[] }
  /** `verifySchema`: the changes the live schema would need to be what its applied migrations make. */
  | { readonly kind: 'drift'; readonly target: Target; readonly drift: readonly string[]; readonly phases: readonly PlannedPhase[]; readonly losses: readonly RowLoss[] }
  | { readonly kind: 'ran'; readonly target: Target; readonly phases: readonly PlannedPhase[]; readonly losses: readonly RowLoss[]; readonly result: RunResult };

export const runHistory = async (config: ResolvedConfig, o: RunOptions): Promise<RunOutcome> => {
  const verb = o.direction === 'up' ? 'apply' : 'down';
  if (o.direction === 'down' && o.steps !== undefined && o.to !== undefined) throw new UserError('down: give --steps N or --to ID, not both');
  if (o.steps !== undefined && (!Number.isInteger(o.steps) || o.steps < 1)) throw new UserError(`--steps ${o.steps}: expected a whole number, 1 or more`);
  if (o.db && o.verifySchema) throw new UserError('verifySchema needs the database by URL (it reads it from a scratch database of its server)');
  if (o.tenant && o.verifySchema) throw new UserError('--verify-schema is not available with --schemas');
  const given = o.db ? connectionTarget(o.db, o.production === true) : resolveTarget(config, o);
  const history = readHistory(config.generatedDir);
  const request = {
    history, direction: o.direction, to: o.to, phase: o.phase, steps: o.steps, allowDataLoss: o.allowDataLoss, timeouts: o.timeouts, by: localIdentity(),
    throttle: config.throttle,
    tenant: o.tenant,
  };
  const direct = o.db ? undefined : directUrlFor(config, o);
  // Everything of the run goes over the direct URL when there is one: the preview's reads see what the run sees.
  const runUrl = direct ?? given.url;
  const db = o.db ?? (await connectPg(runUrl));
  try {
    const target = await withDatabaseMark(given, db);
    if (!o.dryRun) await refuseOnStandby(db, target.label, verb === 'apply' ? 'apply migrations to' : 'revert migrations on');
    const preview = await previewRun(db, request);
    const losses = preview.losses ?? [];
    if (preview.kind === 'refused') return { kind: 'refused', target, refusals: preview.refusals, phases: preview.phases ?? [], losses };
    const phases = preview.phases;
    if (o.dryRun) return { kind: 'dry-run', target, phases, losses };
    await o.onReady?.(target, phases, losses);
    if (o.verifySchema && phases.length > 0) {
      const drift = await schemaDrift(given.url, history, config.root, o.notify);
      if (drift.length) return { kind: 'drift', target, drift, phases, losses };
      o.onSchemaVerified?.();
    }
    if (phases.length === 0) return { kind: 'ran', target, phases, losses, result: { outcome: 'done', ran: [] } };
    await guardProduction(target, o, `refusing to ${verb === 'apply' ? 'apply migrations to' : 'revert migrations on'} production database ${target.label}`);
    await recordProductionMark(target, db);
    const connect = o.db ? undefined : () => connectPg(runUrl);
    const route = await connectionRoute(config, db, connect, direct);
    if (o.tenant && route.route === 'lease')
      throw new UserError(`${target.label}: --schemas needs a session (the direct URL, or no transaction-mode pooler): a tenant schema's lock is a session advisory lock`);
    if (route.route !== 'session' || route.pooler !== 'none') o.onConnection?.(route);
    const result = await runMigrations(db, { ...request, pooled: route.route === 'lease', onEvent: o.onEvent, connect });
    return { kind: 'ran', target, phases, losses, result };
  } finally {
    if (!o.db) await db.close().catch(() => undefined);
  }
};

/** `--direct-url`, else the environment's `directUrl`, else the config's (`env:NAME` read from the environment). */
const directUrlFor = (config: ResolvedConfig, o: RunOptions): string | undefined => {
  const value = o.directUrl ?? (o.env ? config.environments[o.env]?.directUrl : undefined) ?? config.directUrl;
  if (value === undefined || !value.startsWith('env:')) return value;
  const url = process.env[value.slice(4)];
  if (!url) throw new UserError(`directUrl reads its URL from $${value.slice(4)}, which is not set`);
  return url;
};

/** Declared by `pooler` in the config, else probed (servers only) unless a direct URL makes it moot. */
const connectionRoute = async ({ pooler = 'detect' }: ResolvedConfig, db: Db, connect: (() => Promise<Db>) | undefined, direct: string | undefined): Promise<ConnectionRoute> => {
  if (direct !== undefined) return { route: 'direct-url', pooler: pooler === 'detect' ? 'unknown' : pooler, detected: false, directUrl: describeTarget(direct) };
  if (pooler === 'transaction') {
    if (!connect) throw new UserError('pooler: transaction needs the database by URL (the lease is renewed from a second session)');
    return { route: 'lease', pooler: 'transaction', detected: false };
  }
  if (pooler !== 'detect' || !connect) return { route: 'session', pooler: pooler === 'detect' ? 'none' : pooler, detected: false };
  return (await detectTransactionPooler(db, connect))
    ? { route: 'lease', pooler: 'transaction', detected: true }
    : { route: 'session', pooler: 'none', detected: true };
};

/**
 * `verifySchema`: what differs between the live schema and the one its applied phases make, replayed on a
 * scratch database of the same server (or the embedded shadow), as `check` reads them. Each line says what would
 * have to change in the live database to match.
 */
const schemaDrift = async (url: string, history: History, root: string, notify: Notifier | undefined): Promise<string[]> => {
  // Loaded only when asked for: the shadow machinery is heavy.
  const [{ readLive }, { diff }, { describeChange }] = await Promise.all([
    import('../check/live.js'),
    import('../diff/index.js'),
    import('../model/describe.js'),
  ]);
  const n = history.migrations.length;
  // A scratch database of the same server first; the embedded shadow only where the server refuses one.
  const state = await withSlowNotice(
    notify,
    `verifying the schema: replaying ${n} migration${n === 1 ? '' : 's'} on a scratch database (or, where the server refuses one, on the embedded PostgreSQL${embeddedNote(undefined).includes('first run:') ? `; ${FIRST_RUN_NOTE}` : ''})`,
    readLive(url, history.migrations, { cacheRoot: root }),
  );
  return diff(state.live, state.expected).changes.map(describeChange);
};
