// Corpus case: sqldef/tests_domains/CreateTableUsingDomain
import { domain, integer, sql, table, text } from '../../../../src/index.js';

export const email = domain('email', text(), { checks: [sql`VALUE ~ '@'`] });

export const users = table('users', {
  id: integer().primaryKey(),
  emailAddr: email().notNull(),
});
