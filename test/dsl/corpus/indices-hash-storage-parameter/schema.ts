// Corpus case: sqldef/tests_indices/CreateIndexWithStorageParameterString
import { index, serial, table, text } from '../../../../src/index.js';

export const testTable = table('test_table', {
  id: serial(),
  data: text(),
}, (t) => [index('idx_data').using('hash').on(t.data).withOptions({ fillfactor: '70' })]);
