/**
 * Every declared object but tables → its declaration: schemas, extensions, enums, domains, composite types,
 * sequences, views and materialized views, functions and procedures, and `customType`s for types with no builder.
 */
import * as K from '../model/keys.js';
import type { CompositeType, DomainType, EnumType, Extension, Namespace, Routine, Schema, Sequence, View } from '../model/schema.js';
import { array, call, type Code, object, str, textLiteral } from './code.js';
import { parseConstraintDef } from './constraint-defs.js';
import { type DeclContext, tableParts } from './context.js';
import { defaultValue, type NamedRelation, sqlCode } from './expressions.js';
import { grantCalls } from './grants.js';
import { camelCase, derivesName } from './names.js';
import type { RoutineDetails } from './routine-details.js';
import { findTop, splitTop } from './sql-text.js';
import { propertyAccess, withOptions } from './table.js';
import { parseIndexDef } from './index-defs.js';
import { printedIdent } from '../render/quote.js';
import { TYPE_RANGE, type TableInfo } from './table-info.js';
import { isBuiltinOrDeclared, typeCode } from './types.js';

/** `x('name', …)` or `x({ name, …options }, …)`. */
const named = (name: string, options: [string, Code | undefined][]): Code =>
  options.some(([, v]) => v !== undefined) ? object([['name', str(name)], ...options]) : str(name);

const comment = (c: string | null): Code | undefined => (c === null ? undefined : str(c));
const number = (text: string): string => (Number.isSafeInteger(Number(text)) ? String(Number(text)) : `${text}n`);

export const schemaCode = (ctx: DeclContext, n: Namespace): Code => {
  const options = object([
    ['comment', comment(n.comment)],
    ['grants', n.grants.length ? array(grantCalls(ctx, n.grants, 'schema')) : undefined],
  ]);
  return call(ctx.dsl('schema'), options.items.length ? [str(n.name), options] : [str(n.name)]);
};

export const extensionCode = (ctx: DeclContext, e: Extension): Code =>
  call(ctx.dsl('extension'), e.schema === 'public' ? [str(e.name)] : [str(e.name), object([['schema', str(e.schema)]])]);

export const enumCode = (callee: string, e: EnumType): Code =>
  call(callee, [named(e.name, [['comment', comment(e.comment)]]), array(e.labels.map(str))], { hugLast: true });

export const domainCode = (ctx: DeclContext, callee: string, d: DomainType): Code => {
  const base = typeCode(ctx, d.baseType);
  const checks: Code[] = [];
  for (const c of d.checks) {
    const def = parseConstraintDef(c.definition);
    if (def?.kind !== 'check') {
      ctx.note(`domain ${d.schema}.${d.name}: check ${c.name} (${c.definition}) has no DSL form: left out`);
      continue;
    }
    const expr = sqlCode(ctx, def.expression);
    checks.push(c.name === `${d.name}_check` && c.validated ? expr : `${ctx.dsl('check')}(${str(c.name)}, ${expr}${c.validated ? '' : ', { notValid: true }'})`);
  }
  const options = object([
    ['notNull', d.notNull ? 'true' : undefined],
    ['default', d.default === null ? undefined : defaultValue(ctx, d.default, base)],
    ['collate', d.collation === null ? undefined : str(d.collation.replace(/^"([^".]+)"$/, '$1'))],
    ['checks', checks.length ? array(checks) : undefined],
    ['comment', comment(d.comment)],
  ]);
  const args: Code[] = [str(d.name), base.call() + '.array()'.repeat(base.dims)];
  return call(callee, options.items.length ? [...args, options] : args, { hugLast: true });
};

export const compositeCode = (ctx: DeclContext, callee: string, c: CompositeType): Code => {
  const used = new Set<string>();
  const attrs = c.attributes.map((a): [string, Code] => {
    let k = camelCase(a.name);
    for (let i = 2; used.has(k); i++) k = `${camelCase(a.name)}${i}`;
    used.add(k);
    const t = typeCode(ctx, a.type);
    const code = t.call(derivesName(k, a.name) ? undefined : a.name) + '.array()'.repeat(t.dims) + (a.collation ? `.collate(${str(a.collation.replace(/^"([^".]+)"$/, '$1'))})` : '');
    return [k, code];
  });
  return call(callee, [named(c.name, [['comment', comment(c.comment)]]), object(attrs)], { hugLast: true });
};

export const sequenceCode = (ctx: DeclContext, callee: string, s: Sequence, info: TableInfo): Code => {
  const range = TYPE_RANGE[s.type] ?? TYPE_RANGE.bigint!;
  const descending = s.increment.startsWith('-');
  const min = descending ? range[0] : '1';
  const max = descending ? '-1' : range[1];
  let ownedBy: string | undefined;
  if (s.ownedBy) {
    const tk = K.tableKey(s.ownedBy.schema, s.ownedBy.table);
    const table = ctx.ref(tk);
    if (table === undefined) ctx.note(`sequence ${s.schema}.${s.name}: owned by ${s.ownedBy.schema}.${s.ownedBy.table}, which is not pulled`);
    else ownedBy = `() => ${table}${propertyAccess(info.columnKey(tk, s.ownedBy.column) ?? s.ownedBy.column)}`;
  }
  const options = object([
    ['as', s.type === 'bigint' ? undefined : str(s.type)],
    ['start', s.start === (descending ? s.max : s.min) ? undefined : number(s.start)],
    ['increment', s.increment === '1' ? undefined : number(s.increment)],
    ['minValue', s.min === min ? undefined : number(s.min)],
    ['maxValue', s.max === max ? undefined : number(s.max)],
    ['cache', s.cache === '1' ? undefined : number(s.cache)],
    ['cycle', s.cycle ? 'true' : undefined],
    ['ownedBy', ownedBy],
    ['comment', comment(s.comment)],
    ['grants', s.grants.length ? array(grantCalls(ctx, s.grants, 'sequence')) : undefined],
  ]);
  return call(callee, options.items.length ? [str(s.name), options] : [str(s.name)], { hugLast: true });
};

/** Relations a view reads, from the dependencies Postgres records. */
const dependenciesOf = new WeakMap<Schema, Map<string, string[]>>();
const relations = new WeakMap<Schema, { tables: Set<string>; views: Set<string> }>();
const relationKeys = (schema: Schema) => {
  let r = relations.get(schema);
  if (!r) {
    r = { tables: new Set(schema.tables.map((t) => K.tableKey(t.schema, t.name))), views: new Set(schema.views.map((v) => K.viewKey(v.schema, v.name))) };
    relations.set(schema, r);
  }
  return r;
};
const viewRelations = (schema: Schema, v: View): NamedRelation[] => {
  let deps = dependenciesOf.get(schema);
  if (!deps) {
    deps = new Map();
    for (const d of schema.dependencies) (deps.get(d.from) ?? deps.set(d.from, []).get(d.from)!).push(d.to);
    dependenciesOf.set(schema, deps);
  }
  const rel = relationKeys(schema);
  const out = new Map<string, NamedRelation>();
  for (const to of deps.get(K.viewKey(v.schema, v.name)) ?? []) {
    const d = { to };
    const { kind, parts } = K.parseKey(d.to);
    if ((kind === 'table' || kind === 'view' || kind === 'column') && parts.length >= 2) {
      const [s, n] = parts as [string, string];
      const isTable = rel.tables.has(K.tableKey(s, n));
      const isView = rel.views.has(K.viewKey(s, n));
      if (isTable) out.set(K.tableKey(s, n), { key: K.tableKey(s, n), schema: s, name: n });
      else if (isView && !(s === v.schema && n === v.name)) out.set(K.viewKey(s, n), { key: K.viewKey(s, n), schema: s, name: n });
    }
  }
  return [...out.values()];
};

/**
 * A materialized view's indexes → `indexes: [index('name').unique().on(sql\`day\`)]`: its keys are expressions
 * (a column is written as its name), there being no column builders to point at.
 */
const viewIndexes = (ctx: DeclContext, v: View): Code | undefined => {
  const codes: string[] = [];
  for (const i of tableParts(ctx.schema, v.schema, v.name).indexes) {
    const d = parseIndexDef(i.definition);
    if (!d || d.include.length) {
      ctx.note(`index ${i.schema}.${i.name} on materialized view ${v.schema}.${v.name}: ${i.definition} has no DSL form: left out`);
      continue;
    }
    const keys = d.keys.map((k) => {
      const expr = sqlCode(ctx, k.column !== null ? printedIdent(k.column) : k.expression!);
      const modifiers =
        (k.collation ? `.collate(${str(k.collation.replace(/^"([^".]+)"$/, '$1'))})` : '') +
        (k.opclass ? `.op(${str(k.opclass)})` : '') +
        (k.order === 'DESC' ? '.desc()' : k.order === 'ASC' ? '.asc()' : '') +
        (k.nulls ? `.nulls${k.nulls === 'FIRST' ? 'First' : 'Last'}()` : '');
      return modifiers ? `${ctx.dsl('expression')}(${expr})${modifiers}` : expr;
    });
    let code = `${ctx.dsl('index')}(${str(i.name)})`;
    if (d.using !== 'btree') code += `.using(${str(d.using)})`;
    if (d.nullsNotDistinct) code += '.nullsNotDistinct()';
    else if (d.unique) code += '.unique()';
    code += `.on(${keys.join(', ')})`;
    const w = withOptions(d.with.map(([k, val]) => `${k}=${val}`));
    if (w) code += `.withOptions(${w})`;
    if (d.where !== null) code += `.where(${sqlCode(ctx, d.where)})`;
    if (i.comment !== null) code += `.comment(${str(i.comment)})`;
    codes.push(code);
  }
  return codes.length ? array(codes) : undefined;
};

export const viewCode = (ctx: DeclContext, callee: string, v: View): Code => {
  const query = v.definition.replace(/^\s+/, '').replace(/;\s*$/, '');
  const special: Record<string, string> = {};
  const rest: string[] = [];
  for (const o of v.options) {
    const eq = o.indexOf('=');
    const [k, val] = [o.slice(0, eq), o.slice(eq + 1)];
    if (!v.materialized && (k === 'check_option' || k === 'security_barrier' || k === 'security_invoker')) special[k] = val;
    else rest.push(o);
  }
  const bool = (x: string | undefined) => (x === undefined ? undefined : /^(true|on|1|yes)$/i.test(x) ? 'true' : 'false');
  const withEntries = rest.map((o) => {
    const eq = o.indexOf('=');
    const val = o.slice(eq + 1);
    return `${o.slice(0, eq)}: ${/^\d+$/.test(val) ? val : str(val)}`;
  });
  const options = object([
    ['securityBarrier', bool(special.security_barrier)],
    ['securityInvoker', bool(special.security_invoker)],
    ['checkOption', special.check_option === undefined ? undefined : str(special.check_option)],
    ['with', withEntries.length ? `{ ${withEntries.join(', ')} }` : undefined],
    ['columnComments', v.columnComments.length ? object(v.columnComments.map((c) => [c.column, str(c.comment)])) : undefined],
    ['comment', comment(v.comment)],
    ['grants', v.grants.length ? array(grantCalls(ctx, v.grants, 'table')) : undefined],
    ['indexes', v.materialized ? viewIndexes(ctx, v) : undefined],
  ]);
  const body = sqlCode(ctx, query, viewRelations(ctx.schema, v));
  return call(callee, options.items.length ? [str(v.name), body, options] : [str(v.name), body]);
};

/** A type in a signature: a builder or a declared type when there is one, else the SQL text. */
const signatureType = (ctx: DeclContext, typeText: string): string => {
  const declared = (schema: string, name: string) =>
    [...ctx.schema.enums, ...ctx.schema.domains, ...ctx.schema.composites].some((x) => x.schema === schema && x.name === name);
  if (!isBuiltinOrDeclared(typeText, declared)) return str(typeText);
  const t = typeCode(ctx, typeText);
  return t.call() + '.array()'.repeat(t.dims);
};

const MODES: Readonly<Record<string, string | undefined>> = { i: undefined, o: 'out', b: 'inout', v: 'variadic' };

export const routineCode = (ctx: DeclContext, callee: string, r: Routine, details: RoutineDetails | undefined): Code | undefined => {
  if (!details) return undefined;
  if (details.source === '' && !/\bAS \$/.test(r.definition)) {
    ctx.note(`function ${r.schema}.${r.name}(${r.identityArgs}): a SQL-standard body (BEGIN ATOMIC / RETURN) has no DSL form: left out`);
    return undefined;
  }
  // Defaults come from pg_get_function_arguments, one piece per argument but those of RETURNS TABLE.
  const pieces = r.args.trim() === '' ? [] : splitTop(r.args);
  const args: Code[] = [];
  let p = 0;
  details.argTypes.forEach((type, i) => {
    const mode = details.argModes[i] ?? 'i';
    if (mode === 't') return;
    const piece = pieces[p++] ?? '';
    const at = findTop(piece, 'DEFAULT');
    const dflt = at < 0 ? undefined : piece.slice(at + 'DEFAULT'.length).trim();
    const name = details.argNames[i] || undefined;
    const typeCode = signatureType(ctx, type);
    if (name === undefined && MODES[mode] === undefined && dflt === undefined) args.push(typeCode);
    else
      args.push(
        object([
          ['name', name === undefined ? undefined : str(name)],
          ['type', typeCode],
          ['mode', MODES[mode] === undefined ? undefined : str(MODES[mode]!)],
          ['default', dflt === undefined ? undefined : sqlCode(ctx, dflt)],
        ]),
      );
  });
  const set = [...r.definition.matchAll(/^ SET (\S+) TO (.*)$/gm)].map(([, k, v]) => `${/^[A-Za-z_][A-Za-z0-9_]*$/.test(k!) ? k : str(k!)}: ${str(v!)}`);
  const defaultCost = ['c', 'internal'].includes(details.language) ? 1 : 100;
  const defaultRows = details.returnsSet ? 1000 : 0;
  const publicExecute = r.grants.some((g) => g.grantee === 'PUBLIC' && g.privilege === 'EXECUTE' && !g.grantable);
  if (!publicExecute) ctx.note(`function ${r.schema}.${r.name}(${r.identityArgs}): EXECUTE is revoked from PUBLIC, which the DSL cannot say`);
  const grants = r.grants.filter((g) => !(g.grantee === 'PUBLIC' && g.privilege === 'EXECUTE' && !g.grantable));
  const options = object([
    ['args', args.length ? array(args) : undefined],
    ['returns', r.procedure || r.returns === null ? undefined : signatureType(ctx, r.returns)],
    ['language', str(details.language)],
    ['volatility', details.volatility === 'v' ? undefined : str(details.volatility === 'i' ? 'immutable' : 'stable')],
    ['strict', details.strict ? 'true' : undefined],
    ['securityDefiner', details.securityDefiner ? 'true' : undefined],
    ['leakproof', details.leakproof ? 'true' : undefined],
    ['parallel', details.parallel === 'u' ? undefined : str(details.parallel === 's' ? 'safe' : 'restricted')],
    ['cost', details.cost === defaultCost ? undefined : String(details.cost)],
    ['rows', details.rows === defaultRows ? undefined : String(details.rows)],
    ['set', set.length ? `{ ${set.join(', ')} }` : undefined],
    ['body', textLiteral(details.source)],
    ['comment', comment(r.comment)],
    ['grants', grants.length ? array(grantCalls(ctx, grants, 'function')) : undefined],
  ]);
  return call(callee, [str(r.name), options], { hugLast: true });
};

export const customTypeCode = (ctx: DeclContext, typeText: string): Code => `${ctx.dsl('customType')}(${str(typeText)})`;
