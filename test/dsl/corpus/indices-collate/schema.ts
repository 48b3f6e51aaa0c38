// Corpus case: sqldef/tests_indices/IndexWithCollate
import { index, table, text } from '../../../../src/index.js';

export const testNames = table('test_names', {
  name: text(),
}, (t) => [index('idx_name_ci').on(t.name.collate('C'))]);
