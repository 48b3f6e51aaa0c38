// Corpus case: sqldef/tests_dependency_ordering/FunctionBeforeTable_GeneratedColumn
import { bigint, fn, integer, sql, table } from '../../../../src/index.js';

export const doubleValue = fn('double_value', {
  args: [{ name: 'n', type: integer() }],
  returns: integer(),
  language: 'plpgsql',
  volatility: 'immutable',
  body: ' BEGIN RETURN n * 2; END; ',
});

export const metrics = table('metrics', {
  id: bigint().notNull().primaryKey(),
  baseValue: integer().notNull(),
  doubled: integer().generatedAlwaysAs(sql`${doubleValue}(base_value)`),
});
