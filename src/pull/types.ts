/**
 * Column types as PostgreSQL prints them (`format_type`) → DSL builders: `character varying(20)` →
 * `varchar({ length: 20 })`, `public.mood[]` → `mood().array()`. A type with no builder (an extension's, like
 * `public.citext`) becomes a `customType` declaration the column calls.
 */
import * as K from '../model/keys.js';
import { str } from './code.js';
import { customKey, type DeclContext } from './context.js';
import { readQualified } from './sql-text.js';

/** The JS value a builder's type gives, which decides how defaults may be written. */
export type JsKind = 'number' | 'string' | 'boolean' | 'jsonb' | 'other';

export interface TypeCode {
  /** The builder call, with the column's SQL name as its first argument when given. */
  readonly call: (sqlName?: string) => string;
  /** Array dimensions (one `.array()` each). */
  readonly dims: number;
  readonly js: JsKind;
  /** The element type as printed, without `[]`. */
  readonly base: string;
}

const PLAIN: Readonly<Record<string, readonly [string, JsKind]>> = {
  smallint: ['smallint', 'number'],
  integer: ['integer', 'number'],
  bigint: ['bigint', 'other'],
  real: ['real', 'number'],
  'double precision': ['doublePrecision', 'number'],
  money: ['money', 'other'],
  text: ['text', 'string'],
  boolean: ['boolean', 'boolean'],
  date: ['date', 'string'],
  uuid: ['uuid', 'string'],
  json: ['json', 'other'],
  jsonb: ['jsonb', 'jsonb'],
  bytea: ['bytea', 'other'],
  inet: ['inet', 'string'],
  cidr: ['cidr', 'string'],
  macaddr: ['macaddr', 'string'],
  macaddr8: ['macaddr8', 'string'],
  tsvector: ['tsvector', 'other'],
  tsquery: ['tsquery', 'other'],
  xml: ['xml', 'other'],
  oid: ['oid', 'number'],
  point: ['point', 'other'],
  line: ['line', 'other'],
  lseg: ['lseg', 'other'],
  box: ['box', 'other'],
  path: ['path', 'other'],
  polygon: ['polygon', 'other'],
  circle: ['circle', 'other'],
  int4range: ['int4range', 'other'],
  int8range: ['int8range', 'other'],
  numrange: ['numrange', 'other'],
  tsrange: ['tsrange', 'other'],
  tstzrange: ['tstzrange', 'other'],
  daterange: ['daterange', 'other'],
  'timestamp without time zone': ['timestamp', 'string'],
  'timestamp with time zone': ['timestamptz', 'other'],
  'time without time zone': ['time', 'string'],
  interval: ['interval', 'string'],
};

const withOptions = (ctx: DeclContext, builder: string, options: string | undefined) => (sqlName?: string) => {
  const args = [sqlName === undefined ? undefined : str(sqlName), options].filter((a) => a !== undefined);
  return `${ctx.dsl(builder)}(${args.join(', ')})`;
};

/** A builder with options, for the parametrized built-in types. */
const parametrized = (ctx: DeclContext, t: string): { call: (n?: string) => string; js: JsKind } | undefined => {
  let m = /^numeric\((\d+),(\d+)\)$/.exec(t);
  if (m) return { call: withOptions(ctx, 'numeric', `{ precision: ${m[1]}, scale: ${m[2]} }`), js: 'other' };
  if (t === 'numeric') return { call: withOptions(ctx, 'numeric', undefined), js: 'other' };
  m = /^(character varying|character|bit varying|bit)(?:\((\d+)\))?$/.exec(t);
  if (m) {
    const builder = { 'character varying': 'varchar', character: 'char', 'bit varying': 'varbit', bit: 'bit' }[m[1]!]!;
    return { call: withOptions(ctx, builder, m[2] ? `{ length: ${m[2]} }` : undefined), js: builder === 'varchar' || builder === 'char' ? 'string' : 'other' };
  }
  m = /^(timestamp|time)\((\d+)\) (with|without) time zone$/.exec(t);
  if (m) {
    if (m[1] === 'timestamp' && m[3] === 'with') return { call: withOptions(ctx, 'timestamptz', `{ precision: ${m[2]} }`), js: 'other' };
    const tz = m[3] === 'with' ? ', withTimezone: true' : '';
    return { call: withOptions(ctx, m[1]!, `{ precision: ${m[2]}${tz} }`), js: m[1] === 'timestamp' ? 'string' : 'string' };
  }
  if (t === 'time with time zone') return { call: withOptions(ctx, 'time', '{ withTimezone: true }'), js: 'string' };
  m = /^interval(?: ([a-z ]+?))?(?:\((\d+)\))?$/.exec(t);
  if (m && (m[1] || m[2])) {
    const opts = [m[1] ? `fields: ${str(m[1].toUpperCase())}` : undefined, m[2] ? `precision: ${m[2]}` : undefined].filter(Boolean);
    return { call: withOptions(ctx, 'interval', `{ ${opts.join(', ')} }`), js: 'string' };
  }
  return undefined;
};

/** The builder of a type as `format_type` prints it. */
export const typeCode = (ctx: DeclContext, typeText: string): TypeCode => {
  let base = typeText;
  let dims = 0;
  while (base.endsWith('[]')) {
    base = base.slice(0, -2);
    dims++;
  }
  const plain = PLAIN[base];
  if (plain) return { call: withOptions(ctx, plain[0], undefined), dims, js: plain[1], base };
  const p = parametrized(ctx, base);
  if (p) return { ...p, dims, base };
  const q = readQualified(base);
  if (q && q.schema !== null && q.rest === '') {
    const declared =
      ctx.schema.enums.find((e) => e.schema === q.schema && e.name === q.name) ??
      ctx.schema.domains.find((e) => e.schema === q.schema && e.name === q.name) ??
      ctx.schema.composites.find((e) => e.schema === q.schema && e.name === q.name);
    const name = declared ? ctx.ref(K.typeKey(q.schema, q.name)) : undefined;
    if (name) {
      const js: JsKind = declared!.kind === 'enum' ? 'string' : 'other';
      return { call: (n) => `${name}(${n === undefined ? '' : str(n)})`, dims, js, base };
    }
  }
  const custom = ctx.ref(customKey(base));
  if (custom) return { call: (n) => `${custom}(${n === undefined ? '' : str(n)})`, dims, js: 'other', base };
  // Not reached: every custom type gets a declaration; keep a valid builder anyway.
  return { call: (n) => `${ctx.dsl('customType')}(${str(base)})(${n === undefined ? '' : str(n)})`, dims, js: 'other', base };
};

/** Whether `typeText` has a builder of its own (else a `customType` declaration stands for it). */
export const isBuiltinOrDeclared = (typeText: string, declared: (schema: string, name: string) => boolean): boolean => {
  let base = typeText;
  while (base.endsWith('[]')) base = base.slice(0, -2);
  if (PLAIN[base]) return true;
  if (/^(numeric(\(\d+,\d+\))?|(character varying|character|bit varying|bit)(\(\d+\))?|(timestamp|time)\(\d+\) (with|without) time zone|time with time zone|interval( [a-z ]+?)?(\(\d+\))?)$/.test(base))
    return true;
  const q = readQualified(base);
  return q !== undefined && q.schema !== null && q.rest === '' && declared(q.schema, q.name);
};

/** The element type text of a (possibly array) type. */
export const baseType = (typeText: string): string => typeText.replace(/(\[\])+$/, '');
