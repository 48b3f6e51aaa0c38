import { boolean, bytea, index, jsonb, sql, table, text, timestamptz, uuid } from 'keikaku';
import { billingStatus } from './enums.js';
import { offices } from './offices.js';
import { staffs } from './staffs.js';

/** A staff member's linked calendar; the OAuth key is stored encrypted. */
export const calendarAccounts = table('calendar_accounts', {
  id: uuid().primaryKey().default(sql`gen_random_uuid()`),
  staffId: uuid().notNull().unique().references(() => staffs.id, { onDelete: 'cascade' }),
  provider: text().notNull(),
  settings: jsonb().notNull().default({ sync: true }),
  encryptedKey: bytea().notNull(),
  createdAt: timestamptz().notNull().defaultNow(),
});

export const billingAccounts = table('billing_accounts', {
  id: uuid().primaryKey().default(sql`gen_random_uuid()`),
  officeId: uuid().notNull().unique().references(() => offices.id, { onDelete: 'cascade' }),
  status: billingStatus().notNull().default('trialing'),
  customerRef: text().notNull(),
  updatedAt: timestamptz().notNull().defaultNow(),
});

/** Webhook deliveries from the payment provider, kept for replay and audit. */
export const webhookEvents = table(
  'webhook_events',
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    provider: text().notNull(),
    eventId: text().notNull(),
    payload: jsonb().notNull(),
    processed: boolean().notNull().default(false),
    receivedAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [index('webhook_events_provider_event').unique().on(t.provider, t.eventId)],
);

export const pushSubscriptions = table('push_subscriptions', {
  id: uuid().primaryKey().default(sql`gen_random_uuid()`),
  staffId: uuid().notNull().references(() => staffs.id, { onDelete: 'cascade' }),
  endpoint: text().notNull(),
  keys: jsonb().notNull(),
  createdAt: timestamptz().notNull().defaultNow(),
});
