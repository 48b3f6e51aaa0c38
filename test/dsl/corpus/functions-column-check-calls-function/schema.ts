// Corpus case: sqldef/tests_dependency_ordering/FunctionBeforeTable_ColumnCheck
import { bigint, fn, sql, table, text } from '../../../../src/index.js';

export const isValidName = fn('is_valid_name', {
  args: [{ name: 's', type: text() }],
  returns: 'boolean',
  language: 'plpgsql',
  volatility: 'immutable',
  body: ' BEGIN RETURN length(s) > 0; END; ',
});

export const accounts = table('accounts', {
  id: bigint().notNull().primaryKey(),
  name: text().notNull().check(sql`${isValidName}(name)`),
});
