import { relKey } from '../ast.js';
import type { LintRule } from '../types.js';
import { existingTableCommands, label } from './helpers.js';

export const validateSameTransaction: LintRule = {
  id: 'validate-same-transaction',
  hazard: 'ACCESS_EXCLUSIVE_LOCK',
  severity: 'error',
  description: 'VALIDATE CONSTRAINT in the same transaction that added the constraint NOT VALID',
  rewrite: 'COMMIT after the NOT VALID add, then VALIDATE in a transaction of its own',
  check(ctx) {
    return existingTableCommands(ctx).flatMap(({ relation, cmd }) => {
      if (cmd.subtype !== 'AT_ValidateConstraint' || !cmd.name) return [];
      const added = ctx.state.notValidConstraints.get(`${relKey(relation)}.${cmd.name}`);
      if (added === undefined || added !== ctx.state.transactionId) return [];
      return [
        {
          location: relation.location,
          message: `${cmd.name} was added NOT VALID in this same transaction, whose lock on ${label(relation)} (taken by the add) is still held while VALIDATE scans: NOT VALID gains nothing`,
        },
      ];
    });
  },
};
