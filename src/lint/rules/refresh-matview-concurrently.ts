import { as } from '../ast.js';
import type { LintRule } from '../types.js';
import { existing, label, nodeOf } from './helpers.js';

export const refreshMatviewConcurrently: LintRule = {
  id: 'refresh-matview-concurrently',
  hazard: 'ACCESS_EXCLUSIVE_LOCK',
  severity: 'error',
  description: 'REFRESH MATERIALIZED VIEW without CONCURRENTLY',
  rewrite: 'REFRESH MATERIALIZED VIEW CONCURRENTLY (needs a unique index on the view)',
  check(ctx) {
    const r = as(nodeOf(ctx), 'RefreshMatViewStmt');
    if (!r || r.concurrent || r.skipData || !existing(ctx, r.relation)) return [];
    return [{ location: r.relation?.location, message: `refreshing ${label(r.relation)} locks it ACCESS EXCLUSIVE: reads of the view wait until the query finishes` }];
  },
};
