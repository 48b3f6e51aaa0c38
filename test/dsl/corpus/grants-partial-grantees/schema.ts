// Corpus case: sqldef/tests_enable_drop/GrantPartialGranteesRevokeSkipped
import { bigint, grant, table, varchar } from '../../../../src/index.js';

export const users = table({
  name: 'users',
  grants: [grant('select', ['user1', 'user2', 'user3']), grant(['insert', 'update'], ['user2', 'user4'])],
}, {
  id: bigint().primaryKey(),
  name: varchar({ length: 100 }),
});
