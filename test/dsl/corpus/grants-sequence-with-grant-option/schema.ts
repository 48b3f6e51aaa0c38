// Corpus case: sqldef/tests_managed_roles/ManagedRolesSequenceGrantWithGrantOption
import { bigint, grant, integer, nextval, sequence, table } from '../../../../src/index.js';

export const countersNSeq = sequence('counters_n_seq', {
  as: 'integer',
  ownedBy: () => counters.n,
  grants: [grant('update', 'app_user', { withGrantOption: true })],
});

export const counters = table('counters', {
  id: bigint().primaryKey(),
  n: integer().notNull().default(nextval(countersNSeq)),
});
