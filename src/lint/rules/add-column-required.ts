import { as } from '../ast.js';
import type { LintRule } from '../types.js';
import { defaultOf, isNotNull, isSerial } from './columns.js';
import { existingTableCommands, ident, label, quotedRel } from './helpers.js';

export const addColumnRequired: LintRule = {
  id: 'add-column-required',
  hazard: 'BREAKS_OLD_CLIENTS',
  severity: 'error',
  description: 'ADD COLUMN … NOT NULL without a default on an existing table',
  rewrite: 'add it nullable (or with a constant default), backfill it in batches, then enforce NOT NULL through a validated CHECK',
  check(ctx) {
    return existingTableCommands(ctx).flatMap(({ relation, cmd }) => {
      const col = as(cmd.def, 'ColumnDef');
      if (cmd.subtype !== 'AT_AddColumn' || !col || !isNotNull(col) || defaultOf(col) || isSerial(col)) return [];
      const hasIdentity = (col.constraints ?? []).some((c) => ['CONSTR_IDENTITY', 'CONSTR_GENERATED'].includes(as(c, 'Constraint')?.contype ?? ''));
      if (hasIdentity) return [];
      const name = ident(col.colname ?? '');
      return [
        {
          location: col.location,
          message: `${col.colname} is NOT NULL without a default: the statement fails if ${label(relation)} has rows, and inserts from code that does not know the column fail`,
          rewrite: `ALTER TABLE ${quotedRel(relation)} ADD COLUMN ${name} … (nullable); backfill; then ADD CONSTRAINT … CHECK (${name} IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, SET NOT NULL, DROP CONSTRAINT`,
        },
      ];
    });
  },
};
