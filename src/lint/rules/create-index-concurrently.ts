import { as } from '../ast.js';
import type { LintRule } from '../types.js';
import { existing, ident, label, nodeOf, quotedRel } from './helpers.js';

export const createIndexConcurrently: LintRule = {
  id: 'create-index-concurrently',
  hazard: 'BLOCKS_WRITES',
  severity: 'error',
  description: 'CREATE INDEX without CONCURRENTLY on an existing table',
  rewrite: 'CREATE INDEX CONCURRENTLY …, as a statement of its own outside BEGIN … COMMIT',
  check(ctx) {
    const index = as(nodeOf(ctx), 'IndexStmt');
    if (!index || index.concurrent || !existing(ctx, index.relation)) return [];
    const name = index.idxname ? `${ident(index.idxname)} ` : '';
    return [
      {
        location: index.relation?.location,
        message: `building an index on ${label(index.relation)} holds a SHARE lock: every INSERT, UPDATE and DELETE on it waits until the build ends`,
        rewrite: `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY ${name}ON ${quotedRel(index.relation)} …; outside BEGIN … COMMIT (a failed build leaves an INVALID index: drop it and retry)`,
      },
    ];
  },
};
