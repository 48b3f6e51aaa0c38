import { check, date, index, integer, sql, table, text, timestamptz, unique, uuid, view } from 'keikaku';
import { planStatus } from './enums.js';
import { offices } from './offices.js';
import { staffs } from './staffs.js';

/** People receiving welfare support; names are searched by trigram. */
export const welfareRecipients = table(
  'welfare_recipients',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    officeId: uuid().notNull().references(() => offices.id, { onDelete: 'cascade' }),
    familyName: text().notNull(),
    givenName: text().notNull(),
    birthDate: date(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [
    index('welfare_recipients_family_name_trgm').using('gin').on(t.familyName.op('gin_trgm_ops')),
    index('welfare_recipients_office_id').on(t.officeId),
  ],
);

/** An individual support plan, reviewed in cycles. */
export const supportPlans = table(
  'support_plans',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    recipientId: uuid().notNull().references(() => welfareRecipients.id, { onDelete: 'cascade' }),
    ownerStaffId: uuid().references(() => staffs.id, { onDelete: 'set null' }),
    status: planStatus().notNull().default('draft'),
    dueOn: date(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [index('support_plans_due_on').on(t.dueOn).where(sql`status = 'active'`)],
);

export const planCycles = table(
  'plan_cycles',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    planId: uuid().notNull().references(() => supportPlans.id, { onDelete: 'cascade' }),
    cycleNumber: integer().notNull().check('plan_cycles_number_positive', sql`cycle_number > 0`),
    startsOn: date().notNull(),
    endsOn: date().notNull(),
  },
  (t) => [unique(t.planId, t.cycleNumber), check('plan_cycles_dates', sql`ends_on >= starts_on`)],
);

/** What the dashboard lists: active plans with their recipient. */
export const activePlans = view(
  'active_plans',
  sql`SELECT p.id, p.due_on, r.family_name, r.given_name, r.office_id
        FROM support_plans p JOIN welfare_recipients r ON r.id = p.recipient_id
       WHERE p.status = 'active'`,
);
