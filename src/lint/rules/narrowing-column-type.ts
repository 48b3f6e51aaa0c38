import { as, relKey, typeInfo, typeLabel } from '../ast.js';
import type { LintRule } from '../types.js';
import { existingTableCommands, label } from './helpers.js';
import { typeChange } from '../../model/type-change.js';

export const narrowingColumnType: LintRule = {
  id: 'narrowing-column-type',
  hazard: 'IRREVERSIBLE',
  severity: 'error',
  description: 'ALTER COLUMN … TYPE to a type that holds less (shorter varchar, smaller integer, fewer numeric digits)',
  rewrite: 'copy the column into keikaku_archive first (so the down can restore it), check no value is out of range, or keep the wider type with a CHECK',
  check(ctx) {
    return existingTableCommands(ctx).flatMap(({ relation, cmd }) => {
      const col = as(cmd.def, 'ColumnDef');
      const to = typeInfo(col?.typeName);
      if (cmd.subtype !== 'AT_AlterColumnType' || !cmd.name || !to) return [];
      const from = ctx.state.columns.get(relKey(relation))?.get(cmd.name);
      if (!from || !typeChange(from, to, false).narrows) return [];
      return [
        {
          location: col?.typeName?.location,
          message: `${label(relation)}.${cmd.name} goes from ${typeLabel(from)} to the narrower ${typeLabel(to)}: values that do not fit make it fail or lose digits, and changing back cannot restore them`,
        },
      ];
    });
  },
};
