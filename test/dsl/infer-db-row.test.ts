/**
 * `InferDbRow`: the row under the names the database has, which is what `pg` and PGlite return. The types are
 * checked by `npm run typecheck` (expectTypeOf); the keys a real database returns for `SELECT *` are compared with
 * the same list, so the type-level snake_case and the DSL's runtime one (`snakeCase`) must agree.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { snakeCase } from '../../src/dsl/brand.js';
import { scriptText } from '../../src/dsl/ddl/script.js';
import {
  enumType, integer, jsonb, serial, sql, table, text, timestamptz, uuid, varchar,
  type InferDbInsert, type InferDbRow, type SnakeCase,
} from '../../src/index.js';
import { backends, withFreshDb } from '../support/backends.js';
import { scriptOf } from './declared.js';

const mood = enumType('mood', ['ok', 'meh']);
const orders = table({ name: 'order items', schema: 'public' }, {
  id: serial().primaryKey(),
  officeId: uuid().notNull(),
  HTTPStatus: integer(),
  v2Name: text(),
  userID: text(),
  ABCDef: text(),
  already_snake: text(),
  x: integer(),
  createdAt: timestamptz().notNull().defaultNow(),
  // Explicit names win over the key, whatever their case or characters.
  renamed: text('Given Name'),
  code: varchar('code_X', { length: 3 }).notNull(),
  feel: mood('the-mood'),
  data: jsonb().notNull().default({}),
  total: integer().generatedAlwaysAs(sql`1`),
});

/** Every SQL name, in declaration order: the list both the types and the database are held to. */
const NAMES = [
  'id', 'office_id', 'http_status', 'v2_name', 'user_id', 'abc_def', 'already_snake', 'x', 'created_at', 'Given Name',
  'code_X', 'the-mood', 'data', 'total',
] as const;

describe('InferDbRow', () => {
  it('keys are the SQL names: derived snake_case, or the name given to the builder', () => {
    expectTypeOf<keyof InferDbRow<typeof orders>>().toEqualTypeOf<(typeof NAMES)[number]>();
    expectTypeOf<InferDbRow<typeof orders>>().toEqualTypeOf<{
      id: number;
      office_id: string;
      http_status: number | null;
      v2_name: string | null;
      user_id: string | null;
      abc_def: string | null;
      already_snake: string | null;
      x: number | null;
      created_at: Date;
      'Given Name': string | null;
      code_X: string;
      'the-mood': 'ok' | 'meh' | null;
      data: import('../../src/dsl/column-types.js').JsonValue;
      total: number | null;
    }>();
    expectTypeOf<InferDbInsert<typeof orders>>().toEqualTypeOf<{
      office_id: string;
      code_X: string;
      id?: number;
      http_status?: number | null;
      v2_name?: string | null;
      user_id?: string | null;
      abc_def?: string | null;
      already_snake?: string | null;
      x?: number | null;
      created_at?: Date;
      'Given Name'?: string | null;
      'the-mood'?: 'ok' | 'meh' | null;
      data?: import('../../src/dsl/column-types.js').JsonValue;
    }>();
  });

  it('a name given with an explicit value type must be spelled as a type argument too (never silently lost)', () => {
    // TypeScript infers no type argument once one is given, so the name's literal would be lost: it is an error.
    // @ts-expect-error the name needs its own type argument: jsonb<T, 'prefs'>('prefs')
    table('t', { prefs: jsonb<{ a: number }>('prefs') });
    const t = table('t', { prefs: jsonb<{ a: number }, 'Prefs'>('Prefs') });
    expectTypeOf<InferDbRow<typeof t>>().toEqualTypeOf<{ Prefs: { a: number } | null }>();
  });

  it('SnakeCase is snakeCase at the type level', () => {
    expectTypeOf<SnakeCase<'officeId'>>().toEqualTypeOf<'office_id'>();
    expectTypeOf<SnakeCase<'HTTPStatus'>>().toEqualTypeOf<'http_status'>();
    expectTypeOf<SnakeCase<'v2Name'>>().toEqualTypeOf<'v2_name'>();
    expectTypeOf<SnakeCase<'ABcDEf'>>().toEqualTypeOf<'a_bc_d_ef'>();
    expectTypeOf<SnakeCase<'getHTTPSUrl2X'>>().toEqualTypeOf<'get_https_url2_x'>();
    expectTypeOf<SnakeCase<'a1B'>>().toEqualTypeOf<'a1_b'>();
    expectTypeOf<SnakeCase<'_Private'>>().toEqualTypeOf<'_private'>();
    expectTypeOf<SnakeCase<'ÄrgerX'>>().toEqualTypeOf<'ärger_x'>();
    // The runtime function gives the same for each.
    const cases: Record<string, string> = {
      officeId: 'office_id', HTTPStatus: 'http_status', v2Name: 'v2_name', ABcDEf: 'a_bc_d_ef', getHTTPSUrl2X: 'get_https_url2_x',
      a1B: 'a1_b', _Private: '_private', ÄrgerX: 'ärger_x',
    };
    for (const [key, name] of Object.entries(cases)) expect(snakeCase(key)).toBe(name);
  });
});

describe.each(await backends())('InferDbRow against $title', (backend) => {
  it('SELECT * returns exactly the keys of InferDbRow', () =>
    withFreshDb(backend, async (db) => {
      const { script } = scriptOf({ mood, orders });
      await db.exec(scriptText(script));
      await db.exec(`INSERT INTO public."order items" (office_id, "code_X") VALUES (gen_random_uuid(), 'abc')`);
      const rows = await db.query<InferDbRow<typeof orders>>('SELECT * FROM public."order items"');
      const row = rows[0]!;
      expect(Object.keys(row)).toEqual([...NAMES]);
      // A value read under its typed key, so a renamed key would fail to compile as well.
      const code: string = row.code_X;
      expect(code).toBe('abc');
      expect(row['the-mood']).toBeNull();
      expect(row.created_at).toBeInstanceOf(Date);
    }));
});
