// Corpus case: sqldef/tests_indices/AddNonDefaultOperatorClassOfSameAccessMethod
import { index, jsonb, table } from '../../../../src/index.js';

export const products = table('products', {
  tags: jsonb(),
}, (t) => [index('idx_tags').using('gin').on(t.tags.op('jsonb_path_ops'))]);
