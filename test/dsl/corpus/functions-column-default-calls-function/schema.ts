// Corpus case: sqldef/tests_dependency_ordering/FunctionBeforeTable_ColumnDefault
import { fn, sql, table, text } from '../../../../src/index.js';

export const generateItemId = fn('generate_item_id', {
  returns: text(),
  language: 'plpgsql',
  volatility: 'volatile',
  body: ` BEGIN RETURN 'item_' || md5(random()::text); END; `,
});

export const items = table('items', {
  id: text().notNull().default(sql`${generateItemId}()`).primaryKey(),
  name: text(),
});
