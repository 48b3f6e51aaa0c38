// Corpus case: sqldef/tests_partition/PartitionOfDefault
import { bigint, table, timestamp } from '../../../../src/index.js';

export const logs = table({ name: 'logs', partitionBy: 'RANGE (created_at)' }, {
  id: bigint().notNull(),
  createdAt: timestamp().notNull(),
});

export const logsDefault = table({ name: 'logs_default', partitionOf: { parent: () => logs, bound: 'DEFAULT' } }, {});
