import { as } from '../ast.js';
import type { LintRule } from '../types.js';
import { existing, label, nodeOf } from './helpers.js';

export const cluster: LintRule = {
  id: 'cluster',
  hazard: 'TABLE_REWRITE',
  severity: 'error',
  description: 'CLUSTER',
  rewrite: 'a tool that reorders online (pg_repack), or CLUSTER in a maintenance window',
  check(ctx) {
    const c = as(nodeOf(ctx), 'ClusterStmt');
    if (!c || (c.relation && !existing(ctx, c.relation))) return [];
    const what = c.relation ? label(c.relation) : 'every previously clustered table';
    return [{ location: c.relation?.location, message: `CLUSTER rewrites ${what} in index order under an ACCESS EXCLUSIVE lock` }];
  },
};
