import { typeInfo } from '../ast.js';
import { columnRule } from './column-rule.js';

export const preferTimestamptz = columnRule(
  {
    id: 'prefer-timestamptz',
    hazard: 'TABLE_REWRITE',
    severity: 'warning',
    description: 'timestamp without time zone column (style)',
    rewrite: 'timestamptz: it stores an instant, and switching to it later rewrites the table (unless the session TimeZone is UTC)',
  },
  (col) =>
    typeInfo(col.typeName)?.name === 'timestamp' ? 'timestamp without time zone loses the offset; switching to timestamptz later rewrites the table' : undefined,
);
