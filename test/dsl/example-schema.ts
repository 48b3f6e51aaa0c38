/** The DESIGN §3 example, extended to every object kind; shared by the DSL tests. */
import {
  check, compositeType, domain, enumType, exclude, extension, fn, foreignKey, grant, index, integer, jsonb, nextval,
  materializedView, policy, primaryKey, procedure, schema, sequence, serial, sql, table, text, timestamptz, trigger,
  tstzrange, unique, uuid, value, varchar, view, numeric, bigint, boolean, customType,
} from '../../src/index.js';

export const app = schema('app', { comment: 'application schema' });
export const crypto = extension('pgcrypto');
export const gist = extension('btree_gist');
export const citextExt = extension('citext');
const citext = customType<string>('citext');

export const staffRole = enumType('staff_role', ['owner', 'manager', value('employee').renamedFrom('worker')]);
export const positive = domain('positive_amount', numeric({ precision: 12, scale: 2 }), {
  checks: [check('positive_amount_check', sql`VALUE > 0`)],
});
export const address = compositeType('address', { street: text(), zipCode: varchar({ length: 10 }) });
export const invoiceNo = sequence('invoice_no', { start: 1000, as: 'integer' });

export const touch = fn('touch_updated_at', {
  returns: 'trigger',
  language: 'plpgsql',
  body: `BEGIN NEW.updated_at := now(); RETURN NEW; END`,
});

export const offices = table('offices', {
  id: uuid().primaryKey().default(sql`gen_random_uuid()`),
  name: citext().notNull().unique(),
  address: address(),
});

export const staffs = table(
  { name: 'staffs', rls: true, comment: 'people', grants: [grant('select', 'public')], renamedFrom: 'employees' },
  {
    id: uuid().primaryKey().default(sql`gen_random_uuid()`),
    officeId: uuid('office_id').notNull().references(() => offices.id, { onDelete: 'cascade' }),
    name: text().notNull().renamedFrom('full_name'),
    role: staffRole().notNull().default('employee'),
    settings: jsonb().notNull().default({}),
    tags: text().array().notNull().default(['a', 'b c']),
    salary: positive(),
    invoice: integer().default(nextval(invoiceNo)),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    updatedAt: timestamptz().notNull().defaultNow().comment('touched by trigger'),
  },
  (t) => [
    index().using('gin').on(t.settings),
    index('staffs_lower_name').on(sql`lower(${t.name})`).where(sql`${t.role} <> 'owner'`).include(t.officeId),
    check('name_not_empty', sql`length(name) > 0`),
    trigger('staffs_touch', { timing: 'before', events: 'update', forEach: 'row', function: touch }),
    policy('own_office', { for: 'select', using: sql`${t.officeId} IS NOT NULL` }),
  ],
);

export const shifts = app.table(
  'shifts',
  {
    id: bigint().generatedAlwaysAsIdentity(),
    staffId: uuid().notNull(),
    officeId: uuid().notNull(),
    during: tstzrange().notNull(),
    hours: numeric().generatedAlwaysAs(sql`1`),
    done: boolean().notNull().default(false),
  },
  (t) => [
    unique({ name: 'shifts_staff_during', columns: [t.staffId, t.during] }),
    foreignKey({ columns: [t.staffId], references: () => [staffs.id] }),
    exclude({ name: 'shifts_no_overlap', elements: [[t.officeId, '='], [t.during, '&&']] }),
  ],
);

export const counters = table('counters', { n: serial().primaryKey() }, (t) => [primaryKey(t.n)].slice(1));

export const activeStaffs = view('active_staffs', sql`SELECT id, name FROM ${staffs} WHERE ${staffs.role} <> 'owner'`);
export const staffCount = materializedView('staff_count', sql`SELECT count(*) AS n FROM ${activeStaffs}`);
export const archive = procedure('archive_all', { language: 'sql', body: sql`DELETE FROM ${app}.shifts WHERE done` });
