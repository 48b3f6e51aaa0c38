import { as } from '../ast.js';
import type { LintRule } from '../types.js';
import { existing, label, nodeOf } from './helpers.js';

export const lockTable: LintRule = {
  id: 'lock-table',
  hazard: 'ACCESS_EXCLUSIVE_LOCK',
  severity: 'warning',
  description: 'LOCK TABLE in ACCESS EXCLUSIVE mode (the default)',
  rewrite: 'take the weakest mode that protects what the migration does (e.g. SHARE ROW EXCLUSIVE blocks writes, not reads), with a lock_timeout',
  check(ctx) {
    const lock = as(nodeOf(ctx), 'LockStmt');
    if (!lock || (lock.mode ?? 8) !== 8) return [];
    const tables = (lock.relations ?? []).map((r) => as(r, 'RangeVar')).filter((rv) => existing(ctx, rv));
    if (tables.length === 0) return [];
    return [{ location: tables[0]?.location, message: `LOCK TABLE ${tables.map(label).join(', ')} blocks every read and write of them until the transaction ends` }];
  },
};
