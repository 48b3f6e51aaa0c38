// Corpus case: sqldef/tests_policies/EnableAndForceRowLevelSecurity
import { bigint, table, varchar } from '../../../../src/index.js';

export const users = table({ name: 'users', rls: true, forceRls: true }, {
  id: bigint().primaryKey(),
  name: varchar({ length: 100 }),
});
