import { as } from '../ast.js';
import type { LintRule } from '../types.js';
import { nodeOf } from './helpers.js';

export const vacuumFull: LintRule = {
  id: 'vacuum-full',
  hazard: 'TABLE_REWRITE',
  severity: 'error',
  description: 'VACUUM FULL',
  rewrite: 'plain VACUUM (no lock on reads or writes), or a tool that repacks online (pg_repack / pg_squeeze)',
  check(ctx) {
    const vacuum = as(nodeOf(ctx), 'VacuumStmt');
    const full = (vacuum?.options ?? []).some((o) => as(o, 'DefElem')?.defname === 'full' && as(as(o, 'DefElem')?.arg, 'Boolean')?.boolval !== false);
    if (!vacuum || !full) return [];
    return [{ message: 'VACUUM FULL rewrites each table into a new file under an ACCESS EXCLUSIVE lock: no reads or writes meanwhile' }];
  },
};
