/** Indexes, views, routines, triggers, policies, schemas and extensions. */
import type { Extension, Index, Namespace, Policy, Routine, Trigger, View } from '../model/schema.js';
import { commentStatements } from './comment.js';
import { grantStatements } from './grants.js';
import { optionClauses } from './options.js';
import { ident, literal, qname } from './quote.js';

// Indexes ---------------------------------------------------------------------------------------------------

const NAME = String.raw`(?:"(?:[^"]|"")*"|[^\s."]+)`;
const INDEX_DEF = new RegExp(String.raw`^CREATE (UNIQUE )?INDEX ${NAME} ON (ONLY )?${NAME}\.${NAME} (USING .*)$`, 's');

/**
 * The part of `pg_get_indexdef` after the table: `USING btree (a) INCLUDE (b) WHERE …`. Names of the index and
 * its table are left out, so renamed indexes and tables compare by what they index. `ON ONLY` is left out too
 * (see `onlyParent`).
 */
export const indexBody = (i: Index): string => {
  const m = INDEX_DEF.exec(i.definition);
  return m ? m[3]! : i.definition;
};

/**
 * An index of a partitioned table made `ON ONLY` that is not valid yet: some partition's index is not attached.
 * Introspection keeps `ON ONLY` in the definition only then (Postgres prints it for every index of a partitioned
 * table; created without it, the index builds the partitions' indexes and is valid).
 */
export const onlyParent = (i: Index): boolean => INDEX_DEF.exec(i.definition)?.[2] !== undefined;

export const createIndexSql = (i: Index): string[] => [
  `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${ident(i.name)} ON ${onlyParent(i) ? 'ONLY ' : ''}${qname(i.schema, i.table)} ${indexBody(i)};`,
  ...commentStatements(`INDEX ${qname(i.schema, i.name)}`, null, i.comment),
];
export const dropIndexSql = (i: Index): string[] => [`DROP INDEX ${qname(i.schema, i.name)};`];
export const renameIndexSql = (from: Index, to: Index): string[] => [
  `ALTER INDEX ${qname(from.schema, from.name)} RENAME TO ${ident(to.name)};`,
];
export const alterIndexSql = (from: Index, to: Index): string[] =>
  commentStatements(`INDEX ${qname(to.schema, to.name)}`, from.comment, to.comment);

// Views -----------------------------------------------------------------------------------------------------

const viewWord = (v: View) => (v.materialized ? 'MATERIALIZED VIEW' : 'VIEW');
const viewBody = (v: View) => v.definition.trim().replace(/;$/, '');

export const createViewSql = (v: View): string[] => {
  const name = qname(v.schema, v.name);
  const opts = v.options.length ? ` WITH (${v.options.join(', ')})` : '';
  return [
    `CREATE ${viewWord(v)} ${name}${opts} AS\n${viewBody(v)};`,
    ...commentStatements(`${viewWord(v)} ${name}`, null, v.comment),
    ...v.columnComments.map((c) => `COMMENT ON COLUMN ${name}.${ident(c.column)} IS ${literal(c.comment)};`),
    ...grantStatements(`TABLE ${name}`, [], v.grants),
  ];
};

export const dropViewSql = (v: View): string[] => [`DROP ${viewWord(v)} ${qname(v.schema, v.name)};`];
export const renameViewSql = (from: View, to: View): string[] => [
  `ALTER ${viewWord(from)} ${qname(from.schema, from.name)} RENAME TO ${ident(to.name)};`,
];
export const alterViewSql = (from: View, to: View): string[] => {
  const name = qname(to.schema, to.name);
  const out: string[] = [];
  for (const clause of optionClauses(from.options, to.options)) out.push(`ALTER ${viewWord(to)} ${name} ${clause};`);
  out.push(...commentStatements(`${viewWord(to)} ${name}`, from.comment, to.comment));
  for (const c of new Set([...from.columnComments.map((x) => x.column), ...to.columnComments.map((x) => x.column)])) {
    const a = from.columnComments.find((x) => x.column === c)?.comment ?? null;
    const b = to.columnComments.find((x) => x.column === c)?.comment ?? null;
    out.push(...commentStatements(`COLUMN ${name}.${ident(c)}`, a, b));
  }
  out.push(...grantStatements(`TABLE ${name}`, from.grants, to.grants));
  return out;
};

// Functions and procedures ------------------------------------------------------------------------------------

export const routineRef = (r: Routine) =>
  `${r.procedure ? 'PROCEDURE' : 'FUNCTION'} ${qname(r.schema, r.name)}(${r.identityArgs})`;

/** `pg_get_functiondef` is already a complete CREATE OR REPLACE statement. */
export const createFunctionSql = (r: Routine): string[] => [
  `${r.definition.trim().replace(/;$/, '')};`,
  ...commentStatements(routineRef(r), null, r.comment),
  ...grantStatements(routineRef(r), [], r.grants),
];
export const replaceFunctionSql = (from: Routine, to: Routine): string[] => [
  `${to.definition.trim().replace(/;$/, '')};`,
  ...alterFunctionSql(from, to),
];
export const dropFunctionSql = (r: Routine): string[] => [`DROP ${routineRef(r)};`];
export const alterFunctionSql = (from: Routine, to: Routine): string[] => [
  ...commentStatements(routineRef(to), from.comment, to.comment),
  ...grantStatements(routineRef(to), from.grants, to.grants),
];

// Triggers --------------------------------------------------------------------------------------------------

const triggerTarget = (t: Trigger) => `${ident(t.name)} ON ${qname(t.schema, t.table)}`;
const enableWord: Record<Trigger['enabled'], string> = {
  O: 'ENABLE',
  D: 'DISABLE',
  R: 'ENABLE REPLICA',
  A: 'ENABLE ALWAYS',
};
const enableSql = (t: Trigger) => `ALTER TABLE ${qname(t.schema, t.table)} ${enableWord[t.enabled]} TRIGGER ${ident(t.name)};`;

export const createTriggerSql = (t: Trigger): string[] => [
  `${t.definition};`,
  ...(t.enabled === 'O' ? [] : [enableSql(t)]),
  ...commentStatements(`TRIGGER ${triggerTarget(t)}`, null, t.comment),
];
export const dropTriggerSql = (t: Trigger): string[] => [`DROP TRIGGER ${triggerTarget(t)};`];
export const alterTriggerSql = (from: Trigger, to: Trigger): string[] => [
  ...(from.enabled === to.enabled ? [] : [enableSql(to)]),
  ...commentStatements(`TRIGGER ${triggerTarget(to)}`, from.comment, to.comment),
];

// Policies --------------------------------------------------------------------------------------------------

const policyTarget = (p: Policy) => `${ident(p.name)} ON ${qname(p.schema, p.table)}`;
const roleName = (r: string) => (r === 'public' ? 'PUBLIC' : ident(r));

export const createPolicySql = (p: Policy): string[] => [
  `CREATE POLICY ${policyTarget(p)} AS ${p.permissive ? 'PERMISSIVE' : 'RESTRICTIVE'} FOR ${p.command} TO ${p.roles
    .map(roleName)
    .join(', ')}${p.using !== null ? ` USING (${p.using})` : ''}${p.withCheck !== null ? ` WITH CHECK (${p.withCheck})` : ''};`,
  ...commentStatements(`POLICY ${policyTarget(p)}`, null, p.comment),
];
export const dropPolicySql = (p: Policy): string[] => [`DROP POLICY ${policyTarget(p)};`];
export const alterPolicySql = (from: Policy, to: Policy): string[] =>
  commentStatements(`POLICY ${policyTarget(to)}`, from.comment, to.comment);

// Schemas and extensions ------------------------------------------------------------------------------------

export const createSchemaSql = (s: Namespace): string[] => [
  `CREATE SCHEMA ${ident(s.name)};`,
  ...commentStatements(`SCHEMA ${ident(s.name)}`, null, s.comment),
  ...grantStatements(`SCHEMA ${ident(s.name)}`, [], s.grants),
];
export const dropSchemaSql = (s: Namespace): string[] => [`DROP SCHEMA ${ident(s.name)};`];
export const alterSchemaSql = (from: Namespace, to: Namespace): string[] => [
  ...commentStatements(`SCHEMA ${ident(to.name)}`, from.comment, to.comment),
  ...grantStatements(`SCHEMA ${ident(to.name)}`, from.grants, to.grants),
];

export const createExtensionSql = (e: Extension): string[] => [
  `CREATE EXTENSION IF NOT EXISTS ${ident(e.name)} WITH SCHEMA ${ident(e.schema)};`,
];
export const dropExtensionSql = (e: Extension): string[] => [`DROP EXTENSION ${ident(e.name)};`];
export const alterExtensionSql = (from: Extension, to: Extension): string[] =>
  from.schema === to.schema ? [] : [`ALTER EXTENSION ${ident(to.name)} SET SCHEMA ${ident(to.schema)};`];
