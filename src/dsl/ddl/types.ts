import { qname } from '../../render/quote.js';
import { dataOf } from '../brand.js';
import type { TypeSpec } from '../column.js';
import type { TypeSource } from '../routine.js';
import { RenderError, type RefSink } from './sql-text.js';

/** The SQL type of a column or attribute: built-in text, or a declared type's qualified name; `[]` per dimension. */
export const typeSql = (type: TypeSpec, dims: number, refs?: RefSink): string => {
  let base: string;
  if (type.kind === 'sql') base = type.text;
  else {
    refs?.(type.decl);
    base = qname(type.decl.schema, type.decl.name);
  }
  return base + '[]'.repeat(dims);
};

/** Whether values of the type are JSON documents (json, jsonb, or a domain over one). */
export const isJsonType = (type: TypeSpec): boolean => {
  if (type.kind === 'sql') return /^jsonb?$/i.test(type.text.trim());
  const d = type.decl as unknown as { kind: string; base?: TypeSpec; baseDims?: number };
  return d.kind === 'domain' && d.base !== undefined && d.baseDims === 0 && isJsonType(d.base);
};

/** A type in a function signature (see `TypeSource`). */
export const typeSourceSql = (t: TypeSource, refs?: RefSink): string => {
  if (typeof t === 'string') return t;
  const data = dataOf(t) as { kind: string } | undefined;
  if (!data) throw new RenderError('expected a type: SQL text, a column builder, a declared type or a table');
  switch (data.kind) {
    case 'column': {
      const c = data as unknown as { type: TypeSpec; dims: number };
      return typeSql(c.type, c.dims, refs);
    }
    case 'enum':
    case 'domain':
    case 'composite':
    case 'table':
    case 'view': {
      refs?.(data);
      const d = data as unknown as { schema: string; name: string };
      return qname(d.schema, d.name);
    }
    default:
      throw new RenderError(`a ${data.kind} is not a type`);
  }
};
