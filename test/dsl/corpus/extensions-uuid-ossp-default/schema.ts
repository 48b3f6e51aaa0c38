// Corpus case: sqldef/tests_datatypes/AddColumnWithDefaultExpression
import { bigint, extension, sql, table, uuid } from '../../../../src/index.js';

export const uuidOssp = extension('uuid-ossp');

export const users = table('users', {
  id: bigint().notNull(),
  key: uuid().notNull().default(sql`uuid_generate_v4()`),
});
