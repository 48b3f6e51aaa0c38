import { as, listKey, names } from '../ast.js';
import type { LintRule } from '../types.js';
import { nodeOf } from './helpers.js';

export const dropIndexConcurrently: LintRule = {
  id: 'drop-index-concurrently',
  hazard: 'ACCESS_EXCLUSIVE_LOCK',
  severity: 'error',
  description: 'DROP INDEX without CONCURRENTLY',
  rewrite: 'DROP INDEX CONCURRENTLY …, as a statement of its own outside BEGIN … COMMIT',
  check(ctx) {
    const drop = as(nodeOf(ctx), 'DropStmt');
    if (drop?.removeType !== 'OBJECT_INDEX' || drop.concurrent) return [];
    const indexes = (drop.objects ?? []).map((o) => names(as(o, 'List')?.items));
    const old = indexes.filter((parts) => !ctx.state.createdIndexes.has(listKey(parts)));
    if (old.length === 0) return [];
    const list = old.map((p) => p.join('.')).join(', ');
    return [
      {
        message: `DROP INDEX ${list} locks the index's table ACCESS EXCLUSIVE: reads and writes of it wait`,
        rewrite: `DROP INDEX CONCURRENTLY ${drop.missing_ok ? 'IF EXISTS ' : ''}${list}; (one index per statement, outside BEGIN … COMMIT)`,
      },
    ];
  },
};
