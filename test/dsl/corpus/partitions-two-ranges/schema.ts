// Corpus case: sqldef/tests_partition/PartitionOfAddSecondPartition
import { bigint, table, timestamp } from '../../../../src/index.js';

export const logs = table({ name: 'logs', partitionBy: 'RANGE (created_at)' }, {
  id: bigint().notNull(),
  createdAt: timestamp().notNull(),
});

export const logs202401 = table({
  name: 'logs_2024_01',
  partitionOf: { parent: () => logs, bound: `FOR VALUES FROM ('2024-01-01') TO ('2024-02-01')` },
}, {});

export const logs202402 = table({
  name: 'logs_2024_02',
  partitionOf: { parent: () => logs, bound: `FOR VALUES FROM ('2024-02-01') TO ('2024-03-01')` },
}, {});
