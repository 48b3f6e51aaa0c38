/**
 * `status`: where each migration phase stands on a database, from its journal and the migrations directory.
 * Reads only; creates nothing.
 */
import { sha256 } from '../emit/checksum.js';
import type { History } from '../load/migrations.js';
import type { PhaseName } from '../model/plan.js';
import type { Db } from '../db/types.js';
import { squashedJournal } from './squashed.js';
import { phaseStates, readBackfillProgress, readJournal, type BackfillRecord, type JournalEntry } from './journal.js';
import { leaseHolder } from './lease.js';
import { lockHolder, type LockHolder } from './lock.js';
import { inRecovery } from './standby.js';
import { consistencyRefusals, historyPhases, planRun } from './plan-run.js';
import { checkDown } from './preflight.js';
import { userObjectsWithoutJournal } from './index.js';
import type { RestorePoint } from './restore-point.js';
import type { Refusal, RowLoss, TenantRun } from './types.js';

/**
 * `interrupted`: the journal says running, but no keikaku holds the lock (its process was killed or lost its
 * connection); the next `apply` resumes it.
 */
export type PhaseStatusName = 'applied' | 'pending' | 'running' | 'interrupted' | 'failed';

/** `ok`: the file is what was applied; `edited`: it changed since; `missing`: applied, file gone; `-`: not applied. */
export type ChecksumState = 'ok' | 'edited' | 'missing' | '-';

export interface PhaseStatus {
  readonly phase: PhaseName;
  readonly file: string;
  readonly state: PhaseStatusName;
  readonly direction: 'up' | 'down' | 'baseline' | null;
  /** When it was applied (or when the last attempt started, for running / failed ones), ISO 8601 UTC. */
  readonly at: string | null;
  readonly durationMs: number | null;
  readonly by: string | null;
  readonly stepsDone: number | null;
  readonly stepsTotal: number | null;
  readonly error: string | null;
  readonly checksum: ChecksumState;
  /**
   * For a phase not finished (running, interrupted, failed): the rows each batched backfill has committed, over
   * the attempt and the attempts it resumed (`total`: the rows pending when the first of them started). Empty
   * where nothing was recorded.
   */
  readonly backfilled: readonly BackfillProgress[];
  /**
   * How to get back to just before the phase's state was made (before the first attempt of the run that applied,
   * or is running or failed, it); null where nothing was recorded (baselines, journals older than restore points).
   */
  readonly restorePoint: RestorePoint | null;
}

export interface BackfillProgress {
  /** `schema.table`. */
  readonly table: string;
  /** The SET list of the backfill (which column it fills). */
  readonly target: string;
  readonly done: number;
  readonly total: number;
}

/**
 * The rows committed by the backfills of an unfinished phase: the attempts in the same direction since it last
 * finished (each resumed attempt counts only the rows it did; the first one's total is the whole).
 */
const backfilledSince = (entries: readonly JournalEntry[], records: readonly BackfillRecord[], last: JournalEntry): BackfillProgress[] => {
  const same = entries.filter((e) => e.migration === last.migration && e.phase === last.phase && e.seq <= last.seq);
  let from = 0;
  for (const e of same) if (e.status === 'applied' || e.status === 'reverted' || e.direction !== last.direction) from = e.seq;
  const seqs = new Set(same.filter((e) => e.seq > from).map((e) => e.seq));
  const out = new Map<string, { table: string; target: string; done: number; total: number }>();
  for (const r of records) {
    if (!seqs.has(r.seq)) continue;
    const key = `${r.table}\u0000${r.target}`;
    const before = out.get(key);
    out.set(key, before ? { ...before, done: before.done + r.done } : { table: r.table, target: r.target, done: r.done, total: r.total });
  }
  return [...out.values()];
};

export interface MigrationStatus {
  readonly id: string;
  readonly phases: readonly PhaseStatus[];
}

export interface StatusReport {
  readonly target: string;
  readonly journal: boolean;
  readonly migrations: readonly MigrationStatus[];
  /** Migrations the journal records but the directory lacks. */
  readonly unknown: readonly { readonly id: string; readonly phase: PhaseName; readonly state: string }[];
  /** The session running `apply`/`down` now, if any. */
  readonly runningBy: LockHolder | null;
  /** What `apply` would refuse for (exit 3 there). */
  readonly problems: readonly Refusal[];
  /**
   * The hazard of the next `down` (the newest applied migration): the rows it would destroy, with live counts,
   * and why it would refuse.
   */
  readonly nextDown: { readonly migration: string | null; readonly losses: readonly RowLoss[]; readonly refusals: readonly Refusal[] };
  /** Present when the database is a hot standby (read-only; its journal is the primary's, as far as replayed). */
  readonly standby?: StandbyState | undefined;
}

export interface StandbyState {
  readonly replayPaused: boolean;
  /** When the last replayed transaction committed on the primary (ISO 8601), null before any. */
  readonly lastReplayedAt: string | null;
  /** Queries of this database cancelled by replay (pg_stat_database_conflicts), by cause; only causes seen. */
  readonly conflicts: Readonly<Record<string, number>>;
}

/** What a hot standby says of its replay, or undefined on a primary. */
export const readStandbyState = async (db: Db): Promise<StandbyState | undefined> => {
  if (!(await inRecovery(db))) return undefined;
  const [row] = await db.query<{ paused: boolean; at: string | null; tablespace: string; lock: string; snapshot: string; bufferpin: string; deadlock: string }>(
    `SELECT pg_is_wal_replay_paused() AS paused,
       to_char(pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at,
       confl_tablespace AS tablespace, confl_lock AS lock, confl_snapshot AS snapshot, confl_bufferpin AS bufferpin, confl_deadlock AS deadlock
     FROM pg_stat_database_conflicts WHERE datname = current_database()`,
  );
  const conflicts: Record<string, number> = {};
  for (const cause of ['tablespace', 'lock', 'snapshot', 'bufferpin', 'deadlock'] as const) if (row && Number(row[cause]) > 0) conflicts[cause] = Number(row[cause]);
  return { replayPaused: row?.paused === true, lastReplayedAt: row?.at ?? null, conflicts };
};

const nextDown = async (db: Db, history: History, entries: readonly JournalEntry[], tenant: TenantRun | undefined): Promise<StatusReport['nextDown']> => {
  const plan = planRun({ history, direction: 'down', steps: 1, tenant }, entries);
  if (plan.kind === 'refused') return { migration: null, losses: [], refusals: plan.refusals.filter((r) => r.code === 'BASELINE') };
  const migration = plan.phases[0]?.migration ?? null;
  if (!migration) return { migration, losses: [], refusals: [] };
  const check = await checkDown(db, plan.phases, false);
  return { migration, losses: check.losses, refusals: check.refusals };
};

/** `tenant`: a tenant schema's journal and lock instead of the database's (`status --schemas`). */
export const readStatus = async (db: Db, history: History, tenant?: TenantRun): Promise<StatusReport> => {
  const scope = tenant?.schema ?? '';
  const entries: JournalEntry[] = squashedJournal(history, await readJournal(db, scope));
  const records = entries.length ? await readBackfillProgress(db) : [];
  const standby = await readStandbyState(db);
  // The primary's advisory lock is not visible on a standby, nor is a lease holder's session anywhere: a lease
  // row that has not expired names the run in progress.
  const holder = (await lockHolder(db, scope)) ?? (await leaseHolder(db)) ?? null;
  const phases = historyPhases(history, entries);
  const migrations: MigrationStatus[] = history.migrations.map((m) => ({
    id: m.id,
    phases: phases
      .filter((p) => p.migration === m)
      .map((p): PhaseStatus => {
        const s = p.state;
        const last = s?.last;
        const applied = s?.applied;
        const text = m.files.get(p.upFile);
        const checksum: ChecksumState = !applied ? '-' : text === undefined ? 'missing' : sha256(text) === applied.checksum ? 'ok' : 'edited';
        const running = last?.status === 'running';
        const state: PhaseStatusName =
          running && s?.state !== 'applied' ? (holder || standby ? 'running' : 'interrupted') : s?.state === 'failed' ? 'failed' : s?.state === 'applied' ? 'applied' : 'pending';
        const shown = state === 'applied' ? applied : last;
        const from = state === 'applied' ? s?.appliedFrom : s?.lastFrom;
        return {
          phase: p.phase,
          file: p.upFile,
          state,
          direction: shown?.direction ?? null,
          at: shown ? (state === 'applied' ? shown.finishedAt ?? shown.startedAt : shown.startedAt) : null,
          durationMs: shown?.durationMs ?? null,
          by: shown?.appliedBy ?? null,
          // An applied phase committed every step: its counts say how many (null only where nothing ran).
          stepsDone: shown && state !== 'pending' ? shown.stepsDone : null,
          stepsTotal: shown && state !== 'pending' ? shown.stepsTotal : null,
          error: state === 'failed' || state === 'interrupted' ? (last?.error ?? null) : null,
          checksum,
          backfilled: last && (state === 'running' || state === 'interrupted' || state === 'failed') ? backfilledSince(entries, records, last) : [],
          restorePoint: from?.restorePoint ?? null,
        };
      }),
  }));
  const known = new Set(history.migrations.map((m) => m.id));
  const unknown = [...phaseStates(entries).values()]
    .filter((s) => s.last && !known.has(s.last.migration) && s.state !== 'pending')
    .map((s) => ({ id: s.last!.migration, phase: s.last!.phase, state: s.state }));
  return {
    target: db.label,
    journal: entries.length > 0,
    migrations,
    unknown,
    runningBy: holder,
    problems: consistencyRefusals(history, entries, await userObjectsWithoutJournal(db, entries, scope)),
    // `down` does not run in tenant schemas (only up files are retargeted): there is no next down to measure.
    nextDown: tenant ? { migration: null, losses: [], refusals: [] } : await nextDown(db, history, entries, tenant),
    ...(standby ? { standby } : {}),
  };
};
