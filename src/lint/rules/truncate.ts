import { as } from '../ast.js';
import type { LintRule } from '../types.js';
import { existing, label, nodeOf } from './helpers.js';

export const truncate: LintRule = {
  id: 'truncate',
  hazard: 'DELETES_DATA',
  severity: 'error',
  description: 'TRUNCATE of an existing table',
  rewrite: 'copy the rows into keikaku_archive first, or DELETE in batches if the data must go',
  check(ctx) {
    const t = as(nodeOf(ctx), 'TruncateStmt');
    const tables = (t?.relations ?? []).map((r) => as(r, 'RangeVar')).filter((rv) => existing(ctx, rv));
    if (tables.length === 0) return [];
    const cascade = t?.behavior === 'DROP_CASCADE' ? ' (and, with CASCADE, of every table referencing them)' : '';
    return [
      {
        location: tables[0]?.location,
        message: `TRUNCATE deletes every row of ${tables.map(label).join(', ')}${cascade} under an ACCESS EXCLUSIVE lock, with no copy kept`,
      },
    ];
  },
};
