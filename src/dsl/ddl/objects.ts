/** Statements of every declared object other than tables. */
import { dollarQuoted, ident, literal, qname } from '../../render/quote.js';
import { dataOf, DSL } from '../brand.js';
import type { IndexElementData } from '../bound-column.js';
import type { IndexData } from '../indexes.js';
import type { CompositeData } from '../composite.js';
import type { DomainData } from '../domain.js';
import type { EnumData } from '../enum.js';
import type { ExtensionData, SchemaData } from '../namespace.js';
import type { RoutineData } from '../routine.js';
import type { SequenceData } from '../sequence.js';
import type { ViewData } from '../view.js';
import { bigText, commentSql, grantSql, withSql } from './common.js';
import { dataOfKind, type RenderContext } from './context.js';
import { DIAGNOSTIC_CODES as C } from './diagnostic.js';
import type { Declared, Site } from './site.js';
import { type Emitted, type Phase, stmt } from './statement.js';
import { fragmentSql } from './sql-text.js';
import type { BoundColumnData } from '../bound-column.js';
import { collationSql } from './table.js';
import { isJsonType, typeSourceSql, typeSql } from './types.js';
import { defaultLiteral } from './values.js';

/** The trailing statements every object may have. */
const extras = (d: Declared, object: string, target: string, comment: string | null, grants: Parameters<typeof grantSql>[1] = []): Emitted[] => [
  ...commentSql(target, comment).map((s) => ({ phase: 'comment' as const, statement: stmt(s, object, d.site) })),
  ...grantSql(target, grants).map((s) => ({ phase: 'grant' as const, statement: stmt(s, object, d.site) })),
];

export const renderSchema = (d: Declared): Emitted[] => {
  const s = d.data as SchemaData;
  const object = `schema ${s.name}`;
  // `public` exists in every database; declaring it only adds its comment and grants.
  const create: Emitted[] = s.name === 'public' ? [] : [{ phase: 'schema', statement: stmt(`CREATE SCHEMA ${ident(s.name)}`, object, d.site), creates: s }];
  return [...create, ...extras(d, object, `SCHEMA ${ident(s.name)}`, s.comment, s.grants)];
};

export const renderExtension = (d: Declared): Emitted[] => {
  const e = d.data as ExtensionData;
  return [
    {
      phase: 'extension',
      statement: stmt(`CREATE EXTENSION IF NOT EXISTS ${ident(e.name)} WITH SCHEMA ${ident(e.schema)}`, `extension ${e.name}`, d.site),
      creates: e,
    },
  ];
};

export const renderEnum = (d: Declared): Emitted[] => {
  const e = d.data as EnumData;
  const name = qname(e.schema, e.name);
  const object = `enum ${e.schema}.${e.name}`;
  const labels = e.values.map((v) => literal(v.label)).join(', ');
  return [
    { phase: 'type', statement: stmt(`CREATE TYPE ${name} AS ENUM (${labels})`, object, d.site), creates: e },
    ...extras(d, object, `TYPE ${name}`, e.comment),
  ];
};

export const renderDomain = (d: Declared, ctx: RenderContext): Emitted[] => {
  const t = d.data as DomainData;
  const name = qname(t.schema, t.name);
  const object = `domain ${t.schema}.${t.name}`;
  const needs: object[] = [];
  const refs = ctx.refs(d.site, needs);
  let sql = `CREATE DOMAIN ${name} AS ${typeSql(t.base, t.baseDims, refs)}`;
  if (t.collation) sql += ` COLLATE ${collationSql(t.collation)}`;
  const dflt = t.default;
  if (dflt) {
    const text = ctx.guard(d.site, `default of domain ${t.name}`, () =>
      dflt.kind === 'sql' ? fragmentSql(dflt.sql[DSL], refs) : defaultLiteral(dflt.value, isJsonType(t.base) && t.baseDims === 0, t.baseDims),
    'NULL');
    sql += ` DEFAULT ${text}`;
  }
  if (t.notNull) sql += ' NOT NULL';
  // A CHECK may call a function that reads a table of this domain's type (or that takes the domain): the checks
  // are added once every function exists, in their declared order, so unnamed ones get the names (`<domain>_check`,
  // `<domain>_check1`, …) that inline checks would have had.
  const out: Emitted[] = [];
  for (const c of t.checks) {
    const checkNeeds: object[] = [];
    const check = `${c.name === undefined ? '' : `CONSTRAINT ${ident(c.name)} `}CHECK (${fragmentSql(c.expression[DSL], ctx.refs(d.site, checkNeeds))})`;
    out.push({
      phase: 'domain-check',
      statement: stmt(`ALTER DOMAIN ${name} ADD ${check}${c.notValid ? ' NOT VALID' : ''}`, object, d.site),
      needs: checkNeeds,
    });
  }
  return [{ phase: 'type', statement: stmt(sql, object, d.site), creates: t, needs }, ...out, ...extras(d, object, `DOMAIN ${name}`, t.comment)];
};

export const renderComposite = (d: Declared, ctx: RenderContext): Emitted[] => {
  const t = d.data as CompositeData;
  const name = qname(t.schema, t.name);
  const object = `type ${t.schema}.${t.name}`;
  const needs: object[] = [];
  const refs = ctx.refs(d.site, needs);
  const attrs = t.attributes
    .map((a) => `${ident(a.name)} ${typeSql(a.type, a.dims, refs)}${a.collation ? ` COLLATE ${collationSql(a.collation)}` : ''}`)
    .join(', ');
  return [
    { phase: 'type', statement: stmt(`CREATE TYPE ${name} AS (${attrs})`, object, d.site), creates: t, needs },
    ...extras(d, object, `TYPE ${name}`, t.comment),
  ];
};

export const renderSequence = (d: Declared, ctx: RenderContext): Emitted[] => {
  const s = d.data as SequenceData;
  const name = qname(s.schema, s.name);
  const object = `sequence ${s.schema}.${s.name}`;
  let sql = `CREATE SEQUENCE ${name}`;
  if (s.as) sql += ` AS ${s.as}`;
  if (s.increment !== null) sql += ` INCREMENT BY ${bigText(s.increment)}`;
  if (s.minValue !== null) sql += ` MINVALUE ${bigText(s.minValue)}`;
  if (s.maxValue !== null) sql += ` MAXVALUE ${bigText(s.maxValue)}`;
  if (s.start !== null) sql += ` START WITH ${bigText(s.start)}`;
  if (s.cache !== null) sql += ` CACHE ${bigText(s.cache)}`;
  if (s.cycle) sql += ' CYCLE';
  const out: Emitted[] = [{ phase: 'sequence', statement: stmt(sql, object, d.site), creates: s }];
  if (s.ownedBy) {
    const owner = ctx.resolve(d.site, s.ownedBy, 'ownedBy');
    const col = owner && dataOfKind<BoundColumnData>(owner.value, 'bound-column');
    // No owner: resolve reported why.
    if (owner && !col) ctx.report(C.missingReference, d.site, `sequence ${s.name}: ownedBy ${String(s.ownedBy)} does not name a column of a declared table`);
    else if (col) {
      ctx.refs(d.site)(col.table);
      out.push({
        phase: 'owned-by',
        statement: stmt(`ALTER SEQUENCE ${name} OWNED BY ${qname(col.table.schema, col.table.name)}.${ident(col.name)}`, object, d.site),
      });
    }
  }
  return [...out, ...extras(d, object, `SEQUENCE ${name}`, s.comment, s.grants)];
};

/** A key of a materialized view's index: an expression (a bare column name is one), with opclass/order. */
const viewIndexKey = (ctx: RenderContext, site: Site, key: unknown, what: string): string => {
  const data = dataOf(key) as { kind: string } | undefined;
  if (data?.kind === 'sql') return `(${fragmentSql(data as never, ctx.refs(site))})`;
  if (data?.kind === 'index-element') {
    const e = data as IndexElementData;
    let out = viewIndexKey(ctx, site, e.target, what);
    if (e.collation) out += ` COLLATE ${collationSql(e.collation)}`;
    if (e.opclass) out += ` ${e.opclass}`;
    if (e.order) out += ` ${e.order}`;
    if (e.nulls) out += ` NULLS ${e.nulls}`;
    return out;
  }
  ctx.report(C.invalidDeclaration, site, `${what}: a materialized view's index is keyed by sql\`…\` (a column name or an expression)`);
  return '"?"';
};

/** CREATE INDEX on a materialized view (a plain column written as an expression is stored as that column). */
const viewIndex = (ctx: RenderContext, d: Declared, v: ViewData, i: IndexData): Emitted[] => {
  const what = `index${i.name ? ` ${i.name}` : ''} on ${v.name}`;
  if (i.keys.length === 0) ctx.report(C.invalidDeclaration, d.site, `${what} has no keys: add .on(sql\`column\`)`);
  if (i.include.length) ctx.report(C.invalidDeclaration, d.site, `${what}: INCLUDE is not supported on a materialized view's index here`);
  let sql = `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${i.name === undefined ? '' : `${ident(i.name)} `}ON ${qname(v.schema, v.name)}`;
  if (i.using) sql += ` USING ${i.using}`;
  sql += ` (${i.keys.map((k) => viewIndexKey(ctx, d.site, k, what)).join(', ')})`;
  if (i.nullsNotDistinct) sql += ' NULLS NOT DISTINCT';
  sql += withSql(i.with);
  if (i.where) sql += ` WHERE (${fragmentSql(i.where[DSL], ctx.refs(d.site))})`;
  const out: Emitted[] = [{ phase: 'view-index', statement: stmt(sql, what, d.site) }];
  if (i.comment !== null) {
    if (i.name === undefined) ctx.report(C.invalidDeclaration, d.site, `a commented index needs a name: index('name')`);
    else out.push({ phase: 'comment', statement: stmt(commentSql(`INDEX ${qname(v.schema, i.name)}`, i.comment)[0]!, what, d.site) });
  }
  return out;
};

export const renderView = (d: Declared, ctx: RenderContext): Emitted[] => {
  const v = d.data as ViewData;
  const name = qname(v.schema, v.name);
  const word = v.materialized ? 'MATERIALIZED VIEW' : 'VIEW';
  const object = `${v.materialized ? 'materialized view' : 'view'} ${v.schema}.${v.name}`;
  const needs: object[] = [];
  const query = fragmentSql(v.query[DSL], ctx.refs(d.site, needs)).trim().replace(/;\s*$/, '');
  const columns = v.columns.length ? ` (${v.columns.map(ident).join(', ')})` : '';
  const check = v.checkOption ? ` WITH ${v.checkOption.toUpperCase()} CHECK OPTION` : '';
  const out: Emitted[] = [
    { phase: 'view', statement: stmt(`CREATE ${word} ${name}${columns}${withSql(v.options)} AS\n${query}${check}`, object, d.site), creates: v, needs },
  ];
  if (v.indexes.length && !v.materialized) ctx.report(C.invalidDeclaration, d.site, `${object}: only a materialized view can have indexes`);
  else for (const i of v.indexes) out.push(...viewIndex(ctx, d, v, i[DSL]));
  for (const [column, text] of Object.entries(v.columnComments))
    out.push({ phase: 'comment', statement: stmt(`COMMENT ON COLUMN ${name}.${ident(column)} IS ${literal(text)}`, object, d.site) });
  // GRANT takes views and materialized views as TABLE.
  return [...out, ...extras(d, object, `${word} ${name}`, v.comment), ...extras(d, object, `TABLE ${name}`, null, v.grants)];
};

const dollarQuote = (body: string): string => dollarQuoted(body, '$$');

/** `"s"."f"(integer, text)`: the signature GRANT, COMMENT and ALTER use. */
export const routineSignature = (r: RoutineData, refs: (data: object) => void): string =>
  `${qname(r.schema, r.name)}(${r.args
    .filter((a) => a.mode !== 'out')
    .map((a) => `${a.mode === 'variadic' ? 'VARIADIC ' : ''}${typeSourceSql(a.type, refs)}`)
    .join(', ')})`;

export const renderRoutine = (d: Declared, ctx: RenderContext): Emitted[] => {
  const r = d.data as RoutineData;
  const word = r.procedure ? 'PROCEDURE' : 'FUNCTION';
  const object = `${r.procedure ? 'procedure' : 'function'} ${r.schema}.${r.name}`;
  const needs: object[] = [];
  const refs = ctx.refs(d.site, needs);
  const sigNeeds: object[] = [];
  const sigRefs = ctx.refs(d.site, sigNeeds);
  const args = ctx.guard(d.site, object, () =>
    r.args
      .map((a) => {
        const mode = a.mode && a.mode !== 'in' ? `${a.mode.toUpperCase()} ` : '';
        const argName = a.name ? `${ident(a.name)} ` : '';
        const dflt = a.default === undefined ? '' : ` DEFAULT ${typeof a.default === 'string' ? a.default : fragmentSql(a.default[DSL], refs)}`;
        return `${mode}${argName}${typeSourceSql(a.type, sigRefs)}${dflt}`;
      })
      .join(', '),
  '');
  let sql = `CREATE OR REPLACE ${word} ${qname(r.schema, r.name)}(${args})`;
  if (r.returns !== null) sql += ` RETURNS ${ctx.guard(d.site, object, () => typeSourceSql(r.returns!, sigRefs), 'void')}`;
  sql += ` LANGUAGE ${r.language}`;
  if (r.volatility) sql += ` ${r.volatility.toUpperCase()}`;
  if (r.strict) sql += ' STRICT';
  if (r.securityDefiner) sql += ' SECURITY DEFINER';
  if (r.leakproof) sql += ' LEAKPROOF';
  if (r.parallel) sql += ` PARALLEL ${r.parallel.toUpperCase()}`;
  if (r.cost !== null) sql += ` COST ${r.cost}`;
  if (r.rows !== null) sql += ` ROWS ${r.rows}`;
  for (const [k, v] of Object.entries(r.set)) sql += ` SET ${k} TO ${v}`;
  sql += ` AS ${dollarQuote(fragmentSql(r.body[DSL], refs))}`;
  // A signature naming a table or view (its row type) needs the relation first: after the tables, or among the
  // views (ordered by what each needs) when it names a view. Types written as text are matched by name.
  for (const t of [...r.args.map((a) => a.type), ...(r.returns === null ? [] : [r.returns])]) {
    const rel = typeof t === 'string' ? ctx.relationNamed(t) : undefined;
    if (rel) sigNeeds.push(rel);
  }
  const kindOf = (n: object) => (n as { kind: string }).kind;
  const phase: Phase = sigNeeds.some((n) => kindOf(n) === 'view') ? 'view' : sigNeeds.some((n) => kindOf(n) === 'table') ? 'late-function' : 'function';
  const signature = ctx.guard(d.site, object, () => routineSignature(r, () => undefined), qname(r.schema, r.name));
  return [
    { phase, statement: { ...stmt(sql, object, d.site), routine: true }, creates: r, needs: [...sigNeeds, ...needs] },
    ...extras(d, object, `${word} ${signature}`, r.comment, r.grants),
  ];
};
