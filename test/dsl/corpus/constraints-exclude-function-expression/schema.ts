// Corpus case: sqldef/tests_constraints/ExcludeConstraintWithFunctionExpression
import { exclude, sql, table, varchar } from '../../../../src/index.js';

export const excludeExample = table('exclude_example', {
  name: varchar({ length: 255 }),
}, () => [
  exclude({ name: 'ex1', using: 'btree', elements: [[sql`lower(name::text)`, '=']], where: sql`name::text <> ''` }),
]);
