/**
 * The zero-downtime recipes (DESIGN §6), one file per change kind: how a step splits into expand / backfill /
 * contract parts so the running application keeps working between phases. A change without a recipe is one
 * part: in contract when it removes something nothing recreates (old code may still use it), else in expand.
 */
import type { Step } from '../../model/plan.js';
import { addColumn } from './add-column.js';
import { addConstraint } from './add-constraint.js';
import { alterColumn } from './alter-column.js';
import type { RecipeContext, RecipeResult } from './context.js';
import { wholeStep } from './context.js';
import { dropColumn } from './drop-column.js';
import { dropTable } from './drop-table.js';
import { renameColumn } from './rename-column.js';
import { renameTable } from './rename-table.js';
import { alterEnum, recreateEnum } from './enums.js';
import { createIndex, dropIndex } from './indexes.js';

export type { RecipeContext, Refusal } from './context.js';
export { isRefusal } from './context.js';

/**
 * `removal`: the step drops an object no other step creates again. A rebuild's drop is not a removal: the
 * caller moves its parts to expand, where the re-creation goes.
 */
export const recipe = (s: Step, removal: boolean, ctx: RecipeContext): RecipeResult => {
  const c = s.change;
  switch (c.kind) {
    case 'drop_column':
      return dropColumn(s, c, ctx);
    case 'drop_table':
      return dropTable(s, c, ctx);
    case 'add_column':
      return addColumn(s, c, ctx);
    case 'alter_column':
      return alterColumn(s, c, ctx);
    case 'create_index':
      return createIndex(s, c, ctx);
    case 'drop_index':
      return dropIndex(s, c, ctx, removal ? 'contract' : 'expand');
    case 'add_constraint':
      return addConstraint(s, c, ctx);
    case 'rename_table':
      return renameTable(s, c);
    case 'rename_column':
      return renameColumn(s, c, ctx);
    case 'alter_enum':
      return alterEnum(s, c);
    case 'recreate_enum':
      return recreateEnum(s, c);
    default:
      return [wholeStep(s, removal ? 'contract' : 'expand')];
  }
};
