// Corpus case: sqldef/tests_constraints/ChangeUniqueConstraintInNonPublicSchema
import { integer, schema, unique } from '../../../../src/index.js';

export const test = schema('test');

export const dummy = test.table('dummy', {
  a: integer(),
  b: integer(),
}, (t) => [unique({ name: 'a_uniq', columns: [t.a], deferrable: 'deferred' })]);
