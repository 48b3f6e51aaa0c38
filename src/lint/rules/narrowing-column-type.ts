import { typeLabel } from '../ast.js';
import type { LintRule } from '../types.js';
import { label, typeChangeCommands } from './helpers.js';
import { typeChange } from '../../model/type-change.js';

export const narrowingColumnType: LintRule = {
  id: 'narrowing-column-type',
  hazard: 'IRREVERSIBLE',
  severity: 'error',
  description: 'ALTER COLUMN … TYPE to a type that holds less (shorter varchar, smaller integer, fewer numeric digits)',
  rewrite: 'copy the column into keikaku_archive first (so the down can restore it), check no value is out of range, or keep the wider type with a CHECK',
  check(ctx) {
    return typeChangeCommands(ctx).flatMap(({ relation, name, col, to, from }) => {
      if (!from || !typeChange(from, to, false).narrows) return [];
      return [
        {
          location: col?.typeName?.location,
          message: `${label(relation)}.${name} goes from ${typeLabel(from)} to the narrower ${typeLabel(to)}: values that do not fit make it fail or lose digits, and changing back cannot restore them`,
        },
      ];
    });
  },
};
