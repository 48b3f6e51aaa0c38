import { as } from '../ast.js';
import type { LintRule } from '../types.js';
import { nodeOf } from './helpers.js';

export const enumAddValueTransaction: LintRule = {
  id: 'enum-add-value-transaction',
  hazard: 'NON_TRANSACTIONAL',
  severity: 'error',
  description: 'ALTER TYPE … ADD VALUE inside a transaction block when the target may be older than PostgreSQL 12',
  rewrite: 'run ADD VALUE as a statement of its own, outside BEGIN … COMMIT',
  check(ctx) {
    const alter = as(nodeOf(ctx), 'AlterEnumStmt');
    if (!alter || alter.oldVal !== undefined || !ctx.state.inTransaction || ctx.options.postgresVersion >= 12) return [];
    return [
      {
        message: `before PostgreSQL 12, ALTER TYPE … ADD VALUE cannot run inside a transaction block (the file must run on ${ctx.options.postgresVersion})`,
      },
    ];
  },
};
