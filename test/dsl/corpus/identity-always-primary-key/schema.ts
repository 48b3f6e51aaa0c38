// Corpus case: sqldef/tests_tables/ColumnNamedCommentWithIdentityPrimaryKey
import { bigint, table, text } from '../../../../src/index.js';

export const posts = table('posts', {
  id: bigint().generatedAlwaysAsIdentity().primaryKey(),
  comment: text(),
});
