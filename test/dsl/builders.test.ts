/** The builders make the declarations they say, and the renderer turns them into ordered, quoted DDL. */
import { describe, expect, it } from 'vitest';
import { dataOf, DSL, snakeCase } from '../../src/dsl/brand.js';
import { renderDeclared, scriptText } from '../../src/dsl/ddl/script.js';
import { defaultLiteral } from '../../src/dsl/ddl/values.js';
import { renameHints } from '../../src/dsl/rename-hints.js';
import { parseRenameHint } from '../../src/diff/renames.js';
import type { TableData } from '../../src/dsl/table-data.js';
import {
  char, check, enumType, foreignKey, index, integer, interval, jsonb, numeric, sql, table, text, timestamptz, uuid, value, varchar, view,
} from '../../src/index.js';
import * as example from './example-schema.js';
import { declaredOf } from './declared.js';

const render = (exports: Record<string, unknown>) => renderDeclared(declaredOf(exports));
const sqlOf = (exports: Record<string, unknown>) => render(exports).statements.map((s) => s.sql);

describe('builders', () => {
  it('SQL names are the snake_case of property keys unless given', () => {
    expect(['officeId', 'createdAt', 'HTTPStatus', 'v2Name', 'id'].map(snakeCase)).toEqual(['office_id', 'created_at', 'http_status', 'v2_name', 'id']);
    const t = table('t', { officeId: uuid(), createdAt: text('made_at') });
    const data = t[DSL];
    expect(data.columns.map((c) => [c.key, c.name])).toEqual([['officeId', 'office_id'], ['createdAt', 'made_at']]);
    expect(dataOf(t.officeId)).toMatchObject({ kind: 'bound-column', name: 'office_id', table: data });
  });

  it('builders are immutable: a shared builder is not changed by a chained call', () => {
    const base = text();
    const required = base.notNull().default('x');
    expect(base[DSL].notNull).toBe(false);
    expect(base[DSL].default).toBeNull();
    expect(required[DSL]).toMatchObject({ notNull: true, default: { kind: 'value', value: 'x' } });
    expect(Object.isFrozen(required[DSL])).toBe(true);
  });

  it('tables take a name or options, evaluate extras once and lazily', () => {
    let calls = 0;
    const t = table({ name: 'things', schema: 'app', unlogged: true, renamedFrom: 'stuff' }, { id: integer() }, (c) => {
      calls++;
      return [index().on(c.id)];
    });
    const data: TableData = t[DSL];
    expect(calls).toBe(0);
    expect(data.extras()).toHaveLength(1);
    expect(data.extras()).toBe(data.extras());
    expect(calls).toBe(1);
    expect(data).toMatchObject({ schema: 'app', name: 'things', unlogged: true, renamedFrom: ['stuff'] });
  });

  it('a column type takes a name and options, and refuses anything else where it is written', () => {
    const typeOf = (c: { readonly [DSL]: { readonly type: unknown } }) => c[DSL].type;
    expect(typeOf(varchar({ length: 40 }))).toEqual({ kind: 'sql', text: 'varchar(40)' });
    expect(typeOf(varchar('code', { length: 40 }))).toEqual({ kind: 'sql', text: 'varchar(40)' });
    expect(typeOf(varchar(undefined, { length: 40 }))).toEqual({ kind: 'sql', text: 'varchar(40)' });
    expect(typeOf(numeric({ precision: 10, scale: 2 }))).toEqual({ kind: 'sql', text: 'numeric(10,2)' });
    expect(typeOf(interval({ fields: ' day  to second ', precision: 3 }))).toEqual({ kind: 'sql', text: 'interval DAY TO SECOND(3)' });
    // Written in JavaScript, or past the type checker (the loader does not check types): never a silent varchar.
    const loose = (f: unknown, ...args: unknown[]) => () => (f as (...a: unknown[]) => unknown)(...args);
    expect(loose(varchar, 40)).toThrow("varchar(40): its options are an object, after the column's name if it has one: varchar({ length: 40 }) or varchar('name', { length: 40 })");
    expect(loose(char, 'code', 2)).toThrow(/^char\("code", 2\): its options are an object/);
    expect(loose(numeric, 10, 2)).toThrow(/^numeric\(10, 2\): its options are an object/);
    expect(loose(varchar, { length: 40 }, { length: 50 })).toThrow(/its options are an object/);
    expect(loose(varchar, { length: '40' })).toThrow('varchar: "40" is not a whole number (a length, precision or scale)');
    expect(loose(timestamptz, { precision: 2.5 })).toThrow('timestamptz: 2.5 is not a whole number');
    expect(loose(interval, { fields: 'DAY); DROP TABLE t; --' })).toThrow(/^interval: fields "DAY\); DROP TABLE t; --" are not one of YEAR, MONTH/);
  });

  it('enums keep their labels in order, with value renames', () => {
    const mood = enumType('mood', ['happy', value('content').renamedFrom('ok')]);
    expect(mood.labels).toEqual(['happy', 'content']);
    expect(mood[DSL].values[1]).toEqual({ kind: 'enum-value', label: 'content', renamedFrom: ['ok'] });
    expect(mood()[DSL].type).toEqual({ kind: 'declared', decl: mood[DSL] });
  });
});

describe('rendering', () => {
  const statements = sqlOf(example);
  const at = (prefix: string) => statements.findIndex((s) => s.startsWith(prefix));

  it('creates objects in a dependency-safe order', () => {
    const order = [
      'CREATE SCHEMA "app"',
      'CREATE EXTENSION IF NOT EXISTS "pgcrypto"',
      'CREATE TYPE "public"."staff_role"',
      'CREATE SEQUENCE "public"."invoice_no"',
      'CREATE OR REPLACE FUNCTION "public"."touch_updated_at"',
      'CREATE TABLE "public"."offices"',
      'CREATE TABLE "public"."staffs"',
      'CREATE INDEX ON "public"."staffs"',
      'ALTER TABLE "public"."staffs" ADD FOREIGN KEY',
      'CREATE VIEW "public"."active_staffs"',
      'CREATE MATERIALIZED VIEW "public"."staff_count"',
      'CREATE TRIGGER "staffs_touch"',
      'CREATE POLICY "own_office"',
      'COMMENT ON TABLE "public"."staffs"',
      'GRANT SELECT ON TABLE "public"."staffs" TO PUBLIC',
    ].map(at);
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('renders columns with types, defaults as typed literals, identity, generated and inline constraints', () => {
    const staffs = statements[at('CREATE TABLE "public"."staffs"')]!;
    expect(staffs).toContain(`"role" "public"."staff_role" DEFAULT 'employee' NOT NULL`);
    expect(staffs).toContain(`"settings" jsonb DEFAULT '{}' NOT NULL`);
    expect(staffs).toContain(`"tags" text[] DEFAULT '{"a","b c"}' NOT NULL`);
    expect(staffs).toContain(`"invoice" integer DEFAULT nextval('"public"."invoice_no"'::regclass)`);
    expect(staffs).toContain(`CONSTRAINT "name_not_empty" CHECK (length(name) > 0)`);
    const shifts = statements[at('CREATE TABLE "app"."shifts"')]!;
    expect(shifts).toContain('"id" bigint NOT NULL GENERATED ALWAYS AS IDENTITY');
    expect(shifts).toContain('"hours" numeric GENERATED ALWAYS AS (1) STORED');
    expect(shifts).toContain('CONSTRAINT "shifts_no_overlap" EXCLUDE USING gist ("office_id" WITH =, "during" WITH &&)');
    expect(statements).toContain(
      'CREATE INDEX "staffs_lower_name" ON "public"."staffs" ((lower("name"))) INCLUDE ("office_id") WHERE ("role" <> \'owner\');',
    );
  });

  it('renders a virtual generated column and a named NOT NULL constraint (PostgreSQL 18)', () => {
    const measures = table('measures', {
      mm: integer().notNull({ name: 'measures_mm_required' }),
      label: text().notNull(),
      cm: integer().generatedAlwaysAs(sql`mm / 10`, { virtual: true }),
      dm: integer().generatedAlwaysAs(sql`mm / 100`, { virtual: false }),
    });
    const [create] = sqlOf({ measures }).filter((s) => s.startsWith('CREATE TABLE'));
    expect(create).toContain('"mm" integer CONSTRAINT "measures_mm_required" NOT NULL');
    expect(create).toContain('"label" text NOT NULL');
    expect(create).toContain('"cm" integer GENERATED ALWAYS AS (mm / 10) VIRTUAL');
    expect(create).toContain('"dm" integer GENERATED ALWAYS AS (mm / 100) STORED');
  });

  it('orders views after the views they read, whatever the declaration order', () => {
    const base = table('base', { id: integer() });
    const top = view('top', sql`SELECT * FROM ${view('middle', sql`SELECT 1`)}`);
    const middle = view('middle', sql`SELECT id FROM ${base}`);
    const top2 = view('top2', sql`SELECT * FROM ${middle}`);
    void top;
    const out = sqlOf({ top2, middle, base });
    expect(out.findIndex((s) => s.includes('"middle" AS'))).toBeLessThan(out.findIndex((s) => s.includes('"top2" AS')));
  });

  it('quotes names and literals through one function', () => {
    const t = table('User Table', { 'a"b': text().default("it's \\ here").comment('say "hi"') });
    const out = scriptText(render({ t }).statements);
    expect(out).toContain(`CREATE TABLE "public"."User Table" (\n  "a""b" text DEFAULT E'it''s \\\\ here'\n)`);
    expect(out).toContain(`COMMENT ON COLUMN "public"."User Table"."a""b" IS 'say "hi"'`);
  });
});

describe('defaultLiteral', () => {
  it.each([
    ['text', 'plain', false, 0, `'plain'`],
    ['number', 1.5, false, 0, '1.5'],
    ['bigint', 12345678901234567890n, false, 0, '12345678901234567890'],
    ['boolean', true, false, 0, 'true'],
    ['Date', new Date('2024-01-02T03:04:05.000Z'), false, 0, `'2024-01-02T03:04:05.000Z'`],
    ['bytes', new Uint8Array([0xde, 0xad]), false, 0, `E'\\\\xdead'`],
    ['json object', { a: [1, 'x'] }, true, 0, `'{"a":[1,"x"]}'`],
    ['json string', 'x', true, 0, `'"x"'`],
    ['text[] with quotes', ['a,b', 'c"d', null], false, 1, `E'{"a,b","c\\\\"d",NULL}'`],
    ['int[][]', [[1, 2], [3, 4]], false, 2, `'{{"1","2"},{"3","4"}}'`],
    ['jsonb[]', [{ a: 1 }], true, 1, `E'{"{\\\\"a\\\\":1}"}'`],
  ] as const)('%s', (_, v, json, dims, expected) => {
    expect(defaultLiteral(v, json, dims)).toBe(expected);
  });
});

describe('rename hints', () => {
  it('are --rename strings, whole objects first, that parseRenameHint reads', () => {
    const { hints, problems } = renameHints(declaredOf(example));
    expect(problems).toEqual([]);
    expect(hints.map((h) => h.text)).toEqual([
      '"public"."employees"="staffs"',
      `"public"."staff_role".'worker'='employee'`,
      '"public"."staffs"."full_name"="name"',
    ]);
    for (const h of hints) expect(typeof parseRenameHint(h.text)).toBe('object');
    expect(parseRenameHint(hints.find((h) => h.text.includes('worker'))!.text)).toMatchObject({
      path: [{ value: 'public' }, { value: 'staff_role' }, { value: 'worker', quote: 'single' }],
      to: 'employee',
    });
  });

  it('unnamed indexes and constraints cannot take a rename hint', () => {
    const t = table('t', { a: integer() }, (c) => [index().on(c.a).renamedFrom('old_idx'), check(sql`a > 0`).renamedFrom('old_check')]);
    const { problems } = renameHints(declaredOf({ t }));
    expect(problems.map((p) => p.code)).toEqual(['KK108', 'KK108']);
  });
});

describe('render problems', () => {
  it('a foreign key to a table that is not exported, and to nothing', () => {
    const hidden = table('hidden', { id: integer().primaryKey() });
    const t = table('t', {
      a: integer().references(() => hidden.id),
      // @ts-expect-error -- a column that does not exist
      b: integer().references(() => hidden.nope),
    }, (c) => [foreignKey({ columns: [c.a, c.b], references: () => [hidden.id] })]);
    const codes = render({ t }).problems.map((p) => [p.code, p.message.split(':')[0]]);
    expect(codes).toContainEqual(['KK103', 'table public.hidden is used here but not exported from any schema file; export it (export const … = …)']);
    expect(codes.some(([code, m]) => code === 'KK102' && m!.startsWith('b.references(() => hidden.nope)'))).toBe(true);
  });

  it('a column of another table in an index, an extra that is not one, a partition with columns', () => {
    const other = table('other', { x: integer() });
    const t = table('t', { a: varchar({ length: 3 }), j: jsonb() }, () => [index().on(other.x), 'nonsense']);
    expect(render({ other, t }).problems.map((p) => p.code)).toEqual(['KK102', 'KK104']);
    const parent = table({ name: 'p', partitionBy: 'RANGE (a)' }, { a: integer() });
    const part = table({ name: 'p1', partitionOf: { parent: () => parent, bound: 'FOR VALUES FROM (1) TO (2)' } }, { a: integer() });
    expect(render({ parent, part }).problems.map((p) => p.code)).toEqual(['KK104']);
  });
});
