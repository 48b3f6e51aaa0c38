// Corpus case: sqldef/tests_comments/CommentOnIndex
import { index, integer, table } from '../../../../src/index.js';

export const test = table('test', {
  id: integer(),
}, (t) => [index('idx_test').on(t.id).comment('Index comment')]);
