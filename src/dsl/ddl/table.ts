/** CREATE TABLE and everything declared with a table: constraints, indexes, triggers, policies, comments, grants. */
import { ident, qname } from '../../render/quote.js';
import { dataOf, DSL } from '../brand.js';
import type { BoundColumnData, IndexElementData } from '../bound-column.js';
import type { ColumnData } from '../column.js';
import type { ConstraintData } from '../constraints.js';
import type { TableData } from '../table-data.js';
import { bigText, commentSql, deferrableSql, grantSql, withSql } from './common.js';
import { type RenderContext } from './context.js';
import { DIAGNOSTIC_CODES as C } from './diagnostic.js';
import { renderIndex } from './index-sql.js';
import { renderPolicy, renderTrigger } from './trigger-policy.js';
import { type Declared, partSite, type Site } from './site.js';
import { type Emitted, stmt } from './statement.js';
import { fragmentSql } from './sql-text.js';
import { isJsonType, typeSql } from './types.js';
import { defaultLiteral } from './values.js';

export const tableName = (t: { readonly schema: string; readonly name: string }) => qname(t.schema, t.name);

/** A collation as written: a plain name is quoted (`"C"`, `"en-x-icu"`); a qualified or quoted one is kept. */
export const collationSql = (c: string): string => (/[."]/.test(c) ? c : ident(c));

/** Everything a table part needs: the table, its declaration, the context, and a place to add statements. */
export interface TablePartContext {
  readonly t: TableData;
  readonly d: Declared;
  readonly ctx: RenderContext;
  readonly out: Emitted[];
}

/** Whether `t` inherits (`inherits`, at any depth) from `ancestor`: its columns are `t`'s too. */
const inheritsFrom = (t: TableData, ancestor: TableData, seen = new Set<TableData>()): boolean =>
  t.inherits.some((thunk) => {
    let parent: unknown;
    try {
      parent = dataOf(thunk());
    } catch {
      return false;
    }
    if ((parent as { kind?: string } | undefined)?.kind !== 'table' || seen.has(parent as TableData)) return false;
    seen.add(parent as TableData);
    return parent === ancestor || inheritsFrom(parent as TableData, ancestor, seen);
  });

/** A column of this table (or one it inherits from a parent table), or a problem reported at `site`. */
export const ownColumn = (p: TablePartContext, value: unknown, site: Site, what: string): BoundColumnData | undefined => {
  const b = dataOf(value);
  if (b?.kind !== 'bound-column') {
    p.ctx.report(C.missingReference, site, `${what}: expected a column of ${tableName(p.t)} (t.someColumn), got ${String(value)}`);
    return undefined;
  }
  const col = b as BoundColumnData;
  if (col.table !== p.t && !inheritsFrom(p.t, col.table)) {
    p.ctx.report(C.missingReference, site, `${what}: column ${col.table.name}.${col.name} is not a column of ${p.t.name}`);
    return undefined;
  }
  return col;
};

/** A key of an index or exclusion constraint: a column, an expression, or either with opclass/order. */
export const elementSql = (p: TablePartContext, key: unknown, site: Site, what: string): string => {
  const data = dataOf(key);
  if (data?.kind === 'sql') return `(${fragmentSql(data as never, p.ctx.refs(site))})`;
  if (data?.kind === 'index-element') {
    const e = data as IndexElementData;
    let out = elementSql(p, e.target, site, what);
    if (e.collation) out += ` COLLATE ${collationSql(e.collation)}`;
    if (e.opclass) out += ` ${e.opclass}`;
    if (e.order) out += ` ${e.order}`;
    if (e.nulls) out += ` NULLS ${e.nulls}`;
    return out;
  }
  const col = ownColumn(p, key, site, what);
  return col ? ident(col.name) : '"?"';
};

const identitySql = (c: ColumnData): string => {
  const id = c.identity!;
  const opts: string[] = [];
  if (id.sequenceName) opts.push(`SEQUENCE NAME ${ident(id.sequenceName)}`);
  if (id.start !== undefined) opts.push(`START WITH ${bigText(id.start)}`);
  if (id.increment !== undefined) opts.push(`INCREMENT BY ${bigText(id.increment)}`);
  if (id.minValue !== undefined) opts.push(`MINVALUE ${bigText(id.minValue)}`);
  if (id.maxValue !== undefined) opts.push(`MAXVALUE ${bigText(id.maxValue)}`);
  if (id.cache !== undefined) opts.push(`CACHE ${bigText(id.cache)}`);
  if (id.cycle !== undefined) opts.push(id.cycle ? 'CYCLE' : 'NO CYCLE');
  return ` GENERATED ${id.always ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY${opts.length ? ` (${opts.join(' ')})` : ''}`;
};

const named = (name: string | undefined) => (name === undefined ? '' : `CONSTRAINT ${ident(name)} `);

/** A column definition with its column-level constraints (so Postgres names unnamed ones as for hand-written SQL). */
const columnSql = (p: TablePartContext, b: BoundColumnData, site: Site): string => {
  const c = b.column;
  const refs = p.ctx.refs(site);
  let out = `${ident(b.name)} ${typeSql(c.type, c.dims, refs)}`;
  if (c.collation) out += ` COLLATE ${collationSql(c.collation)}`;
  if (c.generated) out += ` GENERATED ALWAYS AS (${fragmentSql(c.generated[DSL], refs)}) ${c.generatedVirtual ? 'VIRTUAL' : 'STORED'}`;
  if (c.default) {
    const dflt = c.default;
    const text = p.ctx.guard(site, `default of ${b.name}`, () =>
      dflt.kind === 'sql' ? fragmentSql(dflt.sql[DSL], refs) : defaultLiteral(dflt.value, isJsonType(c.type) && c.dims === 0, c.dims),
    'NULL');
    out += ` DEFAULT ${text}`;
  }
  if (c.notNull) out += c.notNullName === null ? ' NOT NULL' : ` CONSTRAINT ${ident(c.notNullName)} NOT NULL`;
  if (c.identity) out += identitySql(c);
  if (c.primaryKey) out += ' PRIMARY KEY';
  if (c.unique) out += ` ${named(c.unique.name)}UNIQUE${c.unique.nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''}`;
  for (const check of c.checks) out += ` ${named(check.name)}CHECK (${fragmentSql(check.expression[DSL], refs)})`;
  return out;
};

/** Referenced columns of a foreign key: all of one declared table. */
const referencedColumns = (p: TablePartContext, targets: unknown, site: Site, what: string): BoundColumnData[] | undefined => {
  const list = Array.isArray(targets) ? targets : [targets];
  const cols = list.map((x) => dataOf(x));
  if (list.length === 0 || cols.some((c) => c?.kind !== 'bound-column')) {
    const shown = list.map((x) => (x === undefined ? 'undefined' : String(x))).join(', ');
    p.ctx.report(C.missingReference, site, `${what} does not name a column of a declared table (got ${shown || 'nothing'}); check the column's name`);
    return undefined;
  }
  const bound = cols as BoundColumnData[];
  if (new Set(bound.map((b) => b.table)).size > 1) {
    p.ctx.report(C.missingReference, site, `${what} names columns of more than one table`);
    return undefined;
  }
  p.ctx.refs(site)(bound[0]!.table);
  return bound;
};

const actionsSql = (o: { onDelete?: string; onUpdate?: string; match?: string }) =>
  (o.match ? ` MATCH ${o.match.toUpperCase()}` : '') +
  (o.onDelete ? ` ON DELETE ${o.onDelete.toUpperCase()}` : '') +
  (o.onUpdate ? ` ON UPDATE ${o.onUpdate.toUpperCase()}` : '');

const foreignKeySql = (
  p: TablePartContext,
  site: Site,
  name: string | undefined,
  columns: readonly BoundColumnData[],
  target: readonly BoundColumnData[],
  o: { onDelete?: string; onUpdate?: string; match?: string; deferrable?: boolean | 'immediate' | 'deferred'; notValid?: boolean },
) => {
  if (columns.length !== target.length)
    p.ctx.report(C.invalidDeclaration, site, `foreign key has ${columns.length} column(s) but references ${target.length}`);
  const ref = target[0]!.table;
  p.out.push({
    phase: 'foreign-key',
    statement: stmt(
      `ALTER TABLE ${tableName(p.t)} ADD ${named(name)}FOREIGN KEY (${columns.map((c) => ident(c.name)).join(', ')}) REFERENCES ${tableName(ref)} (${target
        .map((c) => ident(c.name))
        .join(', ')})${actionsSql(o)}${deferrableSql(o.deferrable ?? false)}${o.notValid ? ' NOT VALID' : ''}`,
      `foreign key on ${tableName(p.t)}`,
      site,
    ),
  });
};

/** A table constraint: inline in CREATE TABLE, or (foreign keys, NOT VALID checks) an ALTER TABLE afterwards. */
const constraintSql = (p: TablePartContext, c: ConstraintData, site: Site): string | undefined => {
  const what = `${c.kind} constraint on ${p.t.name}`;
  const cols = (xs: readonly unknown[]) =>
    xs.map((x) => ownColumn(p, x, site, what)).filter((x): x is BoundColumnData => x !== undefined);
  const list = (xs: readonly unknown[]) => cols(xs).map((x) => ident(x.name)).join(', ');
  switch (c.kind) {
    case 'primary-key':
      return `${named(c.name)}PRIMARY KEY (${list(c.columns)})${deferrableSql(c.deferrable)}`;
    case 'unique':
      return `${named(c.name)}UNIQUE${c.nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''} (${list(c.columns)})${deferrableSql(c.deferrable)}`;
    case 'check': {
      const body = `${named(c.name)}CHECK (${fragmentSql(c.expression[DSL], p.ctx.refs(site))})${c.noInherit ? ' NO INHERIT' : ''}`;
      if (!c.notValid) return body;
      p.out.push({ phase: 'foreign-key', statement: stmt(`ALTER TABLE ${tableName(p.t)} ADD ${body} NOT VALID`, what, site) });
      return undefined;
    }
    case 'exclude': {
      const elements = c.elements.map((e) => `${elementSql(p, e.key, site, what)} WITH ${e.operator}`).join(', ');
      const where = c.where ? ` WHERE (${fragmentSql(c.where[DSL], p.ctx.refs(site))})` : '';
      return `${named(c.name)}EXCLUDE USING ${c.using} (${elements})${where}${deferrableSql(c.deferrable)}`;
    }
    case 'foreign-key': {
      const ref = p.ctx.resolve(site, c.references, 'foreign key references');
      const target = ref && referencedColumns(p, ref.value, site, `foreign key references ${String(c.references)}`);
      const own = cols(c.columns);
      if (target && own.length === c.columns.length) foreignKeySql(p, site, c.name, own, target, c);
      return undefined;
    }
  }
};

const EXTRA_KINDS = new Set(['primary-key', 'unique', 'foreign-key', 'check', 'exclude', 'index', 'trigger', 'policy']);

/** The statements of one declared table. */
export const renderTable = (d: Declared, ctx: RenderContext): Emitted[] => {
  const t = d.data as TableData;
  const out: Emitted[] = [];
  const p: TablePartContext = { t, d, ctx, out };
  const name = tableName(t);
  const needs: object[] = [];

  // Column definitions and inline constraints, with spans so a Postgres error position finds its declaration.
  const parts: { text: string; site: Site }[] = [];
  for (const b of t.columns) {
    const site = partSite(d, `column:${b.key}`);
    parts.push({ text: columnSql(p, b, site), site });
    const ref = b.column.references;
    if (ref) {
      const resolved = ctx.resolve(site, ref.target, `${b.key}.references`);
      const target = resolved && referencedColumns(p, resolved.value, site, `${b.key}.references(${String(ref.target)})`);
      if (target) foreignKeySql(p, site, ref.name, [b], target, ref);
    }
  }
  const extras = ctx.guard(d.site, `extras of ${t.name}`, () => t.extras(), []);
  extras.forEach((x, i) => {
    const site = partSite(d, `extra:${i}`);
    const data = dataOf(x);
    if (!data || !EXTRA_KINDS.has(data.kind)) {
      ctx.report(C.invalidDeclaration, site, `extras of ${t.name}: expected a constraint, index, trigger or policy, got ${data?.kind ?? String(x)}`);
      return;
    }
    if (data.kind === 'index') return renderIndex(p, data as never, site);
    if (data.kind === 'trigger') return renderTrigger(p, data as never, site);
    if (data.kind === 'policy') return renderPolicy(p, data as never, site);
    const text = constraintSql(p, data as ConstraintData, site);
    if (text !== undefined) parts.push({ text, site });
    const c = data as ConstraintData;
    if (c.comment !== null) {
      if (c.name === undefined) ctx.report(C.invalidDeclaration, site, `a commented constraint needs a name: give it one (${c.kind}({ name: … }) or check('name', …))`);
      else out.push({ phase: 'comment', statement: stmt(commentSql(`CONSTRAINT ${ident(c.name)} ON ${name}`, c.comment)[0]!, `constraint ${c.name} on ${name}`, site) });
    }
  });

  let head = `CREATE ${t.unlogged ? 'UNLOGGED ' : ''}TABLE ${name}`;
  let tail = '';
  if (t.partitionOf) {
    const resolved = ctx.resolve(d.site, t.partitionOf.parent, 'partitionOf.parent');
    const parent = resolved && dataOf(resolved.value);
    if (parent?.kind !== 'table') {
      if (resolved) ctx.report(C.missingReference, d.site, `partitionOf.parent ${String(t.partitionOf.parent)} is not a declared table`);
    } else {
      ctx.refs(d.site, needs)(parent);
      head += ` PARTITION OF ${tableName(parent as TableData)}`;
    }
    tail += ` ${fragmentSql(t.partitionOf.bound[DSL], ctx.refs(d.site))}`;
    if (t.columns.length > 0)
      ctx.report(C.invalidDeclaration, d.site, `partition ${t.name} declares columns; a partition has its parent's columns: declare it with {}`);
  }
  const parents = t.inherits.flatMap((thunk, i) => {
    const resolved = ctx.resolve(d.site, thunk, `inherits[${i}]`);
    const parent = resolved && dataOf(resolved.value);
    if (parent?.kind !== 'table') {
      if (resolved) ctx.report(C.missingReference, d.site, `inherits[${i}] ${String(thunk)} is not a declared table`);
      return [];
    }
    ctx.refs(d.site, needs)(parent);
    return [tableName(parent as TableData)];
  });
  if (parents.length && t.partitionOf) ctx.report(C.invalidDeclaration, d.site, `table ${t.name}: a partition cannot also inherit (inherits and partitionOf)`);
  if (parents.length) tail += ` INHERITS (${parents.join(', ')})`;
  if (t.partitionBy) tail += ` PARTITION BY ${fragmentSql(t.partitionBy[DSL], ctx.refs(d.site))}`;
  tail += withSql(t.with);

  let sql = `${head} (`;
  const spans: { start: number; end: number; site: Site }[] = [];
  const body = t.partitionOf ? parts.slice(t.columns.length) : parts;
  if (body.length === 0 && t.partitionOf) sql = head;
  else {
    body.forEach((x, i) => {
      sql += `${i === 0 ? '' : ','}\n  `;
      spans.push({ start: sql.length, end: sql.length + x.text.length, site: x.site });
      sql += x.text;
    });
    sql += body.length ? '\n)' : ')';
  }
  out.push({ phase: 'table', statement: stmt(sql + tail, `table ${name}`, d.site, spans), creates: t, needs });

  if (t.rls) out.push({ phase: 'policy', statement: stmt(`ALTER TABLE ${name} ENABLE ROW LEVEL SECURITY`, `table ${name}`, d.site) });
  if (t.forceRls) out.push({ phase: 'policy', statement: stmt(`ALTER TABLE ${name} FORCE ROW LEVEL SECURITY`, `table ${name}`, d.site) });
  for (const s of commentSql(`TABLE ${name}`, t.comment)) out.push({ phase: 'comment', statement: stmt(s, `table ${name}`, d.site) });
  for (const b of t.columns) {
    const site = partSite(d, `column:${b.key}`);
    const target = `COLUMN ${name}.${ident(b.name)}`;
    for (const s of commentSql(target, b.column.comment)) out.push({ phase: 'comment', statement: stmt(s, `column ${t.name}.${b.name}`, site) });
    const grants = b.column.grants.map((g) => ({ ...g, columns: [b.name] }));
    for (const s of grantSql(`TABLE ${name}`, grants)) out.push({ phase: 'grant', statement: stmt(s, `column ${t.name}.${b.name}`, site) });
  }
  for (const s of grantSql(`TABLE ${name}`, t.grants)) out.push({ phase: 'grant', statement: stmt(s, `table ${name}`, d.site) });
  return out;
};
