// Corpus case: sqldef/tests_comments/CommentOnConstraintWithDotInName
import { check, integer, sql, table } from '../../../../src/index.js';

export const test = table('test', {
  id: integer(),
}, () => [check('my.constraint', sql`id > 0`).comment('Constraint with dot in name')]);
