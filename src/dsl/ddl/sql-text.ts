/**
 * SQL text of `sql` fragments, type references and JS values. Every name goes through `ident` / `qname` and every
 * string through `literal` (src/render/quote.ts).
 */
import { ident, literal, qname } from '../../render/quote.js';
import { dataOf, DSL } from '../brand.js';
import type { BoundColumnData } from '../bound-column.js';
import type { SqlData } from '../sql.js';

/** A value in a `sql` fragment (or a reference) that has no SQL form; the loader reports it at the declaration. */
export class RenderError extends Error {}

/** Declarations a rendered fragment refers to (views, tables, functions), for ordering views after them. */
export type RefSink = (data: object) => void;

const QUALIFIED = new Set(['table', 'view', 'function', 'enum', 'domain', 'composite', 'sequence']);

/** The SQL text of a value interpolated into `sql\`…\``. */
export const valueSql = (value: unknown, refs?: RefSink): string => {
  const data = dataOf(value);
  if (data) {
    switch (data.kind) {
      case 'sql':
        return fragmentSql(data as SqlData, refs);
      case 'raw-sql':
        return (data as unknown as { text: string }).text;
      case 'sql-ident':
        return ident((data as unknown as { name: string }).name);
      case 'bound-column':
        return ident((data as BoundColumnData).name);
      case 'schema':
        return ident((data as unknown as { name: string }).name);
      case 'nextval': {
        const seq = dataOf((data as unknown as { sequence: unknown }).sequence) as unknown as { schema: string; name: string };
        refs?.(seq);
        return `nextval(${literal(qname(seq.schema, seq.name))}::regclass)`;
      }
      default:
        if (QUALIFIED.has(data.kind)) {
          const d = data as unknown as { schema: string; name: string };
          refs?.(data);
          return qname(d.schema, d.name);
        }
        throw new RenderError(`a ${data.kind} cannot be used in sql\`…\``);
    }
  }
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return literal(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : literal(String(value));
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  throw new RenderError(`${typeof value} ${String(value)} cannot be used in sql\`…\`; use sql.raw() or a string`);
};

export const fragmentSql = (data: SqlData, refs?: RefSink): string => {
  let out = data.texts[0] ?? '';
  data.values.forEach((v, i) => {
    out += valueSql(v, refs) + (data.texts[i + 1] ?? '');
  });
  return out;
};

export const sqlOf = (fragment: { readonly [DSL]: SqlData }, refs?: RefSink): string => fragmentSql(fragment[DSL], refs);
