/**
 * Kysely's `DB` interface from a normalized schema (`keikaku types --kysely FILE`): one interface per table and view,
 * keyed as Kysely names relations (`table` in `public`, `schema.table` elsewhere). Value types are those
 * `InferRow` gives for the same columns (what `pg` and PGlite return, `db/value-types.ts`); inserts and updates
 * accept the wider inputs the driver takes. Names are hostile: every key and literal is a JSON string, and
 * interface names are made from letters and digits only.
 */
import type { Column, DomainType, EnumType, Schema, Table, View } from '../model/schema.js';

/** A view's columns with their types (`format_type`), which the schema model does not keep. */
export interface ViewColumn {
  readonly name: string;
  readonly type: string;
}

export interface KyselyInput {
  readonly schema: Schema;
  /** Columns of each view, by `schema.name` key (`viewKey`); a view missing here gets `unknown` columns. */
  readonly viewColumns: ReadonlyMap<string, readonly ViewColumn[]>;
  /** Lines for the header comment (e.g. what it was generated from). */
  readonly header?: readonly string[];
}

export const viewKey = (schema: string, name: string): string => `${schema}\u0000${name}`;

/** Kysely's key for a relation: bare in `public`, else `schema.name`. */
const relationKey = (schema: string, name: string): string => (schema === 'public' ? name : `${schema}.${name}`);

const IDENT = /^[A-Za-z_$][\w$]*$/;
const prop = (name: string): string => (IDENT.test(name) ? name : JSON.stringify(name));

/** Type text such as `character varying(20)[]` → its base name without modifiers and its array dimensions. */
const parseType = (type: string): { readonly base: string; readonly dims: number } => {
  let base = type.trim();
  let dims = 0;
  while (base.endsWith('[]')) {
    base = base.slice(0, -2).trimEnd();
    dims++;
  }
  // Modifiers: `numeric(10,2)`, `timestamp(3) with time zone`, `character varying(20)`.
  base = base.replace(/\([^()]*\)/g, '').replace(/\s+/g, ' ').trim();
  return { base, dims };
};

/** `"my schema"."mood"` or `mood` → [schema or null, name], unquoted. */
const splitQualified = (text: string): [string | null, string] => {
  const parts: string[] = [];
  const re = /"((?:[^"]|"")*)"|([^."]+)/g;
  for (const m of text.matchAll(re)) parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!);
  return parts.length >= 2 ? [parts[parts.length - 2]!, parts[parts.length - 1]!] : [null, parts[0] ?? text];
};

/** Select type, and the insert/update type when the driver takes more (`Date | string` for a timestamptz). */
interface Mapped {
  readonly select: string;
  readonly input?: string;
}

const BUILT_IN: Readonly<Record<string, Mapped>> = {
  smallint: { select: 'number' },
  integer: { select: 'number' },
  bigint: { select: 'string', input: 'string | number | bigint' },
  real: { select: 'number' },
  'double precision': { select: 'number' },
  numeric: { select: 'string', input: 'string | number' },
  money: { select: 'string' },
  oid: { select: 'number' },
  boolean: { select: 'boolean' },
  text: { select: 'string' },
  'character varying': { select: 'string' },
  character: { select: 'string' },
  bpchar: { select: 'string' },
  name: { select: 'string' },
  citext: { select: 'string' },
  uuid: { select: 'string' },
  'timestamp with time zone': { select: 'Date', input: 'Date | string' },
  'timestamp without time zone': { select: 'string', input: 'Date | string' },
  date: { select: 'string', input: 'Date | string' },
  'time without time zone': { select: 'string' },
  'time with time zone': { select: 'string' },
  interval: { select: 'string' },
  json: { select: 'Json', input: 'Json' },
  jsonb: { select: 'Json', input: 'Json' },
  bytea: { select: 'Uint8Array' },
  inet: { select: 'string' },
  cidr: { select: 'string' },
  macaddr: { select: 'string' },
  macaddr8: { select: 'string' },
  bit: { select: 'string' },
  'bit varying': { select: 'string' },
  tsvector: { select: 'string' },
  tsquery: { select: 'string' },
  xml: { select: 'string' },
  point: { select: '{ x: number; y: number }' },
  circle: { select: '{ x: number; y: number; radius: number }' },
  line: { select: 'string' },
  lseg: { select: 'string' },
  box: { select: 'string' },
  path: { select: 'string' },
  polygon: { select: 'string' },
  int4range: { select: 'string' },
  int8range: { select: 'string' },
  numrange: { select: 'string' },
  tsrange: { select: 'string' },
  tstzrange: { select: 'string' },
  daterange: { select: 'string' },
  ltree: { select: 'string' },
};

const withDims = (t: string, dims: number): string => {
  let out = t;
  for (let i = 0; i < dims; i++) out = /^[\w.]+$/.test(out) ? `${out}[]` : `(${out})[]`;
  return out;
};

class TypeMapper {
  private readonly enums = new Map<string, EnumType>();
  private readonly domains = new Map<string, DomainType>();
  private readonly composites = new Set<string>();
  constructor(schema: Schema) {
    for (const e of schema.enums) this.enums.set(viewKey(e.schema, e.name), e);
    for (const d of schema.domains) this.domains.set(viewKey(d.schema, d.name), d);
    for (const c of schema.composites) this.composites.add(viewKey(c.schema, c.name));
  }

  /** The declared type `text` names (qualified, or in `public` as the shadow's search_path prints it). */
  private declared<T>(map: ReadonlyMap<string, T>, text: string): T | undefined {
    const [schema, name] = splitQualified(text);
    return map.get(viewKey(schema ?? 'public', name)) ?? (schema === null ? undefined : map.get(viewKey('public', text)));
  }

  map(type: string, depth = 0): Mapped {
    const { base, dims } = parseType(type);
    const built = BUILT_IN[base.replace(/^pg_catalog\./, '')];
    let m: Mapped;
    if (built) m = built;
    else {
      const e = this.declared(this.enums, base);
      const d = e ? undefined : this.declared(this.domains, base);
      const [cs, cn] = splitQualified(base);
      if (e) m = { select: e.labels.map((l) => JSON.stringify(l)).join(' | ') || 'never' };
      else if (d && depth < 16) m = this.map(d.baseType, depth + 1);
      else if (this.composites.has(viewKey(cs ?? 'public', cn))) m = { select: 'string' };
      else m = { select: 'unknown' };
    }
    if (dims === 0) return m;
    return { select: withDims(m.select, dims), ...(m.input ? { input: withDims(m.input, dims) } : {}) };
  }
}

/** `ColumnType<S, I, U>` when inputs differ from the select type, else the select type. */
const columnType = (m: Mapped, nullable: boolean): string => {
  const n = (t: string) => (nullable ? `${t} | null` : t);
  return m.input && m.input !== m.select ? `ColumnType<${n(m.select)}, ${n(m.input)}, ${n(m.input)}>` : n(m.select);
};

/**
 * Kysely does not look inside a `ColumnType` wrapped in `Generated`: a defaulted column with wider inputs is one
 * `ColumnType` whose insert type also takes `undefined`, as `Generated` would make it.
 */
const tableColumn = (c: Column, mapper: TypeMapper): string => {
  const m = mapper.map(c.type);
  const n = (t: string) => (c.notNull ? t : `${t} | null`);
  if (c.generated !== null || c.identity?.always) return `GeneratedAlways<${n(m.select)}>`;
  const wider = m.input !== undefined && m.input !== m.select;
  if (c.default !== null || c.identity) return wider ? `ColumnType<${n(m.select)}, ${n(m.input!)} | undefined, ${n(m.input!)}>` : `Generated<${n(m.select)}>`;
  return columnType(m, !c.notNull);
};

/** Interface names: letters and digits of the parts, PascalCase; unique, never empty, never a digit first. */
const interfaceNamer = () => {
  const used = new Set<string>(['DB', 'Json', 'JsonValue', 'ColumnType', 'Generated', 'GeneratedAlways']);
  return (schema: string, name: string): string => {
    const words = [...(schema === 'public' ? [] : [schema]), name].flatMap((p) => p.split(/[^A-Za-z0-9]+/)).filter(Boolean);
    let base = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('') || 'Relation';
    if (/^\d/.test(base)) base = `T${base}`;
    let out = base;
    for (let i = 2; used.has(out); i++) out = `${base}${i}`;
    used.add(out);
    return out;
  };
};

const block = (name: string, fields: readonly string[], note: string): string =>
  `/** ${note} */\nexport interface ${name} {\n${fields.map((f) => `  ${f};\n`).join('')}}\n`;

/** `public.x`, or with quotes where a name needs them, for the doc comment; never holds `*\/`. */
const shownName = (schema: string, name: string): string =>
  JSON.stringify(`${schema}.${name}`).replace(/\*\//g, '*\\/').replace(/[\u2028\u2029]/g, ' ');

/** The whole file: imports, `Json`, one interface per relation, and `DB`. */
export const kyselyTypes = (input: KyselyInput): string => {
  const { schema } = input;
  const mapper = new TypeMapper(schema);
  const namer = interfaceNamer();
  type Rel = { readonly key: string; readonly iface: string; readonly text: string };
  const rels: Rel[] = [];
  const tables = [...schema.tables].filter((t) => t.partitionOf === null);
  const byKey = (a: { schema: string; name: string }, b: { schema: string; name: string }) =>
    relationKey(a.schema, a.name) < relationKey(b.schema, b.name) ? -1 : relationKey(a.schema, a.name) > relationKey(b.schema, b.name) ? 1 : 0;
  const inherited = (t: Table, seen = new Set<Table>()): Column[] => {
    seen.add(t);
    const parents = t.inherits.flatMap((p) => schema.tables.filter((x) => x.schema === p.schema && x.name === p.table && !seen.has(x)));
    const own = new Map(t.columns.map((c) => [c.name, c]));
    const fromParents = parents.flatMap((p) => inherited(p, seen)).filter((c) => !own.has(c.name));
    return [...fromParents, ...[...t.columns].sort((a, b) => a.position - b.position)];
  };
  for (const t of tables.sort(byKey)) {
    const iface = namer(t.schema, t.name);
    const fields = inherited(t).map((c) => `${prop(c.name)}: ${tableColumn(c, mapper)}`);
    rels.push({ key: relationKey(t.schema, t.name), iface, text: block(iface, fields, `Table ${shownName(t.schema, t.name)}.`) });
  }
  for (const v of [...schema.views].sort(byKey) as View[]) {
    const iface = namer(v.schema, v.name);
    const typed = input.viewColumns.get(viewKey(v.schema, v.name));
    const cols = typed ?? v.columns.map((name) => ({ name, type: '' }));
    // A view's columns are read-only here (`never` to insert or update); Postgres does not know their nullability.
    const fields = cols.map((c) => {
      const m = c.type ? mapper.map(c.type) : { select: 'unknown' };
      return `${prop(c.name)}: ColumnType<${m.select === 'unknown' ? 'unknown' : `${m.select} | null`}, never, never>`;
    });
    const what = v.materialized ? 'Materialized view' : 'View';
    rels.push({ key: relationKey(v.schema, v.name), iface, text: block(iface, fields, `${what} ${shownName(v.schema, v.name)} (read-only).`) });
  }
  const header = (input.header ?? []).map((h) => `// ${h.replace(/[\r\n\u2028\u2029]/g, ' ')}\n`).join('');
  return [
    `${header}import type { ColumnType, Generated, GeneratedAlways } from 'kysely';\n`,
    // As the DSL's `JsonValue`, so `InferDbRow` and `Selectable<DB[…]>` agree.
    'export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };\n' +
      'export type Json = JsonValue;\n',
    ...rels.map((r) => r.text),
    block('DB', rels.map((r) => `${prop(r.key)}: ${r.iface}`), 'Every table and view, keyed as Kysely names them.'),
  ].join('\n');
};
