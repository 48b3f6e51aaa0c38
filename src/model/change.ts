/**
 * Changes: Verb + Object values produced by the differ. Each carries whole objects (`from`, `to`) so planning and
 * rendering never look anything up again. Names in a change are the names *after* renames (renames come first).
 */
import type {
  Column,
  CompositeType,
  Constraint,
  DomainType,
  EnumType,
  Extension,
  Index,
  Namespace,
  Policy,
  Routine,
  Sequence,
  Table,
  Trigger,
  View,
} from './schema.js';

export type UserType = EnumType | DomainType | CompositeType;

/** A column whose type is an enum (or an array of it), before and after, converted when the enum is rebuilt. */
export interface EnumColumn {
  readonly table: Table;
  readonly from: Column;
  readonly to: Column;
}

export type Change =
  | { readonly kind: 'create_schema'; readonly to: Namespace }
  | { readonly kind: 'drop_schema'; readonly from: Namespace }
  | { readonly kind: 'alter_schema'; readonly from: Namespace; readonly to: Namespace }
  | { readonly kind: 'create_extension'; readonly to: Extension }
  | { readonly kind: 'drop_extension'; readonly from: Extension }
  | { readonly kind: 'alter_extension'; readonly from: Extension; readonly to: Extension }
  | { readonly kind: 'create_type'; readonly to: UserType }
  | { readonly kind: 'drop_type'; readonly from: UserType }
  | { readonly kind: 'rename_type'; readonly from: UserType; readonly to: UserType }
  /** Values added or renamed in place (`ADD VALUE`, `RENAME VALUE`); order of existing values unchanged. */
  | { readonly kind: 'alter_enum'; readonly from: EnumType; readonly to: EnumType; readonly renamedValues: readonly (readonly [string, string])[]; readonly columns: readonly EnumColumn[] }
  /** Values removed or reordered: the type is rebuilt and every column using it converted through text. */
  | { readonly kind: 'recreate_enum'; readonly from: EnumType; readonly to: EnumType; readonly columns: readonly EnumColumn[] }
  | { readonly kind: 'alter_domain'; readonly from: DomainType; readonly to: DomainType }
  | { readonly kind: 'alter_composite'; readonly from: CompositeType; readonly to: CompositeType }
  | { readonly kind: 'create_sequence'; readonly to: Sequence }
  | { readonly kind: 'drop_sequence'; readonly from: Sequence }
  | { readonly kind: 'rename_sequence'; readonly from: Sequence; readonly to: Sequence }
  | { readonly kind: 'alter_sequence'; readonly from: Sequence; readonly to: Sequence }
  /** `OWNED BY` is its own change: the owning column may be created after the sequence. */
  | { readonly kind: 'set_sequence_owner'; readonly from: Sequence; readonly to: Sequence }
  | { readonly kind: 'create_table'; readonly to: Table }
  | { readonly kind: 'drop_table'; readonly from: Table; readonly ownedSequences: readonly Sequence[] }
  | { readonly kind: 'rename_table'; readonly from: Table; readonly to: Table }
  /** Table-level properties: persistence, row security, options, comment, grants. */
  | { readonly kind: 'alter_table'; readonly from: Table; readonly to: Table }
  | { readonly kind: 'add_column'; readonly table: Table; readonly to: Column }
  /** `only`: the table's inheritance children keep their copy of the column, which becomes their own. */
  | { readonly kind: 'drop_column'; readonly table: Table; readonly from: Column; readonly ownedSequences: readonly Sequence[]; readonly only?: boolean }
  | { readonly kind: 'rename_column'; readonly table: Table; readonly from: Column; readonly to: Column }
  /** `viaText`: the type change converts through text (no direct cast between two enums, or enum and text). */
  | { readonly kind: 'alter_column'; readonly table: Table; readonly from: Column; readonly to: Column; readonly viaText: boolean }
  | { readonly kind: 'add_constraint'; readonly table: Table; readonly to: Constraint }
  | { readonly kind: 'drop_constraint'; readonly table: Table; readonly from: Constraint }
  | { readonly kind: 'rename_constraint'; readonly table: Table; readonly from: Constraint; readonly to: Constraint }
  | { readonly kind: 'alter_constraint'; readonly table: Table; readonly from: Constraint; readonly to: Constraint }
  | { readonly kind: 'create_index'; readonly to: Index }
  | { readonly kind: 'drop_index'; readonly from: Index }
  | { readonly kind: 'rename_index'; readonly from: Index; readonly to: Index }
  | { readonly kind: 'alter_index'; readonly from: Index; readonly to: Index }
  | { readonly kind: 'create_view'; readonly to: View }
  | { readonly kind: 'drop_view'; readonly from: View }
  | { readonly kind: 'rename_view'; readonly from: View; readonly to: View }
  | { readonly kind: 'alter_view'; readonly from: View; readonly to: View }
  | { readonly kind: 'create_function'; readonly to: Routine }
  | { readonly kind: 'drop_function'; readonly from: Routine }
  /** `CREATE OR REPLACE` keeps the function's identity (same arguments and result type). */
  | { readonly kind: 'replace_function'; readonly from: Routine; readonly to: Routine }
  | { readonly kind: 'alter_function'; readonly from: Routine; readonly to: Routine }
  | { readonly kind: 'create_trigger'; readonly to: Trigger }
  | { readonly kind: 'drop_trigger'; readonly from: Trigger }
  | { readonly kind: 'alter_trigger'; readonly from: Trigger; readonly to: Trigger }
  | { readonly kind: 'create_policy'; readonly to: Policy }
  | { readonly kind: 'drop_policy'; readonly from: Policy }
  | { readonly kind: 'alter_policy'; readonly from: Policy; readonly to: Policy };

export type ChangeKind = Change['kind'];

export const assertNever = (x: never): never => {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`);
};
