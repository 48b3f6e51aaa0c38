import type { Constraint, Table } from '../model/schema.js';
import { commentStatements } from './comment.js';
import { ident } from './quote.js';
import { constraintCommentTarget, tableName } from './table.js';

export const addConstraintSql = (t: Table, c: Constraint): string[] => [
  `ALTER TABLE ${tableName(t)} ADD CONSTRAINT ${ident(c.name)} ${c.definition};`,
  ...commentStatements(constraintCommentTarget(t, c.name), null, c.comment),
];

export const dropConstraintSql = (t: Table, c: Constraint): string[] => [
  `ALTER TABLE ${tableName(t)} DROP CONSTRAINT ${ident(c.name)};`,
];

export const renameConstraintSql = (t: Table, from: Constraint, to: Constraint): string[] => [
  `ALTER TABLE ${tableName(t)} RENAME CONSTRAINT ${ident(from.name)} TO ${ident(to.name)};`,
];

/** In place: validation (NOT VALID → valid) and the comment. The differ rebuilds anything else. */
export const alterConstraintSql = (t: Table, from: Constraint, to: Constraint): string[] => [
  ...(!from.validated && to.validated ? [`ALTER TABLE ${tableName(t)} VALIDATE CONSTRAINT ${ident(to.name)};`] : []),
  ...commentStatements(constraintCommentTarget(t, to.name), from.comment, to.comment),
];
