// Corpus case: sqldef/tests_indices/IndexWithNullsNotDistinct
import { index, integer, table, text } from '../../../../src/index.js';

export const test = table('test', {
  id: integer(),
  val: text(),
}, (t) => [index('idx_val').on(t.val).nullsNotDistinct()]);
