// Corpus case: sqldef/tests_partition/PartitionByRangeMultipleColumns
import { bigint, integer, table } from '../../../../src/index.js';

export const events = table({ name: 'events', partitionBy: 'RANGE (event_year, event_month)' }, {
  id: bigint().notNull(),
  eventYear: integer().notNull(),
  eventMonth: integer().notNull(),
});
