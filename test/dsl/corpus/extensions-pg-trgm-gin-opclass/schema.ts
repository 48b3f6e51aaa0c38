// Corpus case: sqldef/tests_indices/IndexWithUsing
import { extension, index, integer, table, text } from '../../../../src/index.js';

export const pgTrgm = extension('pg_trgm');

export const products = table('products', {
  id: integer().primaryKey(),
  name: text().notNull(),
}, (t) => [index('idx_trgm_name').using('gin').on(t.name.op('gin_trgm_ops'))]);
