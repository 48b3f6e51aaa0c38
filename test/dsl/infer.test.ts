/** Row types for application code: what reads return, what inserts need. */
import { describe, expectTypeOf, it } from 'vitest';
import {
  bigint, bigserial, boolean, enumType, integer, jsonb, numeric, serial, sql, table, text, timestamptz, uuid,
  type InferInsert, type InferRow,
} from '../../src/index.js';

const staffRole = enumType('staff_role', ['owner', 'manager', 'employee']);
const staffs = table('staffs', {
  id: uuid().primaryKey().default(sql`gen_random_uuid()`),
  officeId: uuid('office_id').notNull(),
  name: text().notNull(),
  nickname: text(),
  role: staffRole().notNull().default('employee'),
  settings: jsonb<{ theme?: string }>().notNull().default({}),
  tags: text().array(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
  seq: bigserial(),
  n: serial(),
  rowNo: integer().generatedAlwaysAsIdentity(),
  byDefault: bigint().generatedByDefaultAsIdentity(),
  total: numeric().generatedAlwaysAs(sql`1`),
  active: boolean().notNull(),
});

describe('InferRow / InferInsert', () => {
  it('InferRow: every column, null where nullable', () => {
    expectTypeOf<InferRow<typeof staffs>>().toEqualTypeOf<{
      id: string;
      officeId: string;
      name: string;
      nickname: string | null;
      role: 'owner' | 'manager' | 'employee';
      settings: { theme?: string };
      tags: string[] | null;
      createdAt: Date;
      seq: string;
      n: number;
      rowNo: number;
      byDefault: string;
      total: string | null;
      active: boolean;
    }>();
  });

  it('InferInsert: NOT NULL without default required; defaulted or nullable optional; generated absent', () => {
    expectTypeOf<InferInsert<typeof staffs>>().toEqualTypeOf<{
      officeId: string;
      name: string;
      active: boolean;
      id?: string;
      nickname?: string | null;
      role?: 'owner' | 'manager' | 'employee';
      settings?: { theme?: string };
      tags?: string[] | null;
      createdAt?: Date;
      seq?: string;
      n?: number;
      byDefault?: string;
    }>();
  });

  it('defaults are checked against the column type', () => {
    // @ts-expect-error -- not a label of the enum
    staffRole().default('boss');
    // @ts-expect-error -- a number for a text column
    text().default(1);
    text().default(sql`'x' || 'y'`);
  });
});
