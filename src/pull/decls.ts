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
  const add = (d: Omit<Decl, 'matchKey'> & { matchKey?: string }) => out.push({ ...d, matchKey: d.matchKey ?? d.key });

  for (const n of schema.schemas) {
    if (n.name === 'public') continue;
    add({ key: K.schemaKey(n.name), kind: 'schema', schema: n.name, name: n.name, file: `${dirOf(n.name)}schema.ts`, rank: 0, candidates: [camelCase(n.name), `${camelCase(n.name)}Schema`], render: (ctx) => schemaCode(ctx, n) });
  }
  for (const e of schema.extensions)
    add({ key: K.extensionKey(e.name), kind: 'extension', schema: e.schema, name: e.name, file: 'extensions.ts', rank: 1, candidates: [camelCase(e.name), `${camelCase(e.name)}Extension`], render: (ctx) => extensionCode(ctx, e) });
  for (const t of customTypes(schema)) {
    const m = /^(?:("(?:[^"]|"")*"|[^."]+)\.)?("(?:[^"]|"")*"|[^"]+)$/.exec(t);
    const s = m?.[1] ? m[1].replace(/^"|"$/g, '') : 'public';
    const bare = (m?.[2] ?? t).replace(/^"|"$/g, '').replace(/\(.*$/, '');
    const inKnownSchema = schema.schemas.some((n) => n.name === s) ? s : 'public';
    add({ key: customKey(t), kind: 'custom', schema: inKnownSchema, name: t, file: `${dirOf(inKnownSchema)}types.ts`, rank: 2, candidates: [camelCase(bare), `${camelCase(bare)}Type`], render: (ctx) => customTypeCode(ctx, t) });
  }
  for (const e of schema.enums)
    add({ key: K.typeKey(e.schema, e.name), kind: 'enum', schema: e.schema, name: e.name, file: `${dirOf(e.schema)}types.ts`, rank: 3, candidates: [camelCase(e.name), `${camelCase(e.name)}Enum`, camelCase(`${e.schema}_${e.name}`)], render: (_ctx, callee) => enumCode(callee('enumType'), e) });
  for (const d of schema.domains)
    add({ key: K.typeKey(d.schema, d.name), kind: 'domain', schema: d.schema, name: d.name, file: `${dirOf(d.schema)}types.ts`, rank: 4, candidates: [camelCase(d.name), `${camelCase(d.name)}Domain`, camelCase(`${d.schema}_${d.name}`)], render: (ctx, callee) => domainCode(ctx, callee('domain'), d) });
  for (const c of schema.composites)
    add({ key: K.typeKey(c.schema, c.name), kind: 'composite', schema: c.schema, name: c.name, file: `${dirOf(c.schema)}types.ts`, rank: 5, candidates: [camelCase(c.name), `${camelCase(c.name)}Type`, camelCase(`${c.schema}_${c.name}`)], render: (ctx, callee) => compositeCode(ctx, callee('compositeType'), c) });

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
  const fileOfTable = (t: Table) => tableFile.get(K.tableKey(rootOf(schema, t).schema, rootOf(schema, t).name)) ?? `${dirOf(t.schema)}tables.ts`;

  for (const s of schema.sequences) {
    if (info.serialSequences.has(K.sequenceKey(s.schema, s.name))) continue;
    const owner = s.ownedBy && schema.tables.find((t) => t.schema === s.ownedBy!.schema && t.name === s.ownedBy!.table);
    add({ key: K.sequenceKey(s.schema, s.name), kind: 'sequence', schema: s.schema, name: s.name, file: owner ? fileOfTable(owner) : `${dirOf(s.schema)}sequences.ts`, rank: 6, candidates: [camelCase(s.name), `${camelCase(s.name)}Seq`, camelCase(`${s.schema}_${s.name}`)], render: (ctx, callee) => sequenceCode(ctx, callee('sequence'), s, info) });
  }
  const overloads = new Map<string, number>();
  for (const r of schema.functions) overloads.set(`${r.schema}.${r.name}`, (overloads.get(`${r.schema}.${r.name}`) ?? 0) + 1);
  const ordinal = new Map<string, number>();
  for (const r of schema.functions) {
    const n = ordinal.get(`${r.schema}.${r.name}`) ?? 0;
    ordinal.set(`${r.schema}.${r.name}`, n + 1);
    const many = (overloads.get(`${r.schema}.${r.name}`) ?? 0) > 1;
    const candidates = many ? [camelCase(`${r.name}_${r.identityArgs.replace(/\b(IN|OUT|INOUT|VARIADIC)\b/g, '') || 'noargs'}`)] : [camelCase(r.name), `${camelCase(r.name)}Fn`];
    add({
      key: K.functionKey(r.schema, r.name, r.identityArgs),
      matchKey: JSON.stringify(['function', r.schema, r.name, n]),
      kind: 'function', schema: r.schema, name: r.name, file: `${dirOf(r.schema)}functions.ts`, rank: 7, candidates,
      render: (ctx, callee) => routineCode(ctx, callee(r.procedure ? 'procedure' : 'fn'), r, options.details.get(K.functionKey(r.schema, r.name, r.identityArgs))),
    });
  }
  for (const t of schema.tables) {
    const key = K.tableKey(t.schema, t.name);
    add({
      key, kind: 'table', schema: t.schema, name: t.name, file: fileOfTable(t), rank: t.partitionOf ? 9 : 8,
      candidates: [camelCase(t.name), `${camelCase(t.name)}Table`, camelCase(`${t.schema}_${t.name}`)],
      render: (ctx, callee) => tableCode({ ctx, info, t, key, keys: new Map(t.columns.map((c) => [c.name, info.columnKey(key, c.name)!])) }, callee('table')),
    });
  }
  viewOrder(schema).forEach((v, i) =>
    add({
      key: K.viewKey(v.schema, v.name), kind: 'view', schema: v.schema, name: v.name, file: `${dirOf(v.schema)}views.ts`, rank: 10 + i / 100000,
      candidates: [camelCase(v.name), `${camelCase(v.name)}View`, camelCase(`${v.schema}_${v.name}`)],
      render: (ctx, callee) => viewCode(ctx, callee(v.materialized ? 'materializedView' : 'view'), v),
    }),
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
