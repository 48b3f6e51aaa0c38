// Corpus case: sqldef/tests_tables/GeneratedColumnMultipleRefs
import { sql, table, text } from '../../../../src/index.js';

export const users = table('users', {
  firstName: text().notNull(),
  middleName: text(),
  lastName: text().notNull(),
  fullName: text().generatedAlwaysAs(sql`COALESCE(first_name || ' ' || middle_name || ' ', first_name || ' ') || last_name`),
});
