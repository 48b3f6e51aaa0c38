/**
 * Rename hints: `--rename OLD=NEW` (and the DSL's `renamedFrom`). OLD is a qualified name of an object of the
 * *current* schema, NEW its new last part. Applying them rewrites the current schema under the new names, so the
 * keyed diff that follows sees the same object on both sides, and yields the RENAME changes that run first.
 */
import type { Change } from '../model/change.js';
import * as K from '../model/keys.js';
import type { Schema, Table } from '../model/schema.js';
import { printedIdent } from '../render/quote.js';
import { renameColumnIn, renameLocalFkColumn, renameReferencedColumn } from './rewrite.js';
import { followNotNullName } from '../model/not-null-name.js';

export { printedIdent } from '../render/quote.js';

export interface NamePart {
  readonly value: string;
  /** `"…"` keeps case; `'…'` marks an enum label; bare parts also match their lower-case form. */
  readonly quote: 'double' | 'single' | 'none';
}

export interface RenameHint {
  readonly path: readonly NamePart[];
  readonly to: string;
  /** The hint as the user wrote it, for messages. */
  readonly text: string;
  /**
   * A `renamedFrom` in code rather than a `--rename`. Hints stay in code after their migration, so one may meet a
   * database that never had the old shape: a column hint on a table the current schema does not have at all is
   * then moot (nothing there to keep), where the same `--rename` typed by hand is an error (a typo in the table).
   */
  readonly fromCode?: boolean;
}

export type Rename =
  | { readonly kind: 'table' | 'view' | 'index' | 'sequence' | 'type'; readonly schema: string; readonly from: string; readonly to: string }
  | { readonly kind: 'column' | 'constraint'; readonly schema: string; readonly table: string; readonly from: string; readonly to: string }
  | { readonly kind: 'enum_value'; readonly schema: string; readonly type: string; readonly from: string; readonly to: string };

/** A rename that cannot be applied: the message names the object; the CLI exits 3. */
export class RenameError extends Error {
  constructor(
    message: string,
    /** `missing`: OLD names nothing; `no-parent`: OLD's table does not exist; `taken`: NEW is already used. */
    readonly reason: 'missing' | 'no-parent' | 'taken',
    /** The hint as written (`OLD=NEW`). */
    readonly hint = '',
  ) {
    super(message);
  }
}

const splitParts = (text: string): NamePart[] | null => {
  const parts: NamePart[] = [];
  let i = 0;
  while (i < text.length) {
    const q = text[i];
    if (q === '"' || q === "'") {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= text.length) return null;
        if (text[j] === q) {
          if (text[j + 1] === q) {
            value += q;
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j++;
      }
      parts.push({ value, quote: q === '"' ? 'double' : 'single' });
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && text[j] !== '.') j++;
      const value = text.slice(i, j).trim();
      if (!value) return null;
      parts.push({ value, quote: 'none' });
      i = j;
    }
    if (i < text.length) {
      if (text[i] !== '.') return null;
      i++;
      if (i >= text.length) return null;
    }
  }
  return parts;
};

/** Parses `OLD=NEW`; the `=` is the last one outside quotes. Returns a message on error. */
export const parseRenameHint = (text: string): RenameHint | string => {
  let eq = -1;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '=') eq = i;
  }
  if (eq <= 0 || eq === text.length - 1) return `--rename ${text}: expected OLD=NEW, e.g. public.users.full_name=name`;
  const path = splitParts(text.slice(0, eq).trim());
  if (!path || path.length === 0 || path.length > 3)
    return `--rename ${text}: OLD must be schema.object or schema.table.column (parts may be "quoted")`;
  let to = text.slice(eq + 1).trim();
  if (/^".*"$/.test(to)) to = to.slice(1, -1).replace(/""/g, '"');
  else if (/^'.*'$/.test(to)) to = to.slice(1, -1).replace(/''/g, "'");
  if (!to) return `--rename ${text}: NEW is empty`;
  return { path, to, text };
};

const matches = (p: NamePart, name: string) => p.value === name || (p.quote === 'none' && p.value.toLowerCase() === name);

/**
 * Finds the object a hint names in `s` (the current schema, with earlier renames applied). A hint whose OLD is
 * gone while NEW exists was already carried out (hints stay in code after their migration): null, nothing to do.
 */
export const resolveRename = (s: Schema, hint: RenameHint): Rename | null => {
  try {
    return findRename(s, hint);
  } catch (e) {
    if (e instanceof RenameError && e.reason === 'missing' && alreadyRenamed(s, hint)) return null;
    if (e instanceof RenameError && e.reason === 'no-parent' && hint.fromCode) return null;
    throw e;
  }
};

const alreadyRenamed = (s: Schema, hint: RenameHint): boolean => {
  const path = [...hint.path.slice(0, -1), { value: hint.to, quote: 'double' as const }];
  try {
    findRename(s, { ...hint, path, to: `${hint.to}\u0000` });
    return true;
  } catch {
    return false;
  }
};

const findRename = (s: Schema, hint: RenameHint): Rename => {
  const parts = hint.path.length === 1 ? [{ value: 'public', quote: 'double' } as NamePart, ...hint.path] : hint.path;
  const where = `--rename ${hint.text}`;
  const schemaName = s.schemas.find((n) => matches(parts[0]!, n.name))?.name ?? parts[0]!.value;
  const relationNames = (schema: string) => [
    ...s.tables.filter((t) => t.schema === schema).map((t) => t.name),
    ...s.views.filter((v) => v.schema === schema).map((v) => v.name),
    ...s.indexes.filter((i) => i.schema === schema).map((i) => i.name),
    ...s.sequences.filter((q) => q.schema === schema).map((q) => q.name),
    ...s.tables
      .filter((t) => t.schema === schema)
      .flatMap((t) => t.constraints.filter((c) => c.type === 'primary' || c.type === 'unique' || c.type === 'exclusion').map((c) => c.name)),
  ];
  const typeNames = (schema: string) =>
    [...s.enums, ...s.domains, ...s.composites].filter((t) => t.schema === schema).map((t) => t.name);

  if (parts.length === 2) {
    const p = parts[1]!;
    const pick = <T extends { schema: string; name: string }>(xs: readonly T[]) =>
      xs.find((x) => x.schema === schemaName && matches(p, x.name));
    const candidates: [Rename['kind'], { name: string } | undefined][] = [
      ['table', pick(s.tables)],
      ['view', pick(s.views)],
      ['index', pick(s.indexes)],
      ['sequence', pick(s.sequences)],
      ['type', pick([...s.enums, ...s.domains, ...s.composites])],
    ];
    const found = candidates.find(([, x]) => x);
    if (!found) throw new RenameError(`${where}: no table, view, index, sequence or type ${schemaName}.${p.value} in the current schema`, 'missing', hint.text);
    const [kind, obj] = found;
    const from = obj!.name;
    if (from === hint.to) throw new RenameError(`${where}: the object is already called ${hint.to}`, 'taken', hint.text);
    const taken = kind === 'type' ? typeNames(schemaName) : relationNames(schemaName);
    if (taken.includes(hint.to)) throw new RenameError(`${where}: ${schemaName}.${hint.to} already exists`, 'taken', hint.text);
    return { kind: kind as 'table', schema: schemaName, from, to: hint.to };
  }

  const [, tp, xp] = parts as [NamePart, NamePart, NamePart];
  const en = s.enums.find((e) => e.schema === schemaName && matches(tp, e.name));
  if (en && (xp.quote === 'single' || !s.tables.some((t) => t.schema === schemaName && matches(tp, t.name)))) {
    const label = en.labels.find((l) => l === xp.value);
    if (label === undefined) throw new RenameError(`${where}: enum ${schemaName}.${en.name} has no value '${xp.value}'`, 'missing', hint.text);
    if (en.labels.includes(hint.to)) throw new RenameError(`${where}: enum ${schemaName}.${en.name} already has the value '${hint.to}'`, 'taken', hint.text);
    return { kind: 'enum_value', schema: schemaName, type: en.name, from: label, to: hint.to };
  }
  const table = s.tables.find((t) => t.schema === schemaName && matches(tp, t.name));
  if (!table) throw new RenameError(`${where}: no table ${schemaName}.${tp.value} in the current schema`, 'no-parent', hint.text);
  const col = table.columns.find((c) => matches(xp, c.name));
  if (col) {
    if (table.columns.some((c) => c.name === hint.to))
      throw new RenameError(`${where}: column ${schemaName}.${table.name}.${hint.to} already exists`, 'taken', hint.text);
    return { kind: 'column', schema: schemaName, table: table.name, from: col.name, to: hint.to };
  }
  const con = table.constraints.find((c) => matches(xp, c.name));
  if (con) {
    if (table.constraints.some((c) => c.name === hint.to))
      throw new RenameError(`${where}: constraint ${hint.to} already exists on ${schemaName}.${table.name}`, 'taken', hint.text);
    if (con.type !== 'foreign' && con.type !== 'check' && relationNames(schemaName).includes(hint.to))
      throw new RenameError(`${where}: ${schemaName}.${hint.to} already exists`, 'taken', hint.text);
    return { kind: 'constraint', schema: schemaName, table: table.name, from: con.name, to: hint.to };
  }
  throw new RenameError(`${where}: table ${schemaName}.${table.name} has no column or constraint ${xp.value}`, 'missing', hint.text);
};

const renameKey = (k: string, map: (kind: K.KeyKind, parts: string[]) => string[] | null): string => {
  const { kind, parts } = K.parseKey(k);
  const next = map(kind, parts);
  return next ? K.key(kind, ...next) : k;
};

/** Rewrites `s` as it will be after the rename, and returns the change that performs it. */
export const applyRename = (s: Schema, r: Rename): { schema: Schema; change: Change } => {
  switch (r.kind) {
    case 'table': {
      const from = s.tables.find((t) => t.schema === r.schema && t.name === r.from)!;
      const to: Table = { ...from, name: r.to, columns: from.columns.map((c) => ({ ...c, notNullName: followNotNullName(from.name, c, r.to, c.name) })) };
      const sameTable = (schema: string, name: string) => schema === r.schema && name === r.from;
      const schema: Schema = {
        ...s,
        tables: s.tables.map((t) => ({
          ...(sameTable(t.schema, t.name) ? to : t),
          partitionOf:
            t.partitionOf && sameTable(t.partitionOf.parentSchema, t.partitionOf.parent)
              ? { ...t.partitionOf, parent: r.to }
              : t.partitionOf,
          inherits: t.inherits.map((p) => (sameTable(p.schema, p.table) ? { ...p, table: r.to } : p)),
          constraints: t.constraints.map((c) =>
            c.references && sameTable(c.references.schema, c.references.table)
              ? { ...c, references: { schema: r.schema, table: r.to } }
              : c,
          ),
        })),
        indexes: s.indexes.map((i) => (sameTable(i.schema, i.table) ? { ...i, table: r.to } : i)),
        triggers: s.triggers.map((t) => (sameTable(t.schema, t.table) ? { ...t, table: r.to } : t)),
        policies: s.policies.map((p) => (sameTable(p.schema, p.table) ? { ...p, table: r.to } : p)),
        sequences: s.sequences.map((q) =>
          q.ownedBy && sameTable(q.ownedBy.schema, q.ownedBy.table) ? { ...q, ownedBy: { ...q.ownedBy, table: r.to } } : q,
        ),
        dependencies: mapDeps(s, (kind, parts) =>
          (kind === 'table' || kind === 'column' || kind === 'constraint' || kind === 'trigger' || kind === 'policy') &&
          parts[0] === r.schema &&
          parts[1] === r.from
            ? [r.schema, r.to, ...parts.slice(2)]
            : null,
        ),
      };
      return { schema, change: { kind: 'rename_table', from, to } };
    }
    case 'column': {
      const table = s.tables.find((t) => t.schema === r.schema && t.name === r.table)!;
      const from = table.columns.find((c) => c.name === r.from)!;
      const to = { ...from, name: r.to, notNullName: followNotNullName(table.name, from, table.name, r.to) };
      const onTable = (schema: string, name: string) => schema === r.schema && name === r.table;
      const col = (c: string) => (c === r.from ? r.to : c);
      const expr = (e: string | null) => (e === null ? null : renameColumnIn(e, r.from, r.to));
      const newTable: Table = {
        ...table,
        columns: table.columns.map((c) => ({ ...(c === from ? to : c), default: expr(c.default), generated: expr(c.generated) })),
        constraints: table.constraints.map((c) => ({
          ...c,
          columns: c.columns.map(col),
          definition: c.type === 'foreign' ? renameLocalFkColumn(c.definition, r.from, r.to) : renameColumnIn(c.definition, r.from, r.to),
        })),
      };
      const referencing = (t: Table): Table => ({
        ...t,
        constraints: t.constraints.map((c) =>
          c.references && onTable(c.references.schema, c.references.table)
            ? { ...c, definition: renameReferencedColumn(c.definition, r.from, r.to) }
            : c,
        ),
      });
      const schema: Schema = {
        ...s,
        tables: s.tables.map((t) => referencing(t === table ? newTable : t)),
        indexes: s.indexes.map((i) =>
          onTable(i.schema, i.table) ? { ...i, columns: i.columns.map(col), definition: renameIndexColumn(i.definition, r.from, r.to) } : i,
        ),
        policies: s.policies.map((p) =>
          onTable(p.schema, p.table) ? { ...p, using: expr(p.using), withCheck: expr(p.withCheck) } : p,
        ),
        sequences: s.sequences.map((q) =>
          q.ownedBy && onTable(q.ownedBy.schema, q.ownedBy.table) && q.ownedBy.column === r.from
            ? { ...q, ownedBy: { ...q.ownedBy, column: r.to } }
            : q,
        ),
        dependencies: mapDeps(s, (kind, parts) =>
          kind === 'column' && parts[0] === r.schema && parts[1] === r.table && parts[2] === r.from
            ? [r.schema, r.table, r.to]
            : null,
        ),
      };
      return { schema, change: { kind: 'rename_column', table: newTable, from, to } };
    }
    case 'constraint': {
      const table = s.tables.find((t) => t.schema === r.schema && t.name === r.table)!;
      const from = table.constraints.find((c) => c.name === r.from)!;
      const to = { ...from, name: r.to };
      const newTable: Table = { ...table, constraints: table.constraints.map((c) => (c === from ? to : c)) };
      const schema: Schema = {
        ...s,
        tables: s.tables.map((t) => (t === table ? newTable : t)),
        dependencies: mapDeps(s, (kind, parts) =>
          kind === 'constraint' && parts[0] === r.schema && parts[1] === r.table && parts[2] === r.from
            ? [r.schema, r.table, r.to]
            : null,
        ),
      };
      return { schema, change: { kind: 'rename_constraint', table: newTable, from, to } };
    }
    case 'index': {
      const from = s.indexes.find((i) => i.schema === r.schema && i.name === r.from)!;
      const to = { ...from, name: r.to };
      const schema: Schema = {
        ...s,
        indexes: s.indexes.map((i) => (i === from ? to : i)),
        dependencies: mapDeps(s, (kind, parts) =>
          kind === 'index' && parts[0] === r.schema && parts[1] === r.from ? [r.schema, r.to] : null,
        ),
      };
      return { schema, change: { kind: 'rename_index', from, to } };
    }
    case 'view': {
      const from = s.views.find((v) => v.schema === r.schema && v.name === r.from)!;
      const to = { ...from, name: r.to };
      const schema: Schema = {
        ...s,
        views: s.views.map((v) => (v === from ? to : v)),
        indexes: s.indexes.map((i) => (i.schema === r.schema && i.table === r.from ? { ...i, table: r.to } : i)),
        triggers: s.triggers.map((t) => (t.schema === r.schema && t.table === r.from ? { ...t, table: r.to } : t)),
        dependencies: mapDeps(s, (kind, parts) =>
          kind === 'view' && parts[0] === r.schema && parts[1] === r.from ? [r.schema, r.to] : null,
        ),
      };
      return { schema, change: { kind: 'rename_view', from, to } };
    }
    case 'sequence': {
      const from = s.sequences.find((q) => q.schema === r.schema && q.name === r.from)!;
      const to = { ...from, name: r.to };
      const schema: Schema = {
        ...s,
        sequences: s.sequences.map((q) => (q === from ? to : q)),
        dependencies: mapDeps(s, (kind, parts) =>
          kind === 'sequence' && parts[0] === r.schema && parts[1] === r.from ? [r.schema, r.to] : null,
        ),
      };
      return { schema, change: { kind: 'rename_sequence', from, to } };
    }
    case 'type': {
      const all = [...s.enums, ...s.domains, ...s.composites];
      const from = all.find((t) => t.schema === r.schema && t.name === r.from)!;
      const to = { ...from, name: r.to };
      const retype = typeNameRewriter(r.schema, r.from, r.to);
      const schema: Schema = {
        ...s,
        tables: s.tables.map((t) => ({
          ...t,
          columns: t.columns.map((c) => ({
            ...c,
            type: retype(c.type),
            default: c.default === null ? null : retype(c.default),
          })),
        })),
        enums: s.enums.map((t) => (t === from ? (to as typeof t) : t)),
        domains: s.domains.map((t) => ({
          ...(t === from ? (to as typeof t) : t),
          baseType: retype(t.baseType),
          default: t.default === null ? null : retype(t.default),
        })),
        composites: s.composites.map((t) => ({
          ...(t === from ? (to as typeof t) : t),
          attributes: t.attributes.map((a) => ({ ...a, type: retype(a.type) })),
        })),
        dependencies: mapDeps(s, (kind, parts) =>
          kind === 'type' && parts[0] === r.schema && parts[1] === r.from ? [r.schema, r.to] : null,
        ),
      };
      return { schema, change: { kind: 'rename_type', from, to } };
    }
    case 'enum_value': {
      const from = s.enums.find((e) => e.schema === r.schema && e.name === r.type)!;
      const to = { ...from, labels: from.labels.map((l) => (l === r.from ? r.to : l)) };
      return {
        schema: { ...s, enums: s.enums.map((e) => (e === from ? to : e)) },
        change: { kind: 'alter_enum', from, to, renamedValues: [[r.from, r.to]], columns: [] },
      };
    }
  }
};

const mapDeps = (s: Schema, map: (kind: K.KeyKind, parts: string[]) => string[] | null) =>
  s.dependencies.map((d) => ({ from: renameKey(d.from, map), to: renameKey(d.to, map) }));

/**
 * After `ALTER TYPE s.old RENAME TO new`, Postgres prints `s.new` wherever it printed `s.old`: in column types
 * (`s.old[]` too) and in casts inside defaults. The rewrite touches only whole qualified names.
 */
const typeNameRewriter = (schema: string, from: string, to: string) => {
  const oldName = `${printedIdent(schema)}.${printedIdent(from)}`;
  const newName = `${printedIdent(schema)}.${printedIdent(to)}`;
  const escaped = oldName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`(^|[^\\w".])${escaped}(?![\\w"$])`, 'g');
  return (text: string) => (text.includes(oldName) ? text.replace(re, (_m, pre: string) => `${pre}${newName}`) : text);
};

/** Only the part after USING: the index's and table's own names come before it. */
const renameIndexColumn = (definition: string, from: string, to: string): string => {
  const at = definition.indexOf(' USING ');
  return at < 0 ? definition : definition.slice(0, at) + renameColumnIn(definition.slice(at), from, to);
};
