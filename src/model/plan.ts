import type { Change } from './change.js';
import type { Hazard } from './hazard.js';

/** The strongest table lock a step takes, for review. */
export type LockLevel = 'none' | 'share_update_exclusive' | 'share' | 'share_row_exclusive' | 'access_exclusive';

/**
 * One unit of a migration: statements, and the statements that undo them. Ordering facts are object keys:
 * a step runs after every step that `creates` what it `requires`, and before every step that `drops` what it
 * `releases`; a key dropped and created again is dropped first.
 */
export interface Step {
  readonly change: Change;
  readonly sql: readonly string[];
  /** Undoes `sql` when run right after it; empty with an IRREVERSIBLE hazard when nothing can. */
  readonly reverse: readonly string[];
  /** False for statements Postgres refuses inside a transaction block (`CREATE INDEX CONCURRENTLY`, …). */
  readonly transactional: boolean;
  /** The same for `reverse` (the undo of a concurrent build is a concurrent drop, of an ADD VALUE a rebuild). */
  readonly reverseTransactional: boolean;
  readonly hazards: readonly Hazard[];
  readonly lock: LockLevel;
  readonly creates: readonly string[];
  readonly drops: readonly string[];
  readonly requires: readonly string[];
  readonly releases: readonly string[];
  /**
   * Under the phased strategy, what this share of a recipe does (`archive the values, then drop`); absent for
   * a step that is the whole change.
   */
  readonly purpose?: string;
  /**
   * Runs in a transaction of its own even though it could share one: a long scan (VALIDATE) must not hold the
   * locks the statements before it took.
   */
  readonly isolated?: boolean;
}

/**
 * One phase's share of a step under the phased strategy (DESIGN §6): a recipe splits a change into parts, in
 * phase order, each with its own statements and undo, so the application keeps working between phases.
 */
export interface StepPart {
  readonly phase: PhaseName;
  /** What this part does, for plan.md and the SQL comments. */
  readonly purpose: string;
  readonly sql: readonly string[];
  readonly reverse: readonly string[];
  readonly transactional: boolean;
  readonly reverseTransactional: boolean;
  readonly hazards: readonly Hazard[];
  readonly lock: LockLevel;
  /**
   * What every running instance of the application must do before this part runs (plan.md's deploy notes),
   * e.g. `no code reads or writes public.t.c`.
   */
  readonly deploy?: string;
  /** See `Step.isolated`. */
  readonly isolated?: boolean;
  /**
   * The part after which what the step creates is usable by other steps (default: the first part); e.g. a
   * unique constraint exists only once its concurrently built index is attached.
   */
  readonly completes?: boolean;
}

export type PhaseName = 'expand' | 'backfill' | 'contract';

export interface Phase {
  readonly name: PhaseName;
  readonly steps: readonly Step[];
  /** What every running instance of the application must do before this phase runs (from its steps' parts). */
  readonly deploy?: readonly string[];
}

export interface Plan {
  readonly steps: readonly Step[];
}
