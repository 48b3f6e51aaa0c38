// Corpus case: sqldef/tests_dependency_ordering/FunctionBeforeTable_TableLevelCheck
import { bigint, check, fn, integer, sql, table } from '../../../../src/index.js';

export const isPositive = fn('is_positive', {
  args: [{ name: 'n', type: 'integer' }],
  returns: 'boolean',
  language: 'plpgsql',
  volatility: 'immutable',
  body: ' BEGIN RETURN n > 0; END; ',
});

export const measurements = table('measurements', {
  id: bigint().notNull().primaryKey(),
  score: integer().notNull(),
}, (t) => [check(sql`${isPositive}(${t.score})`)]);
