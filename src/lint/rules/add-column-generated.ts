import { as } from '../ast.js';
import type { LintRule } from '../types.js';
import { constraintsOf } from './columns.js';
import { existingTableCommands, label } from './helpers.js';

export const addColumnGenerated: LintRule = {
  id: 'add-column-generated',
  hazard: 'TABLE_REWRITE',
  severity: 'error',
  description: 'ADD COLUMN … GENERATED (stored expression or identity) on an existing table',
  rewrite: 'add a plain nullable column, fill it in batches (a trigger keeps new rows right), then attach the identity or keep it maintained by the trigger',
  check(ctx) {
    return existingTableCommands(ctx).flatMap(({ relation, cmd }) => {
      const col = as(cmd.def, 'ColumnDef');
      if (cmd.subtype !== 'AT_AddColumn' || !col) return [];
      const gen = constraintsOf(col).find((c) => c.contype === 'CONSTR_IDENTITY' || (c.contype === 'CONSTR_GENERATED' && c.generated_kind !== 'v'));
      if (!gen) return [];
      const what = gen.contype === 'CONSTR_IDENTITY' ? 'an identity column' : 'a stored generated column';
      return [
        {
          location: gen.location,
          message: `adding ${what} computes a value for every existing row: ${label(relation)} is rewritten under an ACCESS EXCLUSIVE lock`,
        },
      ];
    });
  },
};
