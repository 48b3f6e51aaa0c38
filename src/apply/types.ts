/** What `apply` and `down` take, tell as they go, and give back. */
import type { Db } from '../db/types.js';
import type { History } from '../load/migrations.js';
import type { PhaseName } from '../model/plan.js';
import type { ThrottlePolicy } from '../config/index.js';
import type { LockHolder } from './lock.js';
import type { LagReading, ThrottleSummary } from './throttle.js';

export type RunDirection = 'up' | 'down';

export interface Timeouts {
  /** `lock_timeout` of each step, in ms: how long a step may wait for a lock (while others queue behind it). */
  readonly lockTimeoutMs: number;
  /** `statement_timeout` of each statement of a step, in ms; 0 leaves the session's own setting. */
  readonly statementTimeoutMs: number;
  /** How many times a step that timed out waiting for a lock (or deadlocked) is tried again. */
  readonly retries: number;
  /** The wait before the first retry; it doubles each time (with jitter), up to 30 s. */
  readonly backoffMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { lockTimeoutMs: 2_000, statementTimeoutMs: 0, retries: 5, backoffMs: 500 };

export interface RunRequest {
  readonly history: History;
  readonly direction: RunDirection;
  /**
   * up: the last migration to apply (default: all). down: the migration to go back to, which stays applied
   * (`down --to ID`).
   */
  readonly to?: string | undefined;
  /**
   * up: stop before the first phase after this one (`apply --phase expand`, deploy, `apply`). down: leave this
   * phase (and those before it) of the oldest migration undone applied (`down --phase expand`).
   */
  readonly phase?: PhaseName | undefined;
  /** down only: archive the rows a step would destroy and run it, instead of refusing (`--allow-data-loss`). */
  readonly allowDataLoss?: boolean | undefined;
  /** down only: how many migrations to undo, newest first (default 1 unless `to` is given). */
  readonly steps?: number | undefined;
  readonly timeouts: Timeouts;
  /** Who runs this, for the journal (`localIdentity()`). */
  readonly by: string;
  /**
   * Opens another session on the same database (servers only): used to name the sessions a waiting step is
   * blocked by, and to record a failure in the journal after the main connection was lost.
   */
  readonly connect?: (() => Promise<Db>) | undefined;
  readonly onEvent?: ((e: RunEvent) => void) | undefined;
  /**
   * Awaited right before and right after each step runs (not for a step skipped on resume): `keikaku rehearse`
   * reads the catalog and the WAL position there, so its figures belong to that step alone. A throw stops the run.
   */
  readonly observeStep?: StepObserver | undefined;
  /** Injected for tests: waits `ms` between retries. */
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
  /**
   * The connection goes through a transaction-mode pooler: the run lock is a lease (lease.ts) instead of a session
   * advisory lock, and settings are made per transaction. Needs `connect` (the lease is renewed from there).
   */
  readonly pooled?: boolean | undefined;
  /** Batched backfills wait between batches while a streaming replica lags more than this (throttle.ts). */
  readonly throttle?: ThrottlePolicy | undefined;
  /** Schema per tenant: the run is this schema's (its journal rows, its lock), with its phase files retargeted. */
  readonly tenant?: TenantRun | undefined;
}

/**
 * One tenant schema's run (`apply --schemas`, docs/fleets.md): its journal scope and advisory lock are keyed by
 * `schema`, and `sql` gives the text to run for a phase file (the file retargeted from the template schema). The
 * journal records the file's own checksum: the text run follows from the file and the schema.
 */
export interface TenantRun {
  readonly schema: string;
  readonly sql: (migration: string, file: string, text: string) => string;
}

/** See `RunRequest.observeStep`: `index` counts from 0; `after` also comes when the step failed for good. */
export interface StepObserver {
  before(phase: PlannedPhase, index: number, steps: number): Promise<void>;
  after(phase: PlannedPhase, index: number, failed: boolean): Promise<void>;
}

/** One phase file to run. */
export interface PlannedPhase {
  readonly migration: string;
  readonly phase: PhaseName;
  readonly direction: RunDirection;
  /** File name inside the migration folder, e.g. `1_expand.up.sql`. */
  readonly file: string;
  /** Absolute path, for messages. */
  readonly path: string;
  readonly sql: string;
  readonly checksum: string;
  /** Steps already committed by an earlier attempt that stopped; the run resumes after them. */
  readonly resumeFrom: number;
  /** An earlier attempt in this direction stopped (failed or killed) at step `resumeFrom`. */
  readonly interrupted: boolean;
  /**
   * Statements to run first inside a step (by step index), in its transaction: the archive of rows the step is
   * about to destroy (a down with data loss allowed, see preflight.ts).
   */
  readonly before?: ReadonlyMap<number, readonly string[]>;
}

/** A step of a down that destroys rows, measured on the live database before the run (preflight.ts). */
export interface RowLoss {
  readonly migration: string;
  readonly phase: PhaseName;
  readonly file: string;
  /** 1-based step of the file. */
  readonly step: number;
  readonly kind: 'drop_table' | 'drop_column' | 'alter_type' | 'enum_rebuild';
  /** `schema.table` or `schema.table.column`. */
  readonly object: string;
  /** Rows the table holds (a dropped table), or rows with a value in the column (the others). */
  readonly rows: number;
  /** What the step does to them, for messages. */
  readonly what: string;
  /** The keikaku_archive table `--allow-data-loss` keeps them in (absent when they cannot be archived). */
  readonly archive?: string;
}

/** Why `apply` / `down` will not touch the database (exit 3). */
export interface Refusal {
  readonly code:
    | 'HISTORY'
    | 'UNKNOWN_MIGRATION'
    | 'CHECKSUM'
    | 'MISSING_FILE'
    | 'OUT_OF_ORDER'
    | 'NOT_EMPTY'
    | 'PARTIAL'
    | 'UNKNOWN_TARGET'
    /** A down would destroy rows (tables and row counts named) and data loss was not allowed. */
    | 'DATA_LOSS'
    /** A step of a down would fail on the rows it meets (an enum value still in use): refused before anything runs. */
    | 'ROWS_BLOCK_DOWN'
    /** A down of a baseline: the database had those objects before keikaku adopted it. */
    | 'BASELINE'
    /** `--verify-schema`: the live schema is not what its applied migrations make. */
    | 'DRIFT';
  readonly message: string;
}

export type RunPlan =
  /** `losses`: what a down destroys (archived first, data loss being allowed); measured by `previewRun` only. */
  | { readonly kind: 'ready'; readonly phases: readonly PlannedPhase[]; readonly losses?: readonly RowLoss[] }
  | { readonly kind: 'refused'; readonly refusals: readonly Refusal[]; readonly losses?: readonly RowLoss[]; readonly phases?: readonly PlannedPhase[] };

/** A session that holds a lock a step waits for. */
export interface Blocker {
  readonly pid: number;
  readonly user: string;
  readonly applicationName: string;
  /** `idle in transaction`, `active`, … */
  readonly state: string;
  /** Its current (or last) statement, shortened. */
  readonly query: string;
  /** Seconds since its transaction began, when it is in one. */
  readonly xactSeconds: number | null;
}

export type RunEvent =
  | { readonly kind: 'waiting-for-lock'; readonly holder: LockHolder | undefined }
  | { readonly kind: 'plan'; readonly phases: readonly PlannedPhase[] }
  | { readonly kind: 'phase-start'; readonly phase: PlannedPhase; readonly steps: number }
  | { readonly kind: 'step-done'; readonly phase: PlannedPhase; readonly index: number; readonly steps: number; readonly summary: string; readonly ms: number }
  | { readonly kind: 'step-skipped'; readonly phase: PlannedPhase; readonly index: number; readonly reason: string }
  | { readonly kind: 'cleanup'; readonly phase: PlannedPhase; readonly message: string }
  | {
      readonly kind: 'retry';
      readonly phase: PlannedPhase;
      readonly index: number;
      readonly attempt: number;
      readonly waitMs: number;
      readonly reason: string;
      readonly blockers: readonly Blocker[];
    }
  | {
      readonly kind: 'progress';
      readonly phase: PlannedPhase;
      readonly table: string | undefined;
      readonly done: number | undefined;
      readonly total: number | undefined;
      readonly text: string;
      /** The replicas' lag last read, while a throttle watches them. */
      readonly replicaLag?: LagReading | undefined;
    }
  /** The run holds the lease an earlier run let expire (it died holding it); `previous` names that run. */
  | { readonly kind: 'lease-takeover'; readonly previous: string }
  /** The backfill gate was taken (`paused`, `reading.over` says why) or let go; `unreadable`: lag cannot be read. */
  | { readonly kind: 'replica-lag'; readonly phase: PlannedPhase; readonly paused: boolean; readonly reading: LagReading; readonly unreadable?: string | undefined }
  /** A throttled backfill step finished: the most lag seen and the time it waited (over the whole run so far). */
  | { readonly kind: 'throttled'; readonly phase: PlannedPhase; readonly index: number; readonly summary: ThrottleSummary }
  | { readonly kind: 'notice'; readonly phase: PlannedPhase; readonly severity: string; readonly message: string }
  /** An up put back rows a down of the same migration had archived. */
  | { readonly kind: 'restored'; readonly phase: PlannedPhase; readonly archive: string; readonly into: string }
  | { readonly kind: 'phase-done'; readonly phase: PlannedPhase; readonly ms: number };

export interface RanPhase {
  readonly migration: string;
  readonly phase: PhaseName;
  readonly direction: RunDirection;
  readonly file: string;
  readonly steps: number;
  readonly resumedFrom: number;
  readonly ms: number;
}

export interface RunFailure {
  readonly migration: string;
  readonly phase: PhaseName;
  readonly file: string;
  /** 1-based step number and its first SQL line. */
  readonly step: number;
  readonly statement: string;
  /** `FILE:LINE: ERROR: …`, with the blocking sessions when a lock was the cause. */
  readonly message: string;
  readonly blockers: readonly Blocker[];
  /** Steps of the phase that are committed (the journal says the same). */
  readonly stepsDone: number;
}

export type RunResult =
  | { readonly outcome: 'done'; readonly ran: readonly RanPhase[] }
  | { readonly outcome: 'failed'; readonly ran: readonly RanPhase[]; readonly failure: RunFailure }
  | { readonly outcome: 'refused'; readonly refusals: readonly Refusal[] };
