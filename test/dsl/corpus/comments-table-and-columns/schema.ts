// Corpus case: sqldef/tests_comments/Comment
import { bigserial, table, text } from '../../../../src/index.js';

export const hoge = table({ name: 'hoge', comment: 'hoge table' }, {
  id: bigserial().notNull().primaryKey().comment('hoge id'),
  foo: text().notNull().default('').comment('foo comment'),
});
