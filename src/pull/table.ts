/**
 * A table → its declaration: `table('staffs', { id: uuid().primaryKey()…, … }, (t) => [index()…, trigger(…)])`.
 * Single-column keys, uniques, checks and foreign keys with the names Postgres would choose are written on the
 * column, the rest in the table's extras, each with its name when Postgres would not choose that one itself.
 */
import * as K from '../model/keys.js';
import type { Column, Constraint, Table } from '../model/schema.js';
import { notNullLabel } from '../model/not-null-name.js';
import { array, call, type Code, flat as flatCode, list, object, prefixed, propertyKey as propertyKeyOf, str, suffixed } from './code.js';
import { parseConstraintDef, type ConstraintDef, type Deferrable } from './constraint-defs.js';
import type { DeclContext } from './context.js';
import { defaultCode, sqlCode } from './expressions.js';
import { grantCalls } from './grants.js';
import { indexCodes, keyCode } from './index-code.js';
import { camelCase, derivesName } from './names.js';
import { policyCodes, triggerCodes } from './trigger-code.js';
import { TYPE_RANGE, type TableInfo } from './table-info.js';
import { typeCode } from './types.js';

export interface TableScope {
  readonly ctx: DeclContext;
  readonly info: TableInfo;
  readonly t: Table;
  readonly key: string;
  /** Property keys of this table's columns. */
  readonly keys: ReadonlyMap<string, string>;
}

/**
 * `t.officeId` for a column of this table (in the extras callback); `entity.id` for one it inherits from a parent
 * table (the parent's column, which the DSL accepts for its children).
 */
export const colRef = (s: TableScope, column: string): string => {
  if (!s.keys.has(column)) {
    const owner = s.info.inheritedFrom(s.key, column);
    const ref = owner === undefined ? undefined : s.ctx.ref(owner);
    if (owner !== undefined && ref !== undefined) return `${ref}${propertyAccess(s.info.columnKey(owner, column)!)}`;
  }
  return `t${propertyAccess(s.keys.get(column) ?? column)}`;
};
export const propertyAccess = (k: string): string => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? `.${k}` : `[${str(k)}]`);

const number = (text: string): string => (Number.isSafeInteger(Number(text)) ? String(Number(text)) : `${text}n`);

const unquoteCollation = (c: string): string => (/^"[^".]+"$/.test(c) ? c.slice(1, -1).replace(/""/g, '"') : c);

/** Identity options that differ from what Postgres picks for this column. */
const identityOptions = (t: Table, c: Column): string => {
  const id = c.identity!;
  const range = TYPE_RANGE[id.type] ?? TYPE_RANGE.bigint!;
  const descending = id.increment.startsWith('-');
  const min = descending ? range[0] : '1';
  const max = descending ? '-1' : range[1];
  const entries: [string, string | undefined][] = [
    ['sequenceName', id.sequenceSchema === t.schema && id.sequenceName === `${t.name}_${c.name}_seq` ? undefined : str(id.sequenceName)],
    ['start', id.start === (descending ? id.max : id.min) ? undefined : number(id.start)],
    ['increment', id.increment === '1' ? undefined : number(id.increment)],
    ['minValue', id.min === min ? undefined : number(id.min)],
    ['maxValue', id.max === max ? undefined : number(id.max)],
    ['cache', id.cache === '1' ? undefined : number(id.cache)],
    ['cycle', id.cycle ? 'true' : undefined],
  ];
  const given = entries.filter(([, v]) => v !== undefined);
  return given.length ? `{ ${given.map(([k, v]) => `${k}: ${v}`).join(', ')} }` : '';
};

const deferrableOption = (d: Deferrable): string | undefined => (d === false ? undefined : d === 'deferred' ? str('deferred') : 'true');

/** The `() => other.id` of a reference, annotated when it closes a cycle. */
const target = (s: TableScope, refSchema: string, refTable: string, columns: readonly string[], many: boolean): string | undefined => {
  const key = K.tableKey(refSchema, refTable);
  const name = s.ctx.ref(key);
  if (name === undefined) return undefined;
  // A table not read this time (--schema) is one an earlier pull wrote: its keys are camelCase.
  const props = columns.map((c) => `${name}${propertyAccess(s.info.columnKey(key, c) ?? camelCase(c))}`);
  const cyclic = s.info.cyclic(s.key, key);
  if (cyclic) s.ctx.dsl('ColumnRef');
  if (!many) return `${cyclic ? '(): ColumnRef' : '()'} => ${props[0]}`;
  return `${cyclic ? '(): ColumnRef[]' : '()'} => [${props.join(', ')}]`;
};

interface ColumnParts {
  primaryKey: boolean;
  unique: { nullsNotDistinct: boolean } | null;
  checks: string[];
  references: string | null;
}

/** Default constraint names, as Postgres makes them for a column or table constraint (when they fit 63 bytes). */
const defaultName = (t: Table, columns: readonly string[], suffix: string): string => `${t.name}_${columns.join('_')}_${suffix}`;
const fits = (n: string) => Buffer.byteLength(n) <= 63;

/** Whether a constraint goes on its column: one column, the name Postgres gives it, nothing the chain cannot say. */
const onColumn = (t: Table, c: Constraint, d: ConstraintDef): string | undefined => {
  switch (d.kind) {
    case 'primary':
      return d.columns.length === 1 && !d.deferrable && c.name === `${t.name}_pkey` && fits(c.name) ? d.columns[0] : undefined;
    case 'unique':
      return d.columns.length === 1 && !d.deferrable && c.name === defaultName(t, d.columns, 'key') && fits(c.name) ? d.columns[0] : undefined;
    case 'foreign':
      return d.columns.length === 1 && c.name === defaultName(t, d.columns, 'fkey') && fits(c.name) ? d.columns[0] : undefined;
    case 'check':
      return c.columns.length === 1 && !d.noInherit && !d.notValid && c.name === defaultName(t, c.columns, 'check') && fits(c.name)
        ? c.columns[0]
        : undefined;
    case 'exclude':
      return undefined;
  }
};

const referenceOptions = (d: Extract<ConstraintDef, { kind: 'foreign' }>, name: string | undefined): [string, string | undefined][] => [
  ['name', name === undefined ? undefined : str(name)],
  ['onDelete', d.onDelete && d.onDelete !== 'no action' ? str(d.onDelete) : undefined],
  ['onUpdate', d.onUpdate && d.onUpdate !== 'no action' ? str(d.onUpdate) : undefined],
  ['match', d.match ? str(d.match) : undefined],
  ['deferrable', deferrableOption(d.deferrable)],
  ['notValid', d.notValid ? 'true' : undefined],
];

const inlineObject = (entries: readonly [string, string | undefined][]): string => {
  const given = entries.filter(([, v]) => v !== undefined);
  return given.length ? `{ ${given.map(([k, v]) => `${k}: ${v}`).join(', ')} }` : '';
};

/** A table-level constraint in the extras. */
const constraintCode = (s: TableScope, c: Constraint, d: ConstraintDef): Code | undefined => {
  const { ctx, t } = s;
  const cols = (xs: readonly string[]) => xs.map((x) => colRef(s, x));
  switch (d.kind) {
    case 'primary': {
      const named = c.name !== `${t.name}_pkey` || !fits(c.name) || d.deferrable || c.comment !== null;
      return named
        ? call(ctx.dsl('primaryKey'), [object([['name', str(c.name)], ['columns', array(cols(d.columns))], ['deferrable', deferrableOption(d.deferrable)]])])
        : call(ctx.dsl('primaryKey'), cols(d.columns));
    }
    case 'unique': {
      const defaultNamed = c.name === defaultName(t, d.columns, 'key') && fits(c.name) && c.comment === null;
      if (defaultNamed && !d.nullsNotDistinct && !d.deferrable) return call(ctx.dsl('unique'), cols(d.columns));
      return call(ctx.dsl('unique'), [
        object([
          ['name', defaultNamed ? undefined : str(c.name)],
          ['columns', array(cols(d.columns))],
          ['nullsNotDistinct', d.nullsNotDistinct ? 'true' : undefined],
          ['deferrable', deferrableOption(d.deferrable)],
        ]),
      ]);
    }
    case 'foreign': {
      const to = target(s, d.refSchema, d.refTable, d.refColumns, true);
      if (to === undefined) {
        ctx.note(`foreign key ${c.name} on ${t.schema}.${t.name} references ${d.refSchema}.${d.refTable}, which is not pulled: left out`);
        return undefined;
      }
      const name = c.name === defaultName(t, d.columns, 'fkey') && fits(c.name) && c.comment === null ? undefined : c.name;
      return call(ctx.dsl('foreignKey'), [
        object([['columns', array(cols(d.columns))], ['references', to], ...referenceOptions(d, name)]),
      ]);
    }
    case 'check': {
      const options = inlineObject([
        ['notValid', d.notValid ? 'true' : undefined],
        ['noInherit', d.noInherit ? 'true' : undefined],
      ]);
      return call(ctx.dsl('check'), [str(c.name), sqlCode(ctx, d.expression), ...(options ? [options] : [])]);
    }
    case 'exclude': {
      const elements: Code[] = [];
      for (const e of d.elements) {
        const k = keyCode(s, e.key);
        if (k === undefined) return undefined;
        elements.push(`[${k}, ${str(e.operator)}]`);
      }
      return call(ctx.dsl('exclude'), [
        object([
          ['name', str(c.name)],
          ['using', d.using === 'gist' ? undefined : str(d.using)],
          ['elements', array(elements)],
          ['where', d.where === null ? undefined : sqlCode(ctx, d.where)],
          ['deferrable', deferrableOption(d.deferrable)],
        ]),
      ]);
    }
  }
};

const columnCode = (s: TableScope, c: Column, parts: ColumnParts | undefined): string => {
  const { ctx, t } = s;
  const key = s.keys.get(c.name)!;
  const sqlName = derivesName(key, c.name) ? undefined : c.name;
  const serial = s.info.serialOf(t, c);
  let out: string;
  const type = typeCode(ctx, c.type);
  if (serial) out = `${ctx.dsl(serial)}(${sqlName === undefined ? '' : str(sqlName)})`;
  else out = type.call(sqlName) + '.array()'.repeat(type.dims);
  if (c.collation) out += `.collate(${str(unquoteCollation(c.collation))})`;
  if (c.generated !== null) out += `.generatedAlwaysAs(${sqlCode(ctx, c.generated.replace(/^\((.*)\)$/s, '$1'))}${c.virtual ? ', { virtual: true }' : ''})`;
  if (c.identity) out += `.generated${c.identity.always ? 'Always' : 'ByDefault'}AsIdentity(${identityOptions(t, c)})`;
  if (parts?.primaryKey) out += '.primaryKey()';
  else if (c.notNull && !c.identity && !serial) {
    const name = notNullLabel(t.name, c);
    out += name === null ? '.notNull()' : `.notNull({ name: ${str(name)} })`;
  }
  if (parts?.unique) out += parts.unique.nullsNotDistinct ? '.unique({ nullsNotDistinct: true })' : '.unique()';
  if (c.default !== null && !serial) out += defaultCode(ctx, c.default, type);
  if (parts?.references) out += parts.references;
  for (const check of parts?.checks ?? []) out += `.check(${check})`;
  if (c.comment !== null) out += `.comment(${str(c.comment)})`;
  if (c.grants.length) out += `.grant(${grantCalls(ctx, c.grants, 'column').join(', ')})`;
  return out;
};

const optionValue = (v: string): string => (/^-?\d+$/.test(v) && Number.isSafeInteger(Number(v)) ? v : /^(true|false)$/.test(v) ? v : str(v));

/** `{ fillfactor: 70 }` from reloptions `fillfactor=70`. */
export const withOptions = (options: readonly string[]): string | undefined => {
  if (options.length === 0) return undefined;
  return `{ ${options
    .map((o) => {
      const eq = o.indexOf('=');
      const k = o.slice(0, eq);
      return `${/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : str(k)}: ${optionValue(o.slice(eq + 1))}`;
    })
    .join(', ')} }`;
};

/** The table's declaration: the call with its callee (`table` or `app.table`). */
export const tableCode = (s: TableScope, callee: string): Code => {
  const { ctx, t } = s;
  const parts = new Map<string, ColumnParts>();
  const part = (col: string) => parts.get(col) ?? parts.set(col, { primaryKey: false, unique: null, checks: [], references: null }).get(col)!;
  const extras: Code[] = [];
  const constraints = [...t.constraints].sort((a, b) => ORDER[a.type] - ORDER[b.type] || a.name.localeCompare(b.name));
  for (const c of constraints) {
    const d = parseConstraintDef(c.definition);
    if (!d) {
      ctx.note(`constraint ${c.name} on ${t.schema}.${t.name}: ${c.definition} has no DSL form: left out`);
      continue;
    }
    // A key or check on a column inherited from a parent table is the table's (written with the parent's column).
    const inherited = c.columns.some((x) => x !== '' && !t.columns.some((own) => own.name === x));
    const col = c.comment === null && !inherited ? onColumn(t, c, d) : undefined;
    if (col !== undefined && d.kind === 'foreign') {
      const to = target(s, d.refSchema, d.refTable, d.refColumns, false);
      if (to === undefined) {
        ctx.note(`foreign key ${c.name} on ${t.schema}.${t.name} references ${d.refSchema}.${d.refTable}, which is not pulled: left out`);
        continue;
      }
      const options = inlineObject(referenceOptions(d, undefined));
      part(col).references = `.references(${to}${options ? `, ${options}` : ''})`;
      continue;
    }
    if (col !== undefined && d.kind === 'primary') part(col).primaryKey = true;
    else if (col !== undefined && d.kind === 'unique') part(col).unique = { nullsNotDistinct: d.nullsNotDistinct };
    else if (col !== undefined && d.kind === 'check') part(col).checks.push(sqlCode(ctx, d.expression));
    else {
      const code = constraintCode(s, c, d);
      if (code === undefined) {
        if (d.kind !== 'foreign') ctx.note(`constraint ${c.name} on ${t.schema}.${t.name}: ${c.definition} has no DSL form: left out`);
        continue;
      }
      extras.push(c.comment === null ? code : suffixed(code, `.comment(${str(c.comment)})`));
    }
  }
  extras.push(...indexCodes(s), ...triggerCodes(s), ...policyCodes(s));

  const columns = list(
    '{',
    [...t.columns].sort((a, b) => a.position - b.position).map((c) => prefixed(`${propertyKeyOf(s.keys.get(c.name)!)}: `, columnCode(s, c, parts.get(c.name)))),
    '}',
    { pad: true, broken: true },
  );
  const options = tableOptions(s);
  const first = options ? object([['name', str(t.name)], ...options]) : str(t.name);
  if (extras.length === 0) return call(callee, [first, columns], { hugLast: true });
  const usesT = extras.some((e) => flatCode(e).includes('t.') || flatCode(e).includes("t['"));
  return call(callee, [first, columns, prefixed(`${usesT ? '(t)' : '()'} => `, array(extras))]);
};

const ORDER: Readonly<Record<Constraint['type'], number>> = { primary: 0, unique: 1, foreign: 2, check: 3, exclusion: 4 };

const tableOptions = (s: TableScope): [string, Code | undefined][] | undefined => {
  const { ctx, t } = s;
  const entries: [string, Code | undefined][] = [
    ['unlogged', t.unlogged ? 'true' : undefined],
    ['partitionBy', t.partitionBy === null ? undefined : str(t.partitionBy)],
    ['partitionOf', partitionOf(s)],
    ['inherits', inherits(s)],
    ['rls', t.rowSecurity ? 'true' : undefined],
    ['forceRls', t.forceRowSecurity ? 'true' : undefined],
    ['with', withOptions(t.options)],
    ['comment', t.comment === null ? undefined : str(t.comment)],
    ['grants', t.grants.length ? array(grantCalls(ctx, t.grants, 'table')) : undefined],
  ];
  return entries.some(([, v]) => v !== undefined) ? entries : undefined;
};

const inherits = (s: TableScope): Code | undefined => {
  const refs = s.t.inherits.flatMap((p) => {
    const parent = s.ctx.ref(K.tableKey(p.schema, p.table));
    if (parent === undefined) s.ctx.note(`table ${s.t.schema}.${s.t.name}: its parent ${p.schema}.${p.table} is not pulled`);
    return parent === undefined ? [] : [`() => ${parent}`];
  });
  return refs.length ? array(refs) : undefined;
};

const partitionOf = (s: TableScope): Code | undefined => {
  const p = s.t.partitionOf;
  if (!p) return undefined;
  const parent = s.ctx.ref(K.tableKey(p.parentSchema, p.parent));
  if (parent === undefined) {
    s.ctx.note(`partition ${s.t.schema}.${s.t.name}: its parent ${p.parentSchema}.${p.parent} is not pulled`);
    return undefined;
  }
  return object([['parent', `() => ${parent}`], ['bound', str(p.bound)]]);
};
