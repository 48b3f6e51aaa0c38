import { as, names } from '../ast.js';
import type { LintRule } from '../types.js';
import { nodeOf } from './helpers.js';

export const enumRenameValue: LintRule = {
  id: 'enum-rename-value',
  hazard: 'BREAKS_OLD_CLIENTS',
  severity: 'error',
  description: 'ALTER TYPE … RENAME VALUE (running code still writes the old label)',
  rewrite: 'add the new value (ADD VALUE, committed), deploy code that writes it, migrate rows in batches, then stop accepting the old one',
  check(ctx) {
    const e = as(nodeOf(ctx), 'AlterEnumStmt');
    if (!e || e.oldVal === undefined || e.newVal === undefined) return [];
    return [
      {
        message: `renaming '${e.oldVal}' to '${e.newVal}' in ${names(e.typeName).join('.')}: code already running that writes or compares '${e.oldVal}' fails or silently matches nothing`,
      },
    ];
  },
};
