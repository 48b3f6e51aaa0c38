import type { BoundColumnData } from './bound-column.js';
import type { ConstraintData } from './constraints.js';
import type { GrantSpec } from './grant.js';
import type { IndexData } from './indexes.js';
import type { PolicyData } from './policy.js';
import type { SqlFragment } from './sql.js';
import type { TriggerData } from './trigger.js';

/** What a table's extras callback may return. */
export type TableExtraData = ConstraintData | IndexData | TriggerData | PolicyData;

export interface PartitionOfSpec {
  /** The partitioned parent, e.g. `() => events`. */
  readonly parent: () => unknown;
  /** `FOR VALUES FROM (…) TO (…)`, `FOR VALUES IN (…)`, `FOR VALUES WITH (…)` or `DEFAULT`. */
  readonly bound: SqlFragment;
}

export interface TableData {
  readonly kind: 'table';
  readonly schema: string;
  readonly name: string;
  /** In declaration order. */
  readonly columns: readonly BoundColumnData[];
  /**
   * Constraints, indexes, triggers and policies. Evaluated on first call, not when the table is declared, so the
   * extras may use objects of a module that is still being evaluated (schema files that import each other).
   */
  readonly extras: () => readonly unknown[];
  readonly unlogged: boolean;
  readonly partitionBy: SqlFragment | null;
  readonly partitionOf: PartitionOfSpec | null;
  /** `INHERITS` parents, each a thunk returning a declared table. */
  readonly inherits: readonly (() => unknown)[];
  readonly rls: boolean;
  readonly forceRls: boolean;
  /** Storage parameters: `{ fillfactor: 70 }` → `WITH (fillfactor=70)`. */
  readonly with: Readonly<Record<string, string | number | boolean>>;
  readonly comment: string | null;
  readonly grants: readonly GrantSpec[];
  readonly renamedFrom: readonly string[];
  /** Citus: how the table is distributed (docs/distributed.md); null for a local table. */
  readonly distribute: TableDistribution | null;
}

/**
 * Citus (untested, docs/distributed.md): `'reference'` copies the table to every node; `{ by }` hashes it on the
 * column of that SQL name, in the colocation group of `colocateWith` when given.
 */
export type TableDistribution = 'reference' | { readonly by: string; readonly colocateWith?: () => unknown };
