import { check, index, jsonb, sql, table, text, timestamptz, uuid, type InferInsert, type InferRow } from 'keikaku';
import { staffRole } from './enums.js';
import { offices } from './offices.js';

export const staffs = table(
  'staffs',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    officeId: uuid().notNull().references(() => offices.id, { onDelete: 'cascade' }),
    name: text().notNull().renamedFrom('full_name'),
    email: text().notNull().unique(),
    role: staffRole().notNull().default('employee'),
    settings: jsonb().notNull().default({}),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    index('staffs_office_id').on(t.officeId),
    index('staffs_settings').using('gin').on(t.settings),
    check('staffs_name_not_empty', sql`length(name) > 0`),
  ],
);

export type Staff = InferRow<typeof staffs>;
export type NewStaff = InferInsert<typeof staffs>;
