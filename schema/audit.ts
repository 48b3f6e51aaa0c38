import { bigint, index, inet, jsonb, sql, table, text, timestamptz, uuid } from 'keikaku';
import { offices } from './offices.js';
import { staffs } from './staffs.js';

export const auditLogs = table(
  'audit_logs',
  {
    id: bigint().generatedAlwaysAsIdentity().primaryKey(),
    officeId: uuid().references(() => offices.id, { onDelete: 'set null' }),
    actorStaffId: uuid().references(() => staffs.id, { onDelete: 'set null' }),
    action: text().notNull(),
    detail: jsonb().notNull().default({}),
    at: timestamptz().notNull().defaultNow(),
  },
  (t) => [index('audit_logs_office_at').on(t.officeId, t.at), index('audit_logs_detail').using('gin').on(t.detail)],
);

export const passwordResetTokens = table('password_reset_tokens', {
  id: uuid().primaryKey().default(sql`gen_random_uuid()`),
  staffId: uuid().notNull().references(() => staffs.id, { onDelete: 'cascade' }),
  tokenHash: text().notNull().unique(),
  expiresAt: timestamptz().notNull(),
  usedAt: timestamptz(),
});

export const passwordResetAuditLogs = table('password_reset_audit_logs', {
  id: bigint().generatedAlwaysAsIdentity().primaryKey(),
  tokenId: uuid().references(() => passwordResetTokens.id, { onDelete: 'set null' }),
  event: text().notNull(),
  ip: inet(),
  at: timestamptz().notNull().defaultNow(),
});
