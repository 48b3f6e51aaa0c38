/** JS default values → SQL literals of the column's type. */
import { literal } from '../../render/quote.js';
import { RenderError } from './sql-text.js';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** An array element in PostgreSQL's array text form: strings always double-quoted, so no delimiter can split them. */
const arrayElement = (v: unknown, json: boolean): string => {
  if (v === null || v === undefined) return 'NULL';
  if (Array.isArray(v) && !json) return arrayText(v, json);
  const text = scalarText(v, json);
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
};

const arrayText = (values: readonly unknown[], json: boolean): string => `{${values.map((v) => arrayElement(v, json)).join(',')}}`;

/** The text form Postgres parses for one scalar value. */
const scalarText = (v: unknown, json: boolean): string => {
  if (json) return JSON.stringify(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return `\\x${hex(v)}`;
  throw new RenderError(`cannot turn ${typeof v} ${JSON.stringify(v)} into a SQL value; use sql\`…\``);
};

/**
 * A column default (or domain default) given as a JS value. Strings, JSON and arrays are untyped literals: Postgres
 * casts them to the column's type when the default is created, exactly as for a hand-written `DEFAULT '…'`.
 * @param json the column is json/jsonb (not an array of it): objects, arrays and strings are JSON documents.
 * @param dims array dimensions of the column.
 */
export const defaultLiteral = (value: unknown, json: boolean, dims: number): string => {
  if (value === null || value === undefined) return 'NULL';
  if (dims > 0) {
    if (!Array.isArray(value)) throw new RenderError(`the default of an array column must be an array, not ${JSON.stringify(value)}`);
    return literal(arrayText(value, json));
  }
  if (json) return literal(JSON.stringify(value));
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : literal(String(value));
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array))
    throw new RenderError(`cannot use ${JSON.stringify(value)} as a default of a non-json column; use sql\`…\``);
  return literal(scalarText(value, false));
};
