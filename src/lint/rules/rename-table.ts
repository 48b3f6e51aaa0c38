import { as } from '../ast.js';
import type { LintRule } from '../types.js';
import { existing, ident, label, nodeOf, quotedRel } from './helpers.js';

export const renameTable: LintRule = {
  id: 'rename-table',
  hazard: 'BREAKS_OLD_CLIENTS',
  severity: 'error',
  description: 'RENAME TABLE / VIEW on an existing relation (running code still uses the old name)',
  rewrite: 'rename it and create a view with the old name over it (simple views are updatable), drop the view once no code uses the old name',
  check(ctx) {
    const rename = as(nodeOf(ctx), 'RenameStmt');
    const kinds = ['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW'];
    if (!rename || !kinds.includes(rename.renameType ?? '') || !existing(ctx, rename.relation)) return [];
    const old = quotedRel(rename.relation);
    const schema = rename.relation?.schemaname ? `${ident(rename.relation.schemaname)}.` : '';
    return [
      {
        location: rename.relation?.location,
        message: `renaming ${label(rename.relation)} to ${rename.newname}: queries of the application already running name ${label(rename.relation)} and fail from this moment`,
        rewrite: `ALTER TABLE ${old} RENAME TO ${ident(rename.newname ?? '')}; CREATE VIEW ${old} AS SELECT * FROM ${schema}${ident(rename.newname ?? '')}; (drop the view after the deploy)`,
      },
    ];
  },
};
