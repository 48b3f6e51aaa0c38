import type { Change, EnumColumn, UserType } from '../model/change.js';
import * as K from '../model/keys.js';
import type { CompositeType, DomainType, EnumType } from '../model/schema.js';
import { pairBy, type DiffContext } from './index.js';

const typeId = (t: { schema: string; name: string }) => JSON.stringify([t.schema, t.name]);

/** Enums, domains and composite types. */
export const diffTypes = (ctx: DiffContext): Change[] => {
  const out: Change[] = [];
  const all = (s: typeof ctx.from): UserType[] => [...s.enums, ...s.domains, ...s.composites];
  const { removed, both, added } = pairBy(all(ctx.from), all(ctx.to), typeId);
  for (const t of removed) out.push({ kind: 'drop_type', from: t });
  for (const t of added) out.push({ kind: 'create_type', to: t });
  for (const [a, b] of both) {
    if (a.kind !== b.kind) {
      out.push({ kind: 'drop_type', from: a }, { kind: 'create_type', to: b });
    } else if (a.kind === 'enum') out.push(...diffEnum(ctx, a, b as EnumType));
    else if (a.kind === 'domain') out.push(...diffDomain(a, b as DomainType));
    else out.push(...diffComposite(a, b as CompositeType));
  }
  return out;
};

const isSubsequence = (xs: readonly string[], ys: readonly string[]) => {
  let i = 0;
  for (const y of ys) if (i < xs.length && xs[i] === y) i++;
  return i === xs.length;
};

/** Columns of the current schema that use the enum and survive with it (or its array) as their type. */
export const enumColumns = (ctx: DiffContext, e: EnumType): EnumColumn[] => {
  const out: EnumColumn[] = [];
  const tablesOf = (s: typeof ctx.from) => new Map(s.tables.map((t) => [typeId(t), t]));
  let from: Map<string, (typeof ctx.from.tables)[number]> | undefined;
  let to: typeof from;
  for (const dep of ctx.currentGraph.dependentsOf(K.typeKey(e.schema, e.name))) {
    const { kind, parts } = K.parseKey(dep);
    if (kind !== 'column') continue;
    const [schema, table, column] = parts as [string, string, string];
    from ??= tablesOf(ctx.from);
    to ??= tablesOf(ctx.to);
    const ta = from.get(typeId({ schema, name: table }));
    const tb = to.get(typeId({ schema, name: table }));
    const a = ta?.columns.find((c) => c.name === column);
    const b = tb?.columns.find((c) => c.name === column);
    if (tb && a && b && a.type === b.type && a.generated === null) out.push({ table: tb, from: a, to: b });
  }
  return out.sort((x, y) => typeId(x.table).localeCompare(typeId(y.table)) || (x.to.name < y.to.name ? -1 : 1));
};

const diffEnum = (ctx: DiffContext, a: EnumType, b: EnumType): Change[] => {
  if (JSON.stringify(a.labels) === JSON.stringify(b.labels)) {
    return a.comment === b.comment ? [] : [{ kind: 'alter_enum', from: a, to: b, renamedValues: [], columns: [] }];
  }
  const columns = enumColumns(ctx, a);
  if (isSubsequence(a.labels, b.labels)) return [{ kind: 'alter_enum', from: a, to: b, renamedValues: [], columns }];
  return [{ kind: 'recreate_enum', from: a, to: b, columns }];
};

const diffDomain = (a: DomainType, b: DomainType): Change[] => {
  if (a.baseType !== b.baseType || a.collation !== b.collation)
    return [{ kind: 'drop_type', from: a }, { kind: 'create_type', to: b }];
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ kind: 'alter_domain', from: a, to: b }];
};

/** In place when surviving attributes keep their order and new ones come last; otherwise rebuilt. */
const diffComposite = (a: CompositeType, b: CompositeType): Change[] => {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const kept = a.attributes.filter((x) => b.attributes.some((y) => y.name === x.name)).map((x) => x.name);
  const added = b.attributes.filter((y) => !a.attributes.some((x) => x.name === y.name)).map((y) => y.name);
  if (JSON.stringify([...kept, ...added]) !== JSON.stringify(b.attributes.map((y) => y.name)))
    return [{ kind: 'drop_type', from: a }, { kind: 'create_type', to: b }];
  return [{ kind: 'alter_composite', from: a, to: b }];
};
