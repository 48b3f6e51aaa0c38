// Corpus case: sqldef/tests_datatypes/CreateTableWithDefault
import {
  boolean, char, date, integer, json, jsonb, numeric, sql, table, text, time, timestamp, timestamptz, varchar,
} from '../../../../src/index.js';

export const users = table('users', {
  profile: varchar({ length: 50 }).notNull().default(''),
  defaultInt: integer().default(20),
  defaultBool: boolean().default(true),
  defaultNumeric: numeric({ precision: 5 }).default('42.195'),
  defaultFixedChar: char({ length: 3 }).default('JPN'),
  defaultText: text().default(''),
  defaultJson: json().default([]),
  defaultJsonb: jsonb().default([]),
  defaultCurrentTimestamp: timestamp().default(sql`CURRENT_TIMESTAMP`),
  defaultCurrentDate: date().default(sql`CURRENT_DATE`),
  defaultCurrentTime: time().default(sql`CURRENT_TIME`),
  defaultDateText: text().default(sql`CURRENT_TIMESTAMP::date::text`),
  defaultNow: timestamp().defaultNow(),
  defaultArrayInt: integer().array().default([]),
  defaultArrayConstructor: integer().array().default(sql`ARRAY[]::int[]`),
  defaultArrayElementTypecast: text().array().default(sql`ARRAY[current_date::text]::text[]`),
  joinedAt: timestamptz().notNull().default(sql`'0001-01-01 00:00:00'::timestamp without time zone`),
  createdAt: timestamptz().defaultNow(),
});
