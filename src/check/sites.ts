/**
 * Where schema/ declares each object, by object key (model/keys.ts), so a finding about a live or generated object
 * points at the TypeScript that declares it: a column at its property, a named index or constraint at its element
 * of the table's extras, anything else of a table (an unnamed constraint, a column added by hand) at the table.
 */
import { dataOf } from '../dsl/brand.js';
import type { Declared, Site } from '../dsl/ddl/site.js';
import type { Change } from '../model/change.js';
import { assertNever } from '../model/change.js';
import * as K from '../model/keys.js';

/**
 * Declarations by object key, with the part that declares the object. Sites are read only for objects a finding
 * is about: a declaration's part positions come from its file's syntax tree, which is slow to build.
 */
export type Sites = ReadonlyMap<string, { readonly declared: Declared; readonly part?: string }>;

type Entry = Sites extends ReadonlyMap<string, infer V> ? V : never;

interface Named {
  readonly kind: string;
  readonly name?: string;
  readonly schema?: string;
}

/** Functions are found by name: a declaration's argument list is not the text Postgres prints for it. */
const routineKey = (schema: string, name: string) => K.key('function', schema, name);

const extrasOf = (data: { readonly extras?: () => readonly unknown[] }): readonly unknown[] => {
  try {
    return data.extras?.() ?? [];
  } catch {
    return []; // the loader already reported a table whose extras throw
  }
};

const tableSites = (d: Declared, out: Map<string, Entry>) => {
  const t = d.data as unknown as {
    schema: string;
    name: string;
    columns: readonly { key: string; name: string }[];
    extras: () => readonly unknown[];
  };
  out.set(K.tableKey(t.schema, t.name), { declared: d });
  for (const c of t.columns) out.set(K.columnKey(t.schema, t.name, c.name), { declared: d, part: `column:${c.key}` });
  extrasOf(t).forEach((e, i) => {
    const x = dataOf(e) as Named | undefined;
    const site = { declared: d, part: `extra:${i}` };
    if (!x?.name) return;
    if (x.kind === 'index') out.set(K.indexKey(t.schema, x.name), site);
    else if (x.kind === 'trigger') out.set(K.triggerKey(t.schema, t.name, x.name), site);
    else if (x.kind === 'policy') out.set(K.policyKey(t.schema, t.name, x.name), site);
    else out.set(K.constraintKey(t.schema, t.name, x.name), site);
  });
};

/** Every declared object's site, by key. */
export const declaredSites = (declared: readonly Declared[]): Sites => {
  const out = new Map<string, Entry>();
  for (const d of declared) {
    const x = d.data as Named;
    const schema = x.schema ?? 'public';
    const name = x.name ?? '';
    switch (x.kind) {
      case 'table':
        tableSites(d, out);
        break;
      case 'schema':
        out.set(K.schemaKey(name), { declared: d });
        break;
      case 'extension':
        out.set(K.extensionKey(name), { declared: d });
        break;
      case 'enum':
      case 'domain':
      case 'composite':
        out.set(K.typeKey(schema, name), { declared: d });
        break;
      case 'sequence':
        out.set(K.sequenceKey(schema, name), { declared: d });
        break;
      case 'view':
        out.set(K.viewKey(schema, name), { declared: d });
        break;
      case 'function':
        out.set(routineKey(schema, name), { declared: d });
        break;
      default:
        break;
    }
  }
  return out;
};

type TablePart = { readonly schema: string; readonly name: string };

const columnsOf = (table: TablePart, columns: readonly string[]) =>
  columns.length === 1 && columns[0] ? [K.columnKey(table.schema, table.name, columns[0])] : [];

/** The keys that could locate a change's object, most precise first (a column, then its table). */
export const changeKeys = (c: Change): string[] => {
  switch (c.kind) {
    case 'create_schema':
    case 'alter_schema':
      return [K.schemaKey(c.to.name)];
    case 'drop_schema':
      return [K.schemaKey(c.from.name)];
    case 'create_extension':
    case 'alter_extension':
      return [K.extensionKey(c.to.name)];
    case 'drop_extension':
      return [K.extensionKey(c.from.name)];
    case 'create_type':
    case 'rename_type':
    case 'alter_enum':
    case 'recreate_enum':
    case 'alter_domain':
    case 'alter_composite':
      return [K.typeKey(c.to.schema, c.to.name)];
    case 'drop_type':
      return [K.typeKey(c.from.schema, c.from.name)];
    case 'create_sequence':
    case 'rename_sequence':
    case 'alter_sequence':
    case 'set_sequence_owner': {
      const owner = c.to.ownedBy;
      return [K.sequenceKey(c.to.schema, c.to.name), ...(owner ? [K.columnKey(owner.schema, owner.table, owner.column), K.tableKey(owner.schema, owner.table)] : [])];
    }
    case 'drop_sequence':
      return [K.sequenceKey(c.from.schema, c.from.name)];
    case 'create_table':
    case 'rename_table':
    case 'alter_table':
      return [K.tableKey(c.to.schema, c.to.name)];
    case 'drop_table':
      return [K.tableKey(c.from.schema, c.from.name)];
    case 'add_column':
    case 'rename_column':
    case 'alter_column':
      return [K.columnKey(c.table.schema, c.table.name, c.to.name), K.tableKey(c.table.schema, c.table.name)];
    case 'drop_column':
      return [K.columnKey(c.table.schema, c.table.name, c.from.name), K.tableKey(c.table.schema, c.table.name)];
    case 'add_constraint':
    case 'rename_constraint':
    case 'alter_constraint':
      return [K.constraintKey(c.table.schema, c.table.name, c.to.name), ...columnsOf(c.table, c.to.columns), K.tableKey(c.table.schema, c.table.name)];
    case 'drop_constraint':
      return [K.constraintKey(c.table.schema, c.table.name, c.from.name), ...columnsOf(c.table, c.from.columns), K.tableKey(c.table.schema, c.table.name)];
    case 'create_index':
    case 'rename_index':
    case 'alter_index': {
      const t = { schema: c.to.schema, name: c.to.table };
      return [K.indexKey(c.to.schema, c.to.name), ...columnsOf(t, c.to.columns), K.tableKey(t.schema, t.name)];
    }
    case 'drop_index': {
      const t = { schema: c.from.schema, name: c.from.table };
      return [K.indexKey(c.from.schema, c.from.name), ...columnsOf(t, c.from.columns), K.tableKey(t.schema, t.name)];
    }
    case 'create_view':
    case 'rename_view':
    case 'alter_view':
      return [K.viewKey(c.to.schema, c.to.name)];
    case 'drop_view':
      return [K.viewKey(c.from.schema, c.from.name)];
    case 'create_function':
    case 'replace_function':
    case 'alter_function':
      return [routineKey(c.to.schema, c.to.name)];
    case 'drop_function':
      return [routineKey(c.from.schema, c.from.name)];
    case 'create_trigger':
    case 'alter_trigger':
      return [K.triggerKey(c.to.schema, c.to.table, c.to.name), K.tableKey(c.to.schema, c.to.table)];
    case 'drop_trigger':
      return [K.triggerKey(c.from.schema, c.from.table, c.from.name), K.tableKey(c.from.schema, c.from.table)];
    case 'create_policy':
    case 'alter_policy':
      return [K.policyKey(c.to.schema, c.to.table, c.to.name), K.tableKey(c.to.schema, c.to.table)];
    case 'drop_policy':
      return [K.policyKey(c.from.schema, c.from.table, c.from.name), K.tableKey(c.from.schema, c.from.table)];
    default:
      return assertNever(c);
  }
};

/** The declaration site of a change's object, or of the nearest declared object around it. */
export const siteOfChange = (c: Change, sites: Sites): Site | undefined => {
  for (const k of changeKeys(c)) {
    const e = sites.get(k);
    if (e) return (e.part && e.declared.parts.get(e.part)) || e.declared.site;
  }
  return undefined;
};
