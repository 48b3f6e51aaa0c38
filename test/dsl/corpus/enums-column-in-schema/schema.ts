// Corpus case: sqldef/tests_types/AddEnumTypeColumn
import { schema, uuid } from '../../../../src/index.js';

export const s = schema('s');

export const lang = s.enumType('lang', ['ja', 'en']);

export const users = s.table('users', {
  id: uuid().notNull().primaryKey(),
  lang: lang().notNull(),
});
