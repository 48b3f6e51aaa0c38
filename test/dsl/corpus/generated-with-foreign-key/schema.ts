// Corpus case: sqldef/tests_constraints/CreateTableWithForeignKeyAndGeneratedColumn
import { foreignKey, integer, primaryKey, sql, table, text, varchar } from '../../../../src/index.js';

export const users = table('users', {
  id: integer().primaryKey(),
});

export const emails = table('emails', {
  userId: integer().notNull(),
  localPart: varchar({ length: 100 }).notNull(),
  domain: varchar({ length: 100 }).notNull(),
  lowerAddress: text().generatedAlwaysAs(sql`LOWER(local_part || '@' || domain)`).notNull(),
}, (t) => [
  primaryKey(t.domain, t.localPart),
  foreignKey({ name: 'user_fk', columns: [t.userId], references: () => [users.id] }),
]);
