import { as } from '../ast.js';
import type { LintRule } from '../types.js';
import { existing, label, nodeOf } from './helpers.js';

export const renameColumn: LintRule = {
  id: 'rename-column',
  hazard: 'BREAKS_OLD_CLIENTS',
  severity: 'error',
  description: 'RENAME COLUMN on an existing table (running code still uses the old name)',
  rewrite: 'expand/contract: add the new column, sync both with a trigger, backfill, deploy code that uses the new name, then drop the old column (keikaku generate does this)',
  check(ctx) {
    const rename = as(nodeOf(ctx), 'RenameStmt');
    if (rename?.renameType !== 'OBJECT_COLUMN' || !existing(ctx, rename.relation)) return [];
    return [
      {
        location: rename.relation?.location,
        message: `renaming ${label(rename.relation)}.${rename.subname} to ${rename.newname}: queries of the application already running name ${rename.subname} and fail from this moment`,
      },
    ];
  },
};
