/**
 * Reading libpg-query parse trees. A tree node is `{ KindName: fields }`; `as(node, 'Kind')` gives the fields of
 * a node of that kind, or undefined.
 */
import type { Node, RangeVar, TypeName } from 'libpg-query';

type NodeKind = Node extends infer N ? (N extends Record<infer K, unknown> ? K & string : never) : never;
export type NodeOf<K extends NodeKind> = Extract<Node, Record<K, unknown>>[K];

/** The fields of `node` when it is a `kind` node. */
export const as = <K extends NodeKind>(node: unknown, kind: K): NodeOf<K> | undefined =>
  node !== null && typeof node === 'object' && kind in node ? (node as Record<K, NodeOf<K>>)[kind] : undefined;

/** The node kind: `AlterTableStmt`, `ColumnDef`, … */
export const kindOf = (node: unknown): string =>
  node !== null && typeof node === 'object' ? (Object.keys(node)[0] ?? '') : '';

/** The strings of a name list (`[{String:{sval:'public'}}, {String:{sval:'t'}}]` → `['public', 't']`). */
export const names = (list: readonly Node[] | undefined): string[] =>
  (list ?? []).flatMap((n) => {
    const s = as(n, 'String')?.sval;
    return s === undefined ? [] : [s];
  });

/** A relation's key for matching within one file: `schema.name`, unqualified names taken as `public`. */
export const relKey = (rv: RangeVar | undefined): string =>
  rv ? `${rv.schemaname ?? 'public'}.${rv.relname ?? ''}` : '';

/** A qualified name from a name list (type names, DROP objects): `['e']` → `public.e`. */
export const listKey = (list: readonly string[]): string =>
  list.length === 1 ? `public.${list[0]}` : list.slice(-2).join('.');

/** `schema.name` as written (unqualified stays unqualified), for messages. */
export const relLabel = (rv: RangeVar | undefined): string =>
  rv ? (rv.schemaname ? `${rv.schemaname}.${rv.relname}` : (rv.relname ?? '')) : '';

export type { TypeInfo } from '../model/type-change.js';
import type { TypeInfo } from '../model/type-change.js';

export const typeInfo = (t: TypeName | undefined): TypeInfo | undefined => {
  if (!t) return undefined;
  const parts = names(t.names);
  const name = parts.at(-1);
  if (!name) return undefined;
  const mods = (t.typmods ?? []).flatMap((m) => {
    const v = as(m, 'A_Const')?.ival?.ival;
    return v === undefined ? (as(m, 'A_Const') ? [0] : []) : [v];
  });
  const schema = parts.length > 1 && parts[0] !== 'pg_catalog' ? parts[0] : undefined;
  return { name, mods, array: (t.arrayBounds ?? []).length > 0, ...(schema ? { schema } : {}) };
};

/** serial types are integers with a sequence default: the column's stored type. */
const SERIAL_STORAGE: Readonly<Record<string, string>> = {
  serial: 'int4',
  serial4: 'int4',
  bigserial: 'int8',
  serial8: 'int8',
  smallserial: 'int2',
  serial2: 'int2',
};

/** The type a column holds (a serial column holds an integer). */
export const storedType = (t: TypeInfo): TypeInfo => {
  const name = SERIAL_STORAGE[t.name];
  return name ? { ...t, name } : t;
};

/** The SQL spelling of the parser's internal type names, for messages. */
const SPELLING: Readonly<Record<string, string>> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  bpchar: 'char',
};

/** `varchar(20)`, `numeric(10,2)`, `bigint[]`, for messages. */
export const typeLabel = (t: TypeInfo): string =>
  `${t.schema ? `${t.schema}.` : ''}${SPELLING[t.name] ?? t.name}${t.mods.length ? `(${t.mods.join(',')})` : ''}${t.array ? '[]' : ''}`;

/** Every node of the tree under `root` (depth first), including `root`. */
export function* walk(root: unknown): Generator<Record<string, unknown>> {
  if (root === null || typeof root !== 'object') return;
  if (Array.isArray(root)) {
    for (const item of root) yield* walk(item);
    return;
  }
  const obj = root as Record<string, unknown>;
  yield obj;
  for (const value of Object.values(obj)) if (value !== null && typeof value === 'object') yield* walk(value);
}

/** The last part of every function called under `root`, lower-case, with where it is called. */
export const functionCalls = (root: unknown): { name: string; location: number | undefined }[] => {
  const out: { name: string; location: number | undefined }[] = [];
  for (const obj of walk(root)) {
    const call = as(obj, 'FuncCall');
    const name = call ? names(call.funcname).at(-1) : undefined;
    if (call && name) out.push({ name: name.toLowerCase(), location: call.location });
  }
  return out;
};

/** Every string constant under `root`, with where it is. */
export const stringConstants = (root: unknown): { value: string; location: number | undefined }[] => {
  const out: { value: string; location: number | undefined }[] = [];
  for (const obj of walk(root)) {
    const c = as(obj, 'A_Const');
    if (c?.sval?.sval !== undefined) out.push({ value: c.sval.sval, location: c.location });
  }
  return out;
};

/** Every relation named under `root` (FROM items, targets), as `relKey`s. */
export const relationsUnder = (root: unknown): Set<string> => {
  const out = new Set<string>();
  for (const obj of walk(root)) {
    const rv = as(obj, 'RangeVar');
    if (rv?.relname) out.add(relKey(rv));
  }
  return out;
};
