/**
 * The apply stage (DESIGN §7): runs pending migrations phase by phase (`direction: 'up'`), or their downgrades
 * newest first (`'down'`), holding the advisory lock, journalling every step. Entry: `runMigrations`.
 * Refusals and failed steps are values (`RunResult`); only the CLI prints.
 */
import { pgErrorFields, UserError } from '../db/errors.js';
import type { Db } from '../db/types.js';
import { createMonitor } from './blockers.js';
import { squashedJournal } from './squashed.js';
import { applySql, closeInterrupted, ensureJournal, finishAttempt, readJournal, type JournalEntry } from './journal.js';
import { withLease, type Lease } from './lease.js';
import { withApplyLock, type LockHolder } from './lock.js';
import { planRun } from './plan-run.js';
import { checkDown } from './preflight.js';
import { runPhase, type PhaseContext } from './run-phase.js';
import { createThrottle, type Throttle } from './throttle.js';
import type { PlannedPhase, RanPhase, RunPlan, RunRequest, RunResult } from './types.js';

export * from './types.js';
export { ensureJournal, markApplied, phaseStates, readJournal, type JournalEntry } from './journal.js';
export { withApplyLock, lockHolder } from './lock.js';
export { consistencyRefusals, planRun } from './plan-run.js';
export { checkDown } from './preflight.js';
export { detectTransactionPooler } from './pooler.js';
export { inRecovery, refuseOnStandby } from './standby.js';
export { readReplicaLag, formatBytes, type LagReading, type ReplicaLag, type ThrottleSummary } from './throttle.js';

/** Relations of a database that has no journal yet (see user-objects.sql); `[]` when it has one. */
export const userObjectsWithoutJournal = async (db: Db, entries: readonly JournalEntry[], scope = ''): Promise<string[]> => {
  if (entries.some((e) => e.status !== 'reverted')) return [];
  return (await db.query<{ name: string }>(await applySql('user-objects'), [scope])).map((r) => r.name);
};

/**
 * The plan of a run, a down's measured on the live database (preflight.ts): refused when it would destroy rows
 * that are not allowed to go, or meets rows a step would fail on, before anything is undone.
 */
const checkedPlan = async (db: Db, request: RunRequest, plan: RunPlan): Promise<RunPlan> => {
  if (plan.kind === 'refused' || request.direction !== 'down' || plan.phases.length === 0) return plan;
  const check = await checkDown(db, plan.phases, request.allowDataLoss === true);
  if (check.refusals.length) return { kind: 'refused', refusals: check.refusals, losses: check.losses, phases: check.phases };
  return { kind: 'ready', phases: check.phases, losses: check.losses };
};

/**
 * What a run would do now, read without the lock and without writing anything (`--dry-run`, the preview). The
 * journal and the database's relations are read in one snapshot: read one after the other while another run
 * commits its first step, they showed no journal rows but that step's table, and the preview refused a database
 * "not built by the migrations" that was being built by them.
 */
export const previewRun = async (db: Db, request: RunRequest): Promise<RunPlan> => {
  const scope = request.tenant?.schema ?? '';
  await db.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  let entries: JournalEntry[];
  let objects: string[];
  try {
    entries = squashedJournal(request.history, await readJournal(db, scope));
    objects = await userObjectsWithoutJournal(db, entries, scope);
  } finally {
    await db.exec('COMMIT');
  }
  return checkedPlan(db, request, planRun(request, entries, objects));
};

/** Errors of the connection itself (terminated, reset): the user's to fix, not a bug. */
const isConnectionError = (e: unknown): boolean =>
  pgErrorFields(e) !== undefined ||
  (e instanceof Error && /connection|terminated|ECONNRESET|EPIPE|not queryable/i.test(`${e.message} ${(e as { code?: string }).code ?? ''}`));

export const runMigrations = async (db: Db, request: RunRequest): Promise<RunResult> => {
  const onEvent = request.onEvent ?? (() => undefined);
  const sleep = request.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const monitor = createMonitor(request.connect);
  if (request.pooled && !request.connect) throw new Error('a pooled run needs connect (the lease is renewed from a second session)');
  // The lease is one per database; a tenant's run is keyed by its schema (refused earlier, in project/apply.ts).
  if (request.pooled && request.tenant) throw new Error('a tenant schema run cannot go through a transaction-mode pooler');
  const scope = request.tenant?.schema ?? '';
  const onWait = (holder: LockHolder | undefined) => onEvent({ kind: 'waiting-for-lock', holder });
  // Through a transaction-mode pooler a session advisory lock does not hold (lease.ts): a lease row instead.
  const locked = <T>(fn: (lease: Lease | undefined) => Promise<T>): Promise<T> =>
    request.pooled
      ? withLease(db, request.connect!, request.by, onWait, fn, { onTakeover: (previous) => onEvent({ kind: 'lease-takeover', previous }) })
      : withApplyLock(db, onWait, () => fn(undefined), undefined, scope);
  let current: PlannedPhase | undefined;
  const throttle: Throttle | undefined =
    request.throttle && request.connect
      ? createThrottle(request.connect, request.throttle, (e) => current && onEvent({ kind: 'replica-lag', phase: current, ...e }))
      : undefined;
  try {
    return await locked(async (lease): Promise<RunResult> => {
      let entries = squashedJournal(request.history, await readJournal(db, scope));
      // Holding the lock, no other keikaku runs this scope: its attempts still marked running were cut off.
      if (entries.some((e) => e.status === 'running')) {
        await closeInterrupted(db, scope);
        entries = squashedJournal(request.history, await readJournal(db, scope));
      }
      // Measured again under the lock: rows may have been written since the preview.
      const plan = await checkedPlan(db, request, planRun(request, entries, request.direction === 'up' ? await userObjectsWithoutJournal(db, entries, scope) : []));
      if (plan.kind === 'refused') return { outcome: 'refused', refusals: plan.refusals };
      onEvent({ kind: 'plan', phases: plan.phases });
      if (plan.phases.length === 0) return { outcome: 'done', ran: [] };
      await ensureJournal(db);
      const [{ pid }] = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
      const ctx: PhaseContext = {
        db,
        pooled: request.pooled,
        lease,
        throttle,
        pid: Number(pid),
        monitor,
        timeouts: request.timeouts,
        by: request.by,
        scope,
        onEvent,
        sleep,
        observeStep: request.observeStep,
        recordElsewhere: request.connect
          ? async (seq, error) => {
              const other = await request.connect!();
              try {
                await finishAttempt(other, seq, 'failed', error);
              } finally {
                await other.close();
              }
            }
          : undefined,
      };
      const ran: RanPhase[] = [];
      for (const phase of plan.phases) {
        current = phase;
        const result = await runPhase(ctx, phase);
        if ('ms' in result) ran.push(result);
        else return { outcome: 'failed', ran, failure: result };
      }
      return { outcome: 'done', ran };
    });
  } catch (error) {
    if (error instanceof UserError || !isConnectionError(error)) throw error;
    const reason = pgErrorFields(error)?.message ?? (error as Error).message;
    throw new UserError(`${db.label}: ${reason}`, 1, { cause: error });
  } finally {
    await monitor.close();
    await throttle?.close();
  }
};
