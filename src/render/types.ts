import type { CompositeType, DomainType, EnumType } from '../model/schema.js';
import type { EnumColumn, UserType } from '../model/change.js';
import { assertNever } from '../model/change.js';
import { commentStatements } from './comment.js';
import { ident, literal, qname } from './quote.js';

const typeName = (t: UserType) => qname(t.schema, t.name);
const commentTarget = (t: UserType) => `${t.kind === 'domain' ? 'DOMAIN' : 'TYPE'} ${typeName(t)}`;

export const createTypeSql = (t: UserType): string[] => {
  let sql: string;
  switch (t.kind) {
    case 'enum':
      sql = `CREATE TYPE ${typeName(t)} AS ENUM (${t.labels.map(literal).join(', ')});`;
      break;
    case 'composite':
      sql = `CREATE TYPE ${typeName(t)} AS (${t.attributes
        .map((a) => `${ident(a.name)} ${a.type}${a.collation ? ` COLLATE ${a.collation}` : ''}`)
        .join(', ')});`;
      break;
    case 'domain':
      sql =
        `CREATE DOMAIN ${typeName(t)} AS ${t.baseType}` +
        (t.collation ? ` COLLATE ${t.collation}` : '') +
        (t.default !== null ? ` DEFAULT ${t.default}` : '') +
        (t.notNull ? ' NOT NULL' : '') +
        t.checks
          .filter((c) => c.validated)
          .map((c) => ` CONSTRAINT ${ident(c.name)} ${c.definition}`)
          .join('') +
        ';';
      break;
    default:
      return assertNever(t);
  }
  const out = [sql];
  if (t.kind === 'domain')
    for (const c of t.checks.filter((c) => !c.validated))
      out.push(`ALTER DOMAIN ${typeName(t)} ADD CONSTRAINT ${ident(c.name)} ${c.definition};`);
  out.push(...commentStatements(commentTarget(t), null, t.comment));
  return out;
};

export const dropTypeSql = (t: UserType): string[] => [
  `DROP ${t.kind === 'domain' ? 'DOMAIN' : 'TYPE'} ${typeName(t)};`,
];

export const renameTypeSql = (from: UserType, to: UserType): string[] => [
  `ALTER ${from.kind === 'domain' ? 'DOMAIN' : 'TYPE'} ${typeName(from)} RENAME TO ${ident(to.name)};`,
];

/**
 * New values go in with ADD VALUE at their place; renamed values with RENAME VALUE. The caller has checked
 * that the surviving values keep their order.
 */
export const alterEnumSql = (from: EnumType, to: EnumType, renamed: readonly (readonly [string, string])[]): string[] => {
  const out: string[] = [];
  for (const [a, b] of renamed) out.push(`ALTER TYPE ${typeName(to)} RENAME VALUE ${literal(a)} TO ${literal(b)};`);
  const have = new Set(from.labels.map((l) => renamed.find(([a]) => a === l)?.[1] ?? l));
  to.labels.forEach((label, i) => {
    if (have.has(label)) return;
    const next = to.labels.slice(i + 1).find((l) => have.has(l));
    const prev = to.labels.slice(0, i).reverse().find((l) => have.has(l));
    const where = next !== undefined ? ` BEFORE ${literal(next)}` : prev !== undefined ? ` AFTER ${literal(prev)}` : '';
    out.push(`ALTER TYPE ${typeName(to)} ADD VALUE ${literal(label)}${where};`);
    have.add(label);
  });
  out.push(...commentStatements(commentTarget(to), from.comment, to.comment));
  return out;
};

/**
 * Rebuilds an enum whose values were removed or reordered: rename the old type aside, create the new one,
 * convert each column through text (defaults dropped and set again around it), drop the old type.
 * A row holding a removed value makes the conversion fail, which is the safe outcome.
 */
export const recreateEnumSql = (
  from: EnumType,
  to: EnumType,
  columns: readonly EnumColumn[],
  side: 'from' | 'to' = 'to',
): string[] => {
  const aside = `${to.name}__keikaku_old`;
  const out = [`ALTER TYPE ${typeName(from)} RENAME TO ${ident(aside)};`, ...createTypeSql({ ...to, comment: to.comment })];
  for (const pair of columns) {
    const column = pair[side];
    const t = qname(pair.table.schema, pair.table.name);
    const c = ident(column.name);
    const dims = (column.type.match(/(\[\])+$/) ?? [''])[0];
    if (pair.from.default !== null || pair.to.default !== null) out.push(`ALTER TABLE ${t} ALTER COLUMN ${c} DROP DEFAULT;`);
    out.push(`ALTER TABLE ${t} ALTER COLUMN ${c} TYPE ${column.type} USING ${c}::text${dims}::${column.type};`);
    if (column.default !== null) out.push(`ALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT ${column.default};`);
  }
  out.push(`DROP TYPE ${qname(from.schema, aside)};`);
  return out;
};

export const alterDomainSql = (from: DomainType, to: DomainType): string[] => {
  const name = typeName(to);
  const out: string[] = [];
  if (from.default !== to.default)
    out.push(`ALTER DOMAIN ${name} ${to.default === null ? 'DROP DEFAULT' : `SET DEFAULT ${to.default}`};`);
  if (from.notNull !== to.notNull) out.push(`ALTER DOMAIN ${name} ${to.notNull ? 'SET' : 'DROP'} NOT NULL;`);
  const same = (a: DomainType['checks'][number], b: DomainType['checks'][number]) =>
    a.name === b.name && a.definition === b.definition && a.validated === b.validated;
  for (const c of from.checks)
    if (!to.checks.some((t) => same(t, c))) out.push(`ALTER DOMAIN ${name} DROP CONSTRAINT ${ident(c.name)};`);
  for (const c of to.checks)
    if (!from.checks.some((f) => same(f, c)))
      out.push(`ALTER DOMAIN ${name} ADD CONSTRAINT ${ident(c.name)} ${c.definition};`);
  out.push(...commentStatements(`DOMAIN ${name}`, from.comment, to.comment));
  return out;
};

export const alterCompositeSql = (from: CompositeType, to: CompositeType): string[] => {
  const name = typeName(to);
  const actions: string[] = [];
  for (const a of from.attributes)
    if (!to.attributes.some((b) => b.name === a.name)) actions.push(`DROP ATTRIBUTE ${ident(a.name)}`);
  for (const b of to.attributes) {
    const a = from.attributes.find((x) => x.name === b.name);
    const collate = b.collation ? ` COLLATE ${b.collation}` : '';
    if (!a) actions.push(`ADD ATTRIBUTE ${ident(b.name)} ${b.type}${collate}`);
    else if (a.type !== b.type || a.collation !== b.collation)
      actions.push(`ALTER ATTRIBUTE ${ident(b.name)} TYPE ${b.type}${collate}`);
  }
  return [
    ...(actions.length ? [`ALTER TYPE ${name} ${actions.join(', ')};`] : []),
    ...commentStatements(`TYPE ${name}`, from.comment, to.comment),
  ];
};
