/**
 * Runs one phase file, step by step, recording each step in the journal:
 * - a transaction step runs as `BEGIN; SET LOCAL lock_timeout …; <statements>; <journal: steps_done + 1>; COMMIT`,
 *   so the step and its record commit together: a crash leaves the database before or after it, never between;
 * - a step run alone gets the same timeouts at session level, then its record; what it may leave half-done is
 *   handled by `precheck` when it runs again.
 * A step that times out waiting for a lock, or deadlocks, is rolled back and tried again after a backoff, at most
 * `retries` times; then the run stops, naming the sessions that held the lock.
 */
import { runOne, statementFailure } from '../db/load-sql.js';
import { pgErrorFields } from '../db/errors.js';
import type { SqlStatement } from '../db/split-sql.js';
import type { Db } from '../db/types.js';
import { literal } from '../render/quote.js';
import { BACKFILL_GATE_KEYS } from '../render/backfill.js';
import type { Monitor } from './blockers.js';
import type { Lease } from './lease.js';
import type { Throttle } from './throttle.js';
import { finishAttempt, progressSql, recordProgress, startAttempt } from './journal.js';
import { precheck } from './resume.js';
import { restoreDownArchives } from './restore.js';
import { captureRestorePoint } from './restore-point.js';
import { readPhaseScript, stepLabel, stepSummary, type StepItem } from './script.js';
import type { Blocker, PlannedPhase, RanPhase, RunEvent, RunFailure, StepObserver, Timeouts } from './types.js';

/** SQLSTATEs after which the same step may succeed when tried again: lock_not_available, deadlock_detected. */
const RETRYABLE = new Set(['55P03', '40P01']);

const MAX_BACKOFF_MS = 30_000;

export interface PhaseContext {
  readonly db: Db;
  /** The main session's backend pid, for `pg_blocking_pids`. */
  readonly pid: number;
  readonly monitor: Monitor;
  readonly timeouts: Timeouts;
  readonly by: string;
  /** Whose journal the attempts are written to (journal.ts `JournalScope`); default the database's. */
  readonly scope?: string | undefined;
  readonly onEvent: (e: RunEvent) => void;
  readonly sleep: (ms: number) => Promise<void>;
  readonly observeStep?: StepObserver | undefined;
  /** Records a failure when the main connection is gone (a second session), if one can be opened. */
  readonly recordElsewhere?: ((seq: number, error: string) => Promise<void>) | undefined;
  /**
   * The connection goes through a transaction-mode pooler: no session state survives a statement, so settings
   * are made `SET LOCAL` inside each transaction step, and nothing is set at session level.
   */
  readonly pooled?: boolean | undefined;
  /** The lease held instead of the advisory lock (pooled): checked before each step. */
  readonly lease?: Lease | undefined;
  /** Watches replica lag and holds the backfill gate while a batched backfill runs. */
  readonly throttle?: Throttle | undefined;
}

/** Thrown inside this module for a step that failed for good; turned into a `RunFailure` value. */
class StepFailed extends Error {
  constructor(
    readonly failure: RunFailure,
    options?: { cause?: unknown },
  ) {
    super(failure.message, options);
  }
}

const runStatement = runOne;
const fail = statementFailure;

/**
 * `SET [LOCAL] lock_timeout …` (and statement_timeout when asked for, 0 leaving the role's or database's own) as
 * SQL text, so that it rides in the same round trip as what follows.
 */
const timeoutSql = (t: Timeouts, local: boolean): string => {
  const set = local ? 'SET LOCAL' : 'SET';
  const out = [`${set} lock_timeout = ${literal(`${t.lockTimeoutMs}ms`)}`];
  if (t.statementTimeoutMs > 0) out.push(`${set} statement_timeout = ${literal(`${t.statementTimeoutMs}ms`)}`);
  return out.join('; ');
};

/** Statements of one step in one round trip; a newline before each semicolon, as one may end in a comment. */
const joined = (statements: readonly SqlStatement[]) => statements.map((s) => s.text).join('\n;\n');

/**
 * After a transaction step failed as a whole, runs its statements one by one in a new transaction, rolled back,
 * to name the one Postgres rejects (file and line). Lock waits are not repeated: their error is returned as is.
 */
const locate = async (ctx: PhaseContext, step: Extract<StepItem, { kind: 'transaction' }>, path: string, error: unknown): Promise<unknown> => {
  const code = pgErrorFields(error)?.code;
  if (code === undefined || RETRYABLE.has(code) || code.startsWith('08') || code.startsWith('57')) return fail(error, step.statements[0]!, path);
  const { db } = ctx;
  try {
    await db.exec(`BEGIN; ${timeoutSql(ctx.timeouts, true)}`);
    for (const s of step.statements) {
      try {
        await db.exec(s.text);
      } catch (single) {
        return fail(single, s, path);
      }
    }
    return fail(error, step.statements[0]!, path);
  } catch {
    return fail(error, step.statements[0]!, path);
  } finally {
    await db.exec('ROLLBACK').catch(() => undefined);
  }
};

/** `SET x = …` of a phase file as `SET LOCAL x = …`, for a pooled connection (only the first keyword changes). */
export const localSetting = (text: string): string => text.replace(/^(\s*(?:--[^\n]*\n\s*)*)SET(?:\s+(?:SESSION|LOCAL))?\s+/i, '$1SET LOCAL ');

/** `BEGIN; SET LOCAL …` · the statements · `<journal: steps_done + 1>; COMMIT`: three round trips. */
const runTransactionStep = async (ctx: PhaseContext, step: Extract<StepItem, { kind: 'transaction' }>, seq: number, path: string, before: readonly string[], settings: readonly string[]) => {
  const { db } = ctx;
  try {
    await db.exec(`BEGIN; ${timeoutSql(ctx.timeouts, true)}${settings.map((t) => `;\n${localSetting(t)}`).join('')}`);
    // An archive of the rows this step destroys commits with the step or not at all.
    if (before.length) await db.exec(before.join('\n'));
    await db.exec(joined(step.statements));
    await db.exec(`${progressSql(seq, step.index + 1)}; COMMIT`);
  } catch (error) {
    await db.exec('ROLLBACK').catch(() => undefined);
    throw await locate(ctx, step, path, error);
  }
};

const RESET_TIMEOUTS = 'RESET lock_timeout; RESET statement_timeout';

/** Precheck, `SET lock_timeout …`, the statement, then `RESET …; <journal: steps_done + 1>` in one round trip. */
const runAloneStep = async (ctx: PhaseContext, phase: PlannedPhase, step: Extract<StepItem, { kind: 'alone' }>, seq: number, mayBeDone: boolean) => {
  const { db } = ctx;
  const check = await precheck(db, step.statement, mayBeDone);
  if (check.kind === 'done') {
    ctx.onEvent({ kind: 'step-skipped', phase, index: step.index, reason: check.reason });
    await recordProgress(db, seq, step.index + 1);
    return;
  }
  // Through a transaction-mode pooler a session SET would stay on a server session this statement may not get
  // (and leak to another client's): the statement runs with the server's own timeouts (docs/connections.md).
  if (!ctx.pooled) await db.exec(timeoutSql(ctx.timeouts, false));
  try {
    if (check.kind === 'cleanup') {
      await db.exec(check.sql);
      ctx.onEvent({ kind: 'cleanup', phase, message: check.message });
    }
    await runStatement(db, step.statement, phase.path);
  } catch (error) {
    if (!ctx.pooled) await db.exec(RESET_TIMEOUTS).catch(() => undefined);
    throw error;
  }
  await db.exec(ctx.pooled ? progressSql(seq, step.index + 1) : `${RESET_TIMEOUTS}; ${progressSql(seq, step.index + 1)}`);
};

const describeBlockers = (blockers: readonly Blocker[]): string =>
  blockers
    .map(
      (b) =>
        `pid ${b.pid} (${b.user || 'unknown user'}${b.applicationName ? `, ${b.applicationName}` : ''}, ${b.state || 'unknown state'}` +
        `${b.xactSeconds !== null ? `, in a transaction for ${b.xactSeconds} s` : ''}): ${b.query || '(no query text)'}`,
    )
    .join('; ');

/** Runs one step with its retries; throws `StepFailed` when it fails for good. */
const runStep = async (ctx: PhaseContext, phase: PlannedPhase, step: StepItem, seq: number, stepsDone: () => Promise<number>, settings: readonly string[]) => {
  const { timeouts } = ctx;
  for (let attempt = 0; ; attempt++) {
    const watch = ctx.monitor.watch(ctx.pid, Math.max(25, Math.min(250, Math.floor(timeouts.lockTimeoutMs / 4) || 250)));
    let error: unknown;
    try {
      const before = phase.before?.get(step.index) ?? [];
      if (step.kind === 'transaction') await runTransactionStep(ctx, step, seq, phase.path, before, settings);
      else {
        if (before.length) await ctx.db.exec(['BEGIN;', ...before, 'COMMIT;'].join('\n'));
        await runAloneStep(ctx, phase, step, seq, attempt > 0 || (phase.interrupted && step.index === phase.resumeFrom));
      }
    } catch (e) {
      error = e;
    }
    const blockers = await watch.stop();
    if (error === undefined) return;
    const code = pgErrorFields((error as { cause?: unknown }).cause ?? error)?.code;
    const retryable = code !== undefined && RETRYABLE.has(code);
    const reason = code === '55P03' ? `waited longer than lock_timeout ${timeouts.lockTimeoutMs} ms for a lock` : code === '40P01' ? 'deadlock' : '';
    if (retryable && attempt < timeouts.retries) {
      const base = Math.min(MAX_BACKOFF_MS, timeouts.backoffMs * 2 ** attempt);
      const waitMs = Math.round(base / 2 + Math.random() * (base / 2));
      ctx.onEvent({ kind: 'retry', phase, index: step.index, attempt: attempt + 1, waitMs, reason, blockers });
      await ctx.sleep(waitMs);
      continue;
    }
    const text = error instanceof Error ? error.message : String(error);
    const held = retryable
      ? `\n${reason}, ${timeouts.retries + 1} times; ${step.kind === 'transaction' ? 'nothing of this step was applied' : 'the statement did not complete (an index it left invalid is dropped when it runs again)'}. ` +
        (blockers.length ? `Blocked by ${describeBlockers(blockers)}` : 'The blocking session could not be identified.')
      : '';
    throw new StepFailed(
      {
        migration: phase.migration,
        phase: phase.phase,
        file: phase.file,
        step: step.index + 1,
        statement: stepSummary(step),
        message: `${text}${held}`,
        blockers,
        stepsDone: await stepsDone().catch(() => step.index),
      },
      { cause: error },
    );
  }
};

const PROGRESS = /^keikaku:progress\b(.*)$/;

const GATE_CALL = `pg_advisory_xact_lock_shared(${BACKFILL_GATE_KEYS[0]}, ${BACKFILL_GATE_KEYS[1]})`;

/** A step that waits at the replica-lag gate between its batches: a batched backfill of render/backfill.ts. */
const waitsAtGate = (item: StepItem): boolean => item.kind === 'alone' && item.statement.text.includes(GATE_CALL);

/**
 * The fields of a progress notice, `table=<schema.table> done=<n> total=<n>`: the table name runs up to the next
 * field (it may hold spaces: `table=public.order items done=10 total=90`); counts are digits or absent.
 */
export const progressFields = (text: string): { table: string | undefined; done: number | undefined; total: number | undefined } => {
  const table = /(?:^|\s)table=(.*?)(?=\s+(?:done|total)=\S|\s*$)/.exec(text)?.[1];
  const count = (name: 'done' | 'total') => {
    const v = new RegExp(`(?:^|\\s)${name}=(\\d+)(?=\\s|$)`).exec(text)?.[1];
    return v === undefined ? undefined : Number(v);
  };
  return { table: table || undefined, done: count('done'), total: count('total') };
};

/** Runs one phase file; a step that fails for good is returned as a `RunFailure`, after the journal says so. */
export const runPhase = async (ctx: PhaseContext, phase: PlannedPhase): Promise<RanPhase | RunFailure> => {
  const { db } = ctx;
  const started = Date.now();
  const script = await readPhaseScript(phase.sql, phase.path);
  // Before the journal row too: recovering to this point gives a database on which the attempt never started.
  const restorePoint = await captureRestorePoint(db, phase.migration, phase.phase, phase.direction);
  const seq = await startAttempt(db, {
    migration: phase.migration,
    phase: phase.phase,
    direction: phase.direction,
    file: phase.file,
    checksum: phase.checksum,
    stepsDone: phase.resumeFrom,
    stepsTotal: script.steps.length,
    by: ctx.by,
    restorePoint,
    scope: ctx.scope,
  });
  // A batched backfill records its committed rows under this attempt (render/backfill.ts). Not through a
  // transaction-mode pooler, where the setting would stay behind on a server session another client gets next.
  if (!ctx.pooled) await db.query(`SELECT set_config('keikaku.journal_seq', $1::text, false)`, [String(seq)]);
  ctx.onEvent({ kind: 'phase-start', phase, steps: script.steps.length });
  const stopNotices = db.onNotice?.((n) => {
    const m = PROGRESS.exec(n.message);
    if (!m) {
      ctx.onEvent({ kind: 'notice', phase, severity: n.severity, message: n.message });
      return;
    }
    const { table, done, total } = progressFields(m[1]!);
    ctx.onEvent({ kind: 'progress', phase, table, done, total, text: m[1]!.trim(), replicaLag: ctx.throttle?.latest() });
  });
  const stepsDone = async () =>
    Number((await db.query<{ n: number }>('SELECT steps_done AS n FROM keikaku.journal WHERE seq = $1::bigint', [seq]))[0]?.n ?? 0);
  try {
    const settings: string[] = [];
    for (const item of script.items) {
      if (item.kind === 'setting') {
        if (ctx.pooled) settings.push(item.statement.text);
        else await runStatement(db, item.statement, phase.path);
        continue;
      }
      if (item.index < phase.resumeFrom) continue;
      ctx.lease?.check();
      const t0 = Date.now();
      await ctx.observeStep?.before(phase, item.index, script.steps.length);
      try {
        const run = () => runStep(ctx, phase, item, seq, stepsDone, settings);
        if (ctx.throttle && waitsAtGate(item)) {
          await ctx.throttle.during(run);
          ctx.onEvent({ kind: 'throttled', phase, index: item.index, summary: ctx.throttle.summary() });
        } else await run();
      } catch (error) {
        await ctx.observeStep?.after(phase, item.index, true).catch(() => undefined);
        throw error;
      }
      await ctx.observeStep?.after(phase, item.index, false);
      ctx.onEvent({ kind: 'step-done', phase, index: item.index, steps: script.steps.length, summary: stepLabel(item), ms: Date.now() - t0 });
    }
    for (const r of await restoreDownArchives(db, phase)) ctx.onEvent({ kind: 'restored', phase, ...r });
    await finishAttempt(db, seq, phase.direction === 'up' ? 'applied' : 'reverted');
  } catch (error) {
    const failure: RunFailure =
      error instanceof StepFailed
        ? error.failure
        : {
            migration: phase.migration,
            phase: phase.phase,
            file: phase.file,
            step: 0,
            statement: '',
            message: error instanceof Error ? error.message : String(error),
            blockers: [],
            stepsDone: await stepsDone().catch(() => phase.resumeFrom),
          };
    await finishAttempt(db, seq, 'failed', failure.message).catch(async () => {
      // The main connection is gone (terminated, network): try another session, else the next run closes it.
      await ctx.recordElsewhere?.(seq, failure.message).catch(() => undefined);
    });
    return failure;
  } finally {
    stopNotices?.();
    if (!ctx.pooled) await db.query(`SELECT set_config('keikaku.journal_seq', '', false)`).catch(() => undefined);
  }
  const ms = Date.now() - started;
  ctx.onEvent({ kind: 'phase-done', phase, ms });
  return {
    migration: phase.migration,
    phase: phase.phase,
    direction: phase.direction,
    file: phase.file,
    steps: script.steps.length,
    resumedFrom: phase.resumeFrom,
    ms,
  };
};
