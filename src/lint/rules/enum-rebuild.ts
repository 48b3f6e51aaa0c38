import { as, listKey, names } from '../ast.js';
import type { LintRule } from '../types.js';
import { nodeOf } from './helpers.js';

export const enumRebuild: LintRule = {
  id: 'enum-rebuild',
  hazard: 'UNSAFE_ENUM_CHANGE',
  severity: 'error',
  description: 'an enum recreated under its old name (rename, CREATE TYPE, convert columns): how values are removed or reordered',
  rewrite: 'first check no row uses a removed value (SELECT count(*) … WHERE col = \'value\'); expect every column of the type to be rewritten; prefer leaving an unused value in place',
  check(ctx) {
    const e = as(nodeOf(ctx), 'CreateEnumStmt');
    const key = listKey(names(e?.typeName));
    if (!e || !ctx.state.renamedAwayTypes.has(key)) return [];
    return [
      {
        message: `${key} is recreated after renaming the old type away: every column of the type is converted (a rewrite), and a row holding a value the new type lacks makes the migration fail`,
      },
    ];
  },
};
