import { typeInfo } from '../ast.js';
import { columnRule } from './column-rule.js';

export const preferText = columnRule(
  {
    id: 'prefer-text',
    hazard: 'ACCESS_EXCLUSIVE_LOCK',
    severity: 'warning',
    description: 'varchar(n) column (style)',
    rewrite: 'text with a CHECK (length(col) <= n) added NOT VALID: the limit can then change without touching the type',
  },
  (col) => {
    const t = typeInfo(col.typeName);
    return t?.name === 'varchar' && t.mods.length > 0
      ? `varchar(${t.mods[0]}): changing the limit later is an ALTER COLUMN TYPE under an ACCESS EXCLUSIVE lock (and a rewrite when it shrinks)`
      : undefined;
  },
);
