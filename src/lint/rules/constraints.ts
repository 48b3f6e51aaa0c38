/** Constraints added by ALTER TABLE (ADD CONSTRAINT, or inline in ADD COLUMN) on an existing table. */
import type { ColumnDef, Constraint, RangeVar } from 'libpg-query';
import { as } from '../ast.js';
import type { StatementContext } from '../types.js';
import { constraintsOf } from './columns.js';
import { existingTableCommands } from './helpers.js';

export interface AddedConstraint {
  readonly relation: RangeVar;
  readonly con: Constraint;
  /** The column being added when the constraint is declared inline in ADD COLUMN. */
  readonly column?: ColumnDef;
}

export const addedConstraints = (ctx: StatementContext): AddedConstraint[] =>
  existingTableCommands(ctx).flatMap(({ relation, cmd }): AddedConstraint[] => {
    if (cmd.subtype === 'AT_AddConstraint') {
      const con = as(cmd.def, 'Constraint');
      return con ? [{ relation, con }] : [];
    }
    const col = as(cmd.def, 'ColumnDef');
    if (cmd.subtype === 'AT_AddColumn' && col) return constraintsOf(col).map((con) => ({ relation, con, column: col }));
    return [];
  });
