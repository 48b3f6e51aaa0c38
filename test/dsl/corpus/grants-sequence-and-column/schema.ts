// Corpus case: sqldef/tests_manage_privilege/ManagePrivilegeSequenceAndColumn
import { bigint, grant, integer, nextval, sequence, table, varchar } from '../../../../src/index.js';

// `n SERIAL` spelled out: a grant on a serial column's own sequence needs the sequence declared.
export const countersNSeq = sequence('counters_n_seq', {
  as: 'integer',
  ownedBy: () => counters.n,
  grants: [grant('usage', 'app_user')],
});

export const counters = table('counters', {
  id: bigint().primaryKey().grant(grant('select', 'app_user')),
  n: integer().notNull().default(nextval(countersNSeq)),
  fSecret: varchar({ length: 100 }),
});
