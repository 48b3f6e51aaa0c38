import { as } from '../ast.js';
import type { LintRule } from '../types.js';
import { existingTableCommands, label } from './helpers.js';

export const detachPartitionConcurrently: LintRule = {
  id: 'detach-partition-concurrently',
  hazard: 'ACCESS_EXCLUSIVE_LOCK',
  severity: 'error',
  description: 'DETACH PARTITION without CONCURRENTLY',
  rewrite: 'ALTER TABLE … DETACH PARTITION … CONCURRENTLY (PostgreSQL 14+), as a statement of its own outside BEGIN … COMMIT',
  check(ctx) {
    return existingTableCommands(ctx).flatMap(({ relation, cmd }) => {
      const part = as(cmd.def, 'PartitionCmd');
      if (cmd.subtype !== 'AT_DetachPartition' || !part || part.concurrent) return [];
      return [
        {
          location: part.name?.location,
          message: `detaching ${label(part.name)} locks the partitioned table ${label(relation)} ACCESS EXCLUSIVE: every query on any partition waits`,
        },
      ];
    });
  },
};
