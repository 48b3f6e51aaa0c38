/**
 * Facts about the whole schema that single table declarations need: property keys of every table's columns (a
 * foreign key in one file names a column of another), which sequences are really `serial` columns, and which
 * references sit on a cycle (TypeScript needs those annotated: `(): ColumnRef => staffs.id`).
 */
import * as K from '../model/keys.js';
import type { Column, Schema, Sequence, Table } from '../model/schema.js';
import { camelCase } from './names.js';
import { parseConstraintDef } from './constraint-defs.js';
import { printedIdent } from '../render/quote.js';

export interface TableInfo {
  /** Property key of a column, by table key and column name. */
  columnKey(tableKey: string, column: string): string | undefined;
  /** The table key of the nearest inheritance ancestor that declares `column` for this table, if any. */
  inheritedFrom(tableKey: string, column: string): string | undefined;
  /** The serial builder of a column whose sequence is the one `serial` creates, else undefined. */
  serialOf(t: Table, c: Column): 'serial' | 'bigserial' | 'smallserial' | undefined;
  /** Sequences that stand for serial columns (not declared by themselves). */
  readonly serialSequences: ReadonlySet<string>;
  /** Whether a reference from table `from` to table `to` is part of a cycle of references (or is a self-reference). */
  cyclic(from: string, to: string): boolean;
}

export const TYPE_RANGE: Readonly<Record<string, readonly [string, string]>> = {
  smallint: ['-32768', '32767'],
  integer: ['-2147483648', '2147483647'],
  bigint: ['-9223372036854775808', '9223372036854775807'],
};
const SERIAL: Readonly<Record<string, 'serial' | 'bigserial' | 'smallserial'>> = { integer: 'serial', bigint: 'bigserial', smallint: 'smallserial' };

/** Keys for a table's columns: camelCase, unique within the table (a clash keeps the SQL name, then numbers). */
export const columnKeys = (t: Table): Map<string, string> => {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const c of [...t.columns].sort((a, b) => a.position - b.position)) {
    let k = camelCase(c.name);
    if (used.has(k)) k = c.name;
    for (let i = 2; used.has(k); i++) k = `${camelCase(c.name)}${i}`;
    used.add(k);
    out.set(c.name, k);
  }
  return out;
};

/** `nextval('public.t_id_seq'::regclass)` as Postgres prints it for this sequence. */
export const nextvalText = (schema: string, name: string): string =>
  `nextval('${`${printedIdent(schema)}.${printedIdent(name)}`.replace(/'/g, "''")}'::regclass)`;

const isSerialSequence = (t: Table, c: Column, s: Sequence): boolean => {
  const range = TYPE_RANGE[c.type];
  return (
    range !== undefined &&
    s.ownedBy !== null && s.ownedBy.schema === t.schema && s.ownedBy.table === t.name && s.ownedBy.column === c.name &&
    s.schema === t.schema && s.name === `${t.name}_${c.name}_seq` && Buffer.byteLength(s.name) <= 63 &&
    s.type === c.type && s.start === '1' && s.increment === '1' && s.min === '1' && s.max === range[1] && s.cache === '1' && !s.cycle &&
    s.comment === null && s.grants.length === 0 &&
    c.notNull && c.identity === null && c.generated === null && c.default === nextvalText(s.schema, s.name)
  );
};

export const tableInfo = (schema: Schema): TableInfo => {
  const keys = new Map<string, Map<string, string>>();
  for (const t of schema.tables) keys.set(K.tableKey(t.schema, t.name), columnKeys(t));
  const sequences = new Map(schema.sequences.map((s) => [K.sequenceKey(s.schema, s.name), s]));
  const serial = new Map<string, 'serial' | 'bigserial' | 'smallserial'>();
  const serialSequences = new Set<string>();
  for (const t of schema.tables) {
    for (const c of t.columns) {
      const m = c.default === null ? null : /^nextval\('(.*)'::regclass\)$/.exec(c.default);
      if (!m) continue;
      const s = [...sequences.values()].find((x) => x.ownedBy?.table === t.name && x.ownedBy.schema === t.schema && x.ownedBy.column === c.name);
      if (s && isSerialSequence(t, c, s)) {
        serial.set(K.columnKey(t.schema, t.name, c.name), SERIAL[c.type]!);
        serialSequences.add(K.sequenceKey(s.schema, s.name));
      }
    }
  }
  // Tarjan's strongly connected components over foreign-key edges.
  const edges = new Map<string, Set<string>>();
  for (const t of schema.tables) {
    const from = K.tableKey(t.schema, t.name);
    for (const c of t.constraints) {
      if (c.type !== 'foreign') continue;
      const d = parseConstraintDef(c.definition);
      const to = d?.kind === 'foreign' ? K.tableKey(d.refSchema, d.refTable) : c.references ? K.tableKey(c.references.schema, c.references.table) : undefined;
      if (to) (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(to);
    }
  }
  const component = new Map<string, number>();
  let index = 0;
  let count = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      for (;;) {
        const w = stack.pop()!;
        onStack.delete(w);
        component.set(w, count);
        if (w === v) break;
      }
      count++;
    }
  };
  for (const v of edges.keys()) if (!idx.has(v)) strong(v);
  const byKey = new Map(schema.tables.map((t) => [K.tableKey(t.schema, t.name), t]));
  const inheritedFrom = (tableKey: string, column: string, seen = new Set<string>()): string | undefined => {
    for (const p of byKey.get(tableKey)?.inherits ?? []) {
      const pk = K.tableKey(p.schema, p.table);
      if (seen.has(pk)) continue;
      seen.add(pk);
      if (keys.get(pk)?.has(column)) return pk;
      const up = inheritedFrom(pk, column, seen);
      if (up) return up;
    }
    return undefined;
  };
  return {
    columnKey: (tableKey, column) => keys.get(tableKey)?.get(column),
    inheritedFrom: (tableKey, column) => inheritedFrom(tableKey, column),
    serialOf: (t, c) => serial.get(K.columnKey(t.schema, t.name, c.name)),
    serialSequences,
    cyclic: (from, to) => from === to || (component.get(from) !== undefined && component.get(from) === component.get(to)),
  };
};
