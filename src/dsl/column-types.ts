/**
 * Column builders for PostgreSQL's built-in types. Each takes an optional SQL column name (the property key in
 * snake_case otherwise) and, where the type has modifiers, options: `varchar({ length: 20 })`,
 * `varchar('code', { length: 3 })`. The JS types are those `pg` and PGlite return.
 */
import { Column, columnData } from './column.js';

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * A builder's first argument: the SQL name or the options. `S` keeps a name's literal type, so that `InferDbRow`
 * keys the row by it.
 */
type NameOr<S extends string | undefined, O> = S | O | undefined;

const isOptions = (x: unknown): boolean => x === undefined || (typeof x === 'object' && x !== null && !Array.isArray(x));

/**
 * A column type's optional name and options. Anything else is refused where it was written (the loader reports the
 * file and line): `varchar(40)` would otherwise be a varchar of no length, silently.
 */
const split = <O extends object>(type: string, example: string, a: NameOr<string | undefined, O>, b: O | undefined): { name: string | undefined; options: Partial<O> } => {
  const named = typeof a === 'string';
  if (!(named || isOptions(a)) || !isOptions(b) || (!named && a !== undefined && b !== undefined)) {
    const given = [a, b].filter((x) => x !== undefined).map((x) => (typeof x === 'string' ? JSON.stringify(x) : String(x)));
    throw new TypeError(`${type}(${given.join(', ')}): its options are an object, after the column's name if it has one: ${type}(${example}) or ${type}('name', ${example})`);
  }
  return named ? { name: a, options: b ?? {} } : { name: undefined, options: a ?? b ?? {} };
};

const make = <T, N extends boolean = false, D extends boolean = false, S extends string | undefined = undefined>(text: string, name: string | undefined, notNull = false) =>
  new Column<T, N, D, false, S>({ ...columnData({ kind: 'sql', text }, name), notNull });

const plain =
  <T>(text: string) =>
  <S extends string | undefined = undefined>(name?: S) =>
    make<T, false, false, S>(text, name);

const mod = (text: string, ...args: readonly (number | undefined)[]): string => {
  const given = args.filter((a): a is number => a !== undefined);
  const wrong = given.find((a) => !Number.isSafeInteger(a));
  if (wrong !== undefined) throw new TypeError(`${text}: ${typeof wrong === 'string' ? JSON.stringify(wrong) : String(wrong)} is not a whole number (a length, precision or scale)`);
  return given.length ? `${text}(${given.join(',')})` : text;
};

export const smallint = plain<number>('smallint');
export const integer = plain<number>('integer');
/** int8 comes back as a string (it can exceed Number.MAX_SAFE_INTEGER). */
export const bigint = plain<string>('bigint');
/** NOT NULL with a default from its own sequence: inserts may leave it out. */
export const smallserial = <S extends string | undefined = undefined>(name?: S) => make<number, true, true, S>('smallserial', name, true);
export const serial = <S extends string | undefined = undefined>(name?: S) => make<number, true, true, S>('serial', name, true);
export const bigserial = <S extends string | undefined = undefined>(name?: S) => make<string, true, true, S>('bigserial', name, true);
export const real = plain<number>('real');
export const doublePrecision = plain<number>('double precision');
export const money = plain<string>('money');

export interface NumericOptions {
  readonly precision?: number;
  readonly scale?: number;
}
/** numeric(p,s) comes back as a string (exact decimal). */
export const numeric = <S extends string | undefined = undefined>(a?: NameOr<S, NumericOptions>, b?: NumericOptions) => {
  const { name, options } = split('numeric', '{ precision: 10, scale: 2 }', a, b);
  return make<string, false, false, S>(mod('numeric', options.precision, options.precision === undefined ? undefined : options.scale), name);
};
export const decimal = numeric;

export interface LengthOptions {
  readonly length?: number;
}
export const text = plain<string>('text');
export const varchar = <S extends string | undefined = undefined>(a?: NameOr<S, LengthOptions>, b?: LengthOptions) => {
  const { name, options } = split('varchar', '{ length: 40 }', a, b);
  return make<string, false, false, S>(mod('varchar', options.length), name);
};
export const char = <S extends string | undefined = undefined>(a?: NameOr<S, LengthOptions>, b?: LengthOptions) => {
  const { name, options } = split('char', '{ length: 2 }', a, b);
  return make<string, false, false, S>(mod('char', options.length), name);
};
export const bit = <S extends string | undefined = undefined>(a?: NameOr<S, LengthOptions>, b?: LengthOptions) => {
  const { name, options } = split('bit', '{ length: 8 }', a, b);
  return make<string, false, false, S>(mod('bit', options.length), name);
};
export const varbit = <S extends string | undefined = undefined>(a?: NameOr<S, LengthOptions>, b?: LengthOptions) => {
  const { name, options } = split('varbit', '{ length: 64 }', a, b);
  return make<string, false, false, S>(mod('varbit', options.length), name);
};

export const boolean = plain<boolean>('boolean');
/** date comes back as `YYYY-MM-DD` text (no time zone to guess). */
export const date = plain<string>('date');

export interface TimeOptions {
  readonly precision?: number;
  readonly withTimezone?: boolean;
}
export const time = <S extends string | undefined = undefined>(a?: NameOr<S, TimeOptions>, b?: TimeOptions) => {
  const { name, options } = split('time', '{ precision: 3 }', a, b);
  return make<string, false, false, S>(mod(options.withTimezone ? 'timetz' : 'time', options.precision), name);
};
/** timestamp without time zone comes back as text: it names no instant. */
export const timestamp = <S extends string | undefined = undefined>(a?: NameOr<S, TimeOptions>, b?: TimeOptions) => {
  const { name, options } = split('timestamp', '{ precision: 3 }', a, b);
  return options.withTimezone
    ? make<Date, false, false, S>(mod('timestamptz', options.precision), name)
    : make<string, false, false, S>(mod('timestamp', options.precision), name);
};
export const timestamptz = <S extends string | undefined = undefined>(a?: NameOr<S, Omit<TimeOptions, 'withTimezone'>>, b?: Omit<TimeOptions, 'withTimezone'>) => {
  const { name, options } = split('timestamptz', '{ precision: 3 }', a, b);
  return make<Date, false, false, S>(mod('timestamptz', options.precision), name);
};

export interface IntervalOptions {
  /** e.g. `'DAY TO SECOND'`. */
  readonly fields?: string;
  readonly precision?: number;
}
/** What PostgreSQL accepts after `interval`. */
const INTERVAL_FIELDS = new Set(['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'YEAR TO MONTH', 'DAY TO HOUR', 'DAY TO MINUTE', 'DAY TO SECOND', 'HOUR TO MINUTE', 'HOUR TO SECOND', 'MINUTE TO SECOND']);
export const interval = <S extends string | undefined = undefined>(a?: NameOr<S, IntervalOptions>, b?: IntervalOptions) => {
  const { name, options } = split('interval', "{ fields: 'DAY TO SECOND' }", a, b);
  const fields = options.fields?.trim().toUpperCase().replace(/\s+/g, ' ');
  if (fields !== undefined && !INTERVAL_FIELDS.has(fields)) throw new TypeError(`interval: fields ${JSON.stringify(options.fields)} are not one of ${[...INTERVAL_FIELDS].join(', ')}`);
  const base = fields ? `interval ${fields}` : 'interval';
  return make<string, false, false, S>(mod(base, options.precision), name);
};

export const uuid = plain<string>('uuid');
export const json = <T extends JsonValue = JsonValue, S extends string | undefined = undefined>(name?: S) => make<T, false, false, S>('json', name);
export const jsonb = <T extends JsonValue = JsonValue, S extends string | undefined = undefined>(name?: S) => make<T, false, false, S>('jsonb', name);
export const bytea = plain<Uint8Array>('bytea');
export const inet = plain<string>('inet');
export const cidr = plain<string>('cidr');
export const macaddr = plain<string>('macaddr');
export const macaddr8 = plain<string>('macaddr8');
export const tsvector = plain<string>('tsvector');
export const tsquery = plain<string>('tsquery');
export const xml = plain<string>('xml');
export const oid = plain<number>('oid');
export const point = plain<{ x: number; y: number }>('point');
export const line = plain<string>('line');
export const lseg = plain<string>('lseg');
export const box = plain<string>('box');
export const path = plain<string>('path');
export const polygon = plain<string>('polygon');
export const circle = plain<{ x: number; y: number; radius: number }>('circle');
export const int4range = plain<string>('int4range');
export const int8range = plain<string>('int8range');
export const numrange = plain<string>('numrange');
export const tsrange = plain<string>('tsrange');
export const tstzrange = plain<string>('tstzrange');
export const daterange = plain<string>('daterange');

/**
 * A type keikaku has no builder for (an extension's, like `citext` or `vector(3)`), as SQL text:
 * `const citext = customType<string>('citext')`, then `email: citext().notNull()`.
 */
export const customType =
  <T = unknown>(typeText: string) =>
  <S extends string | undefined = undefined>(name?: S) =>
    make<T, false, false, S>(typeText, name);
