import { as } from '../ast.js';
import type { LintRule } from '../types.js';
import { existing, nodeOf } from './helpers.js';

export const reindexConcurrently: LintRule = {
  id: 'reindex-concurrently',
  hazard: 'BLOCKS_WRITES',
  severity: 'error',
  description: 'REINDEX without CONCURRENTLY',
  rewrite: 'REINDEX (CONCURRENTLY) … / REINDEX … CONCURRENTLY, outside BEGIN … COMMIT',
  check(ctx) {
    const reindex = as(nodeOf(ctx), 'ReindexStmt');
    if (!reindex) return [];
    if ((reindex.params ?? []).some((p) => as(p, 'DefElem')?.defname === 'concurrently')) return [];
    if (reindex.relation && !existing(ctx, reindex.relation)) return [];
    return [
      {
        location: reindex.relation?.location,
        message:
          'REINDEX without CONCURRENTLY blocks writes to the table and locks each index ACCESS EXCLUSIVE, so queries that would use it wait',
      },
    ];
  },
};
