// Corpus case: sqldef/tests_managed_roles/ManagedRolesMultipleTables
import { bigint, grant, table, varchar } from '../../../../src/index.js';

const appUser = [grant(['select', 'insert', 'update'], 'app_user')];

export const users = table({ name: 'users', grants: appUser }, {
  id: bigint().primaryKey(),
  name: varchar({ length: 100 }),
});

export const posts = table({ name: 'posts', grants: appUser }, {
  id: bigint().primaryKey(),
  title: varchar({ length: 100 }),
});
