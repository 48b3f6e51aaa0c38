/** Constraints added by ALTER TABLE (ADD CONSTRAINT, or inline in ADD COLUMN) on an existing table. */
import type { Constraint, RangeVar } from 'libpg-query';
import { as } from '../ast.js';
import type { StatementContext } from '../types.js';
import { constraintsOf } from './columns.js';
import { existingTableCommands } from './helpers.js';

export interface AddedConstraint {
  readonly relation: RangeVar;
  readonly con: Constraint;
  /** Declared inline on a column being added (that column is all NULL, so checking it reads but finds nothing). */
  readonly onNewColumn: boolean;
}

export const addedConstraints = (ctx: StatementContext): AddedConstraint[] =>
  existingTableCommands(ctx).flatMap(({ relation, cmd }): AddedConstraint[] => {
    if (cmd.subtype === 'AT_AddConstraint') {
      const con = as(cmd.def, 'Constraint');
      return con ? [{ relation, con, onNewColumn: false }] : [];
    }
    const col = as(cmd.def, 'ColumnDef');
    if (cmd.subtype === 'AT_AddColumn' && col) return constraintsOf(col).map((con) => ({ relation, con, onNewColumn: true }));
    return [];
  });
