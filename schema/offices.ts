import { index, sql, table, text, timestamptz, trigger, uuid, type InferRow } from 'keikaku';
import { touchUpdatedAt } from './functions.js';

/** A welfare office: the tenant every other row belongs to. */
export const offices = table(
  { name: 'offices', comment: 'Welfare offices (tenants)' },
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    name: text().notNull(),
    timezone: text().notNull().default('Asia/Tokyo'),
    createdAt: timestamptz().notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    index('offices_name_trgm').using('gin').on(t.name.op('gin_trgm_ops')),
    trigger('offices_touch_updated_at', { timing: 'before', events: 'update', forEach: 'row', function: touchUpdatedAt }),
  ],
);

export type Office = InferRow<typeof offices>;
