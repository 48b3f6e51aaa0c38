import { as } from '../ast.js';
import type { LintRule } from '../types.js';
import { nodeOf } from './helpers.js';

/** Whether the statement is one of the CONCURRENTLY forms PostgreSQL refuses inside a transaction block. */
const concurrentForm = (ctx: Parameters<LintRule['check']>[0]): string | undefined => {
  const node = nodeOf(ctx);
  if (as(node, 'IndexStmt')?.concurrent) return 'CREATE INDEX CONCURRENTLY';
  if (as(node, 'DropStmt')?.concurrent) return 'DROP INDEX CONCURRENTLY';
  if ((as(node, 'ReindexStmt')?.params ?? []).some((p) => as(p, 'DefElem')?.defname === 'concurrently')) return 'REINDEX CONCURRENTLY';
  const detach = (as(node, 'AlterTableStmt')?.cmds ?? []).some((c) => as(as(c, 'AlterTableCmd')?.def, 'PartitionCmd')?.concurrent);
  return detach ? 'DETACH PARTITION … CONCURRENTLY' : undefined;
};

export const concurrentlyInTransaction: LintRule = {
  id: 'concurrently-in-transaction',
  hazard: 'NON_TRANSACTIONAL',
  severity: 'error',
  description: 'a CONCURRENTLY statement inside a transaction block (PostgreSQL refuses it)',
  rewrite: 'end the transaction (COMMIT) before it and run it as a statement of its own',
  check(ctx) {
    const form = concurrentForm(ctx);
    if (!form || !ctx.state.inTransaction) return [];
    const why = ctx.options.assumeInTransaction ? 'the file is assumed to run in one transaction' : 'it is inside BEGIN … COMMIT';
    return [{ message: `${form} cannot run inside a transaction block, and ${why}: the migration fails here` }];
  },
};
