// Corpus case: sqldef/tests_comments/CommentOnDifferentObjectTypesWithSameName
import { enumType, index, integer, table } from '../../../../src/index.js';

export const test = table('test', {
  id: integer(),
}, (t) => [index('foo').on(t.id).comment('index comment')]);

export const foo = enumType({ name: 'foo', comment: 'updated type comment' }, ['a', 'b']);
