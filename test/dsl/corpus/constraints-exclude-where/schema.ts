// Corpus case: sqldef/tests_constraints/ExcludeConstraintWithWhere
import { exclude, sql, table, varchar } from '../../../../src/index.js';

export const excludeExample = table('exclude_example', {
  name: varchar({ length: 255 }),
}, (t) => [exclude({ name: 'ex1', using: 'btree', elements: [[t.name, '=']], where: sql`${t.name} IS NOT NULL` })]);
