// Corpus case: sqldef/tests_preserve_quotes/CommentOnMixedQuotedTableAndColumn
import { integer, table, text } from '../../../../src/index.js';

export const users = table({ name: 'Users', comment: 'Users table' }, {
  id: integer(),
  email: text('Email').comment('User email address'),
});
