// Corpus case: sqldef/tests_comments/UpdateComment
import { bigserial, table } from '../../../../src/index.js';

export const hoge = table({ name: 'hoge', comment: 'hoge table updated' }, {
  id: bigserial().primaryKey().comment('hoge id updated'),
});

export const bar = table({ name: 'bar', comment: 'bar table' }, {
  id: bigserial().primaryKey().comment('bar id'),
});
