import { stringConstants } from '../ast.js';
import type { LintRule } from '../types.js';
import { nodeOf } from './helpers.js';

export const enumValueSameTransaction: LintRule = {
  id: 'enum-value-same-transaction',
  hazard: 'UNSAFE_ENUM_CHANGE',
  severity: 'error',
  description: 'a value added by ALTER TYPE … ADD VALUE used in the same transaction',
  rewrite: 'COMMIT after ADD VALUE (run it as a statement of its own), then use the value',
  check(ctx) {
    return stringConstants(nodeOf(ctx)).flatMap(({ value, location }) => {
      const added = ctx.state.addedEnumValues.get(value);
      if (!added || added.transactionId !== ctx.state.transactionId) return [];
      return [
        {
          location,
          message: `'${value}' was added to ${added.type} in this same transaction: PostgreSQL refuses to use it before that transaction commits ("unsafe use of new value")`,
        },
      ];
    });
  },
};
