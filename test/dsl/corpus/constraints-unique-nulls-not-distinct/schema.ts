// Corpus case: sqldef/tests_constraints/ConstraintUniqueNullsNotDistinctAdd
import { integer, table, unique } from '../../../../src/index.js';

export const products = table('products', {
  a: integer(),
  b: integer(),
}, (t) => [unique({ name: 'products_a_b_key', columns: [t.a, t.b], nullsNotDistinct: true })]);
