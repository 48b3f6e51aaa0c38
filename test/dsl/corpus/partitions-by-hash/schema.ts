// Corpus case: sqldef/tests_partition/PartitionByHash
import { bigint, table } from '../../../../src/index.js';

export const sessions = table({ name: 'sessions', partitionBy: 'HASH (user_id)' }, {
  id: bigint().notNull(),
  userId: bigint().notNull(),
});
