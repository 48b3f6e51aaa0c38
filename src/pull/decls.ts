/**
 * The schema as a list of declarations to write: one per exported value, each with its key, the file it goes to
 * when it is new (the layout rule below), the export names it may take, and a function that renders it.
 *
 * Layout: `public` lives at the top of the schema directory, every other Postgres schema in a folder of its name
 * (with `schema.ts` declaring it). In each: `types.ts` (custom types, enums, domains, composites),
 * `functions.ts`, `sequences.ts` (sequences no table owns), `views.ts`, and the tables: one file per table, or
 * all in `tables.ts` when the schema has at most SMALL_SCHEMA tables. A sequence owned by a column and a partition
 * go in the file of their table. Extensions are in `extensions.ts`.
 */
import * as K from '../model/keys.js';
import type { Schema, Table } from '../model/schema.js';
import type { Code } from './code.js';
import { customKey, type DeclContext } from './context.js';
import { camelCase, fileStem } from './names.js';
import {
  compositeCode,
  customTypeCode,
  domainCode,
  enumCode,
  extensionCode,
  routineCode,
  schemaCode,
  sequenceCode,
  viewCode,
} from './objects.js';
import type { RoutineDetails } from './routine-details.js';
import { tableCode } from './table.js';
import { type TableInfo, tableInfo } from './table-info.js';
import { baseType, isBuiltinOrDeclared } from './types.js';

/** A schema with at most this many tables is written to one `tables.ts`. */
export const SMALL_SCHEMA = 5;

export type DeclKind = 'schema' | 'extension' | 'custom' | 'enum' | 'domain' | 'composite' | 'sequence' | 'function' | 'table' | 'view';

export interface Decl {
  readonly key: string;
  /**
   * How an existing declaration is recognised in a file: the key, except for functions (a file says their name,
   * not their identity arguments), which are told apart by their place among overloads of one name.
   */
  readonly matchKey: string;
  readonly kind: DeclKind;
  readonly schema: string;
  readonly name: string;
  /** Relative path (posix) of the file a new declaration goes to. */
  readonly file: string;
  /** Export names to try, in order. */
  readonly candidates: readonly string[];
  /** Position among declarations of one file (smaller first). */
  readonly rank: number;
  readonly render: (ctx: DeclContext, callee: (name: string) => string) => Code | undefined;
}

const RESERVED_STEMS = new Set(['schema', 'types', 'functions', 'sequences', 'views', 'tables', 'extensions', 'index']);

const dirOf = (schema: string) => (schema === 'public' ? '' : `${fileStem(schema)}/`);

export interface DeclOptions {
  readonly details: ReadonlyMap<string, RoutineDetails>;
}

/** Custom types: the element types of columns, attributes and domains that have no builder and are not declared. */
const customTypes = (schema: Schema): string[] => {
  const declared = (s: string, n: string) =>
    [...schema.enums, ...schema.domains, ...schema.composites].some((x) => x.schema === s && x.name === n);
  const types = new Set<string>();
  const visit = (t: string) => {
    if (!isBuiltinOrDeclared(t, declared)) types.add(baseType(t));
  };
  for (const t of schema.tables) for (const c of t.columns) visit(c.type);
  for (const c of schema.composites) for (const a of c.attributes) visit(a.type);
  for (const d of schema.domains) visit(d.baseType);
  return [...types].sort();
};

/** The root table of a partition tree (partitions go in its file). */
const rootOf = (schema: Schema, t: Table): Table => {
  let cur = t;
  for (let i = 0; cur.partitionOf && i < 100; i++) {
    const p = cur.partitionOf;
    const parent = schema.tables.find((x) => x.schema === p.parentSchema && x.name === p.parent);
    if (!parent) break;
    cur = parent;
  }
  return cur;
};

export const declarations = (schema: Schema, options: DeclOptions): { decls: Decl[]; info: TableInfo } => {
  const info = tableInfo(schema);
  const out: Decl[] = [];
  /** A declaration; its export names to try: the camelCase name, with a kind suffix, then with the schema. */
  const add = (
    kind: DeclKind,
    key: string,
    o: { readonly schema: string; readonly name: string; readonly bare?: string },
    place: { readonly file: string; readonly rank: number; readonly suffix: string; readonly matchKey?: string; readonly candidates?: readonly string[] },
    render: Decl['render'],
  ) => {
    const n = camelCase(o.bare ?? o.name);
    const candidates = place.candidates ?? [n, `${n}${place.suffix}`, ...(kind === 'schema' || kind === 'extension' || kind === 'custom' ? [] : [camelCase(`${o.schema}_${o.name}`)])];
    out.push({ key, matchKey: place.matchKey ?? key, kind, schema: o.schema, name: o.name, file: place.file, rank: place.rank, candidates, render });
  };

  for (const n of schema.schemas) {
    if (n.name === 'public') continue;
    add('schema', K.schemaKey(n.name), { schema: n.name, name: n.name }, { file: `${dirOf(n.name)}schema.ts`, rank: 0, suffix: 'Schema' }, (ctx) => schemaCode(ctx, n));
  }
  for (const e of schema.extensions)
    add('extension', K.extensionKey(e.name), e, { file: 'extensions.ts', rank: 1, suffix: 'Extension' }, (ctx) => extensionCode(ctx, e));
  for (const t of customTypes(schema)) {
    const m = /^(?:("(?:[^"]|"")*"|[^."]+)\.)?("(?:[^"]|"")*"|[^"]+)$/.exec(t);
    const s = m?.[1] ? m[1].replace(/^"|"$/g, '') : 'public';
    const bare = (m?.[2] ?? t).replace(/^"|"$/g, '').replace(/\(.*$/, '');
    const home = schema.schemas.some((n) => n.name === s) ? s : 'public';
    add('custom', customKey(t), { schema: home, name: t, bare }, { file: `${dirOf(home)}types.ts`, rank: 2, suffix: 'Type' }, (ctx) => customTypeCode(ctx, t));
  }
  for (const e of schema.enums)
    add('enum', K.typeKey(e.schema, e.name), e, { file: `${dirOf(e.schema)}types.ts`, rank: 3, suffix: 'Enum' }, (_ctx, callee) => enumCode(callee('enumType'), e));
  for (const d of schema.domains)
    add('domain', K.typeKey(d.schema, d.name), d, { file: `${dirOf(d.schema)}types.ts`, rank: 4, suffix: 'Domain' }, (ctx, callee) =>
      domainCode(ctx, callee('domain'), d),
    );
  for (const c of schema.composites)
    add('composite', K.typeKey(c.schema, c.name), c, { file: `${dirOf(c.schema)}types.ts`, rank: 5, suffix: 'Type' }, (ctx, callee) =>
      compositeCode(ctx, callee('compositeType'), c),
    );

  const tableCount = new Map<string, number>();
  for (const t of schema.tables) if (!t.partitionOf) tableCount.set(t.schema, (tableCount.get(t.schema) ?? 0) + 1);
  const tableFile = new Map<string, string>();
  const stems = new Map<string, Set<string>>();
  for (const t of [...schema.tables].sort((a, b) => (a.schema + a.name < b.schema + b.name ? -1 : 1))) {
    if (t.partitionOf) continue;
    let file: string;
    if ((tableCount.get(t.schema) ?? 0) <= SMALL_SCHEMA) file = `${dirOf(t.schema)}tables.ts`;
    else {
      const used = stems.get(t.schema) ?? stems.set(t.schema, new Set()).get(t.schema)!;
      let stem = fileStem(t.name);
      if (RESERVED_STEMS.has(stem)) stem = `${stem}_table`;
      const base = stem;
      for (let i = 2; used.has(stem); i++) stem = `${base}_${i}`;
      used.add(stem);
      file = `${dirOf(t.schema)}${stem}.ts`;
    }
    tableFile.set(K.tableKey(t.schema, t.name), file);
  }
  const fileOfTable = (t: Table) => {
    const root = rootOf(schema, t);
    return tableFile.get(K.tableKey(root.schema, root.name)) ?? `${dirOf(t.schema)}tables.ts`;
  };

  for (const s of schema.sequences) {
    if (info.serialSequences.has(K.sequenceKey(s.schema, s.name))) continue;
    const owner = s.ownedBy && schema.tables.find((t) => t.schema === s.ownedBy!.schema && t.name === s.ownedBy!.table);
    const file = owner ? fileOfTable(owner) : `${dirOf(s.schema)}sequences.ts`;
    add('sequence', K.sequenceKey(s.schema, s.name), s, { file, rank: 6, suffix: 'Seq' }, (ctx, callee) => sequenceCode(ctx, callee('sequence'), s, info));
  }
  const overloads = new Map<string, number>();
  for (const r of schema.functions) overloads.set(`${r.schema}.${r.name}`, (overloads.get(`${r.schema}.${r.name}`) ?? 0) + 1);
  const ordinal = new Map<string, number>();
  for (const r of schema.functions) {
    const n = ordinal.get(`${r.schema}.${r.name}`) ?? 0;
    ordinal.set(`${r.schema}.${r.name}`, n + 1);
    const many = (overloads.get(`${r.schema}.${r.name}`) ?? 0) > 1;
    const key = K.functionKey(r.schema, r.name, r.identityArgs);
    const place = {
      file: `${dirOf(r.schema)}functions.ts`,
      rank: 7,
      suffix: 'Fn',
      matchKey: JSON.stringify(['function', r.schema, r.name, n]),
      ...(many ? { candidates: [camelCase(`${r.name}_${r.identityArgs.replace(/\b(IN|OUT|INOUT|VARIADIC)\b/g, '') || 'noargs'}`)] } : {}),
    };
    add('function', key, r, place, (ctx, callee) => routineCode(ctx, callee(r.procedure ? 'procedure' : 'fn'), r, options.details.get(key)));
  }
  for (const t of schema.tables) {
    const key = K.tableKey(t.schema, t.name);
    const keys = new Map(t.columns.map((c) => [c.name, info.columnKey(key, c.name)!]));
    add('table', key, t, { file: fileOfTable(t), rank: t.partitionOf ? 9 : 8, suffix: 'Table' }, (ctx, callee) => tableCode({ ctx, info, t, key, keys }, callee('table')));
  }
  viewOrder(schema).forEach((v, i) =>
    add('view', K.viewKey(v.schema, v.name), v, { file: `${dirOf(v.schema)}views.ts`, rank: 10 + i / 100000, suffix: 'View' }, (ctx, callee) =>
      viewCode(ctx, callee(v.materialized ? 'materializedView' : 'view'), v),
    ),
  );
  return { decls: out, info };
};

/** Views, each after the views it reads (a view's `sql` interpolates them, so they must be initialized first). */
const viewOrder = (schema: Schema) => {
  const byKey = new Map(schema.views.map((v) => [K.viewKey(v.schema, v.name), v]));
  const deps = new Map<string, string[]>();
  for (const d of schema.dependencies) {
    if (!byKey.has(d.from)) continue;
    const { kind, parts } = K.parseKey(d.to);
    const to = kind === 'view' || kind === 'column' ? K.viewKey(parts[0]!, parts[1]!) : undefined;
    if (to && to !== d.from && byKey.has(to)) (deps.get(d.from) ?? deps.set(d.from, []).get(d.from)!).push(to);
  }
  const done = new Set<string>();
  const out: (typeof schema.views)[number][] = [];
  const visit = (k: string, depth: number) => {
    if (done.has(k) || depth > 1000) return;
    done.add(k);
    for (const x of deps.get(k) ?? []) visit(x, depth + 1);
    out.push(byKey.get(k)!);
  };
  for (const k of byKey.keys()) visit(k, 0);
  return out;
};
