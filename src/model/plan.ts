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
}

export type PhaseName = 'expand' | 'backfill' | 'contract';

export interface Phase {
  readonly name: PhaseName;
  readonly steps: readonly Step[];
}

export interface Plan {
  readonly steps: readonly Step[];
}
