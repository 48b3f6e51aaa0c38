import { as } from '../ast.js';
import type { LintRule } from '../types.js';
import { existing, label, nodeOf } from './helpers.js';

export const deleteWithoutWhere: LintRule = {
  id: 'delete-without-where',
  hazard: 'DELETES_DATA',
  severity: 'error',
  description: 'DELETE of a whole existing table',
  rewrite: 'copy the rows into keikaku_archive first; delete in batches',
  check(ctx) {
    const d = as(nodeOf(ctx), 'DeleteStmt');
    if (!d || d.whereClause || !existing(ctx, d.relation)) return [];
    return [{ location: d.relation?.location, message: `DELETE without WHERE removes every row of ${label(d.relation)} in one transaction` }];
  },
};
