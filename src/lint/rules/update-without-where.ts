import { as } from '../ast.js';
import type { LintRule } from '../types.js';
import { existing, label, nodeOf } from './helpers.js';

export const updateWithoutWhere: LintRule = {
  id: 'update-without-where',
  hazard: 'BACKFILL',
  severity: 'error',
  description: 'UPDATE of a whole existing table in one statement',
  rewrite: 'backfill in batches by primary key (UPDATE … WHERE id > $last AND id <= $next), one transaction per batch',
  check(ctx) {
    const u = as(nodeOf(ctx), 'UpdateStmt');
    if (!u || u.whereClause || !existing(ctx, u.relation)) return [];
    return [
      {
        location: u.relation?.location,
        message: `UPDATE without WHERE locks every row of ${label(u.relation)} until it commits (concurrent writes to any row wait) and writes a new version of each row at once`,
      },
    ];
  },
};
