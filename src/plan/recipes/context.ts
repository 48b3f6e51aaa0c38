/** What a recipe knows besides its step: the migration, the tables this plan creates, and declared backfills. */
import type { Hazard, HazardCode } from '../../model/hazard.js';
import type { Step, StepPart } from '../../model/plan.js';
import type { Index, Table } from '../../model/schema.js';

export interface RecipeContext {
  /** The migration id: archive tables are named after it. */
  readonly id: string;
  /** Table keys of the tables this plan creates: nothing reads or writes them yet, so no recipe is needed. */
  readonly createdTables: ReadonlySet<string>;
  /** A table of the current schema by key (partitioned tables cannot build indexes CONCURRENTLY). */
  readonly currentTable: (key: string) => Table | undefined;
  /** Whether an index, constraint, view or other object of the current schema uses the column (by its new name). */
  readonly columnHasDependents: (schema: string, table: string, column: string) => boolean;
  /**
   * The plain indexes on the column (it is one of their key columns), when nothing else of the current schema
   * uses it (no constraint, view, expression or predicate); null otherwise.
   */
  readonly columnIndexesOnly: (schema: string, table: string, column: string) => readonly Index[] | null;
  /** `.backfill(sql\`…\`)` declared on a column: column key → SQL expression over the row. */
  readonly backfills: ReadonlyMap<string, string>;
  readonly batchSize: number;
  /** Seconds between batches. */
  readonly pause: number;
}

/** A change the phased strategy cannot roll out safely as declared, and what to add so it can. */
export interface Refusal {
  readonly object: string;
  readonly message: string;
}

export type RecipeResult = readonly StepPart[] | Refusal;

export const isRefusal = (r: RecipeResult): r is Refusal => !Array.isArray(r);

export const hazard = (code: HazardCode, message: string): Hazard => ({ code, message });

/** The step as one part (no recipe): its own statements in one phase. */
export const wholeStep = (s: Step, phase: StepPart['phase']): StepPart => ({
  phase,
  purpose: '',
  sql: s.sql,
  reverse: s.reverse,
  transactional: s.transactional,
  reverseTransactional: s.reverseTransactional,
  hazards: s.hazards,
  lock: s.lock,
});

/** A part's fields that are usually the same. */
export const part = (p: Partial<StepPart> & Pick<StepPart, 'phase' | 'purpose' | 'sql' | 'reverse'>): StepPart => ({
  transactional: true,
  reverseTransactional: true,
  hazards: [],
  lock: 'none',
  ...p,
});
