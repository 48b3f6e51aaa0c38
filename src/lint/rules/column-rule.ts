/** Rules about the columns a statement defines (CREATE TABLE, ADD COLUMN): the style rules. */
import type { ColumnDef } from 'libpg-query';
import { as } from '../ast.js';
import type { LintRule, RuleHit, StatementContext } from '../types.js';
import { label, nodeOf } from './helpers.js';

/** Every column this statement defines (CREATE TABLE, ALTER TABLE … ADD COLUMN), with the table's label. */
export const definedColumns = (ctx: StatementContext): { table: string; col: ColumnDef }[] => {
  const node = nodeOf(ctx);
  const create = as(node, 'CreateStmt');
  const alter = as(node, 'AlterTableStmt');
  const table = label(create?.relation ?? alter?.relation);
  const added = (alter?.cmds ?? []).map((c) => as(c, 'AlterTableCmd')).filter((c) => c?.subtype === 'AT_AddColumn');
  const elements = create ? (create.tableElts ?? []) : added.map((c) => c?.def);
  return elements.flatMap((e) => {
    const col = as(e, 'ColumnDef');
    return col?.typeName ? [{ table, col }] : [];
  });
};

export const columnRule = (
  rule: Omit<LintRule, 'check'>,
  test: (col: ColumnDef) => string | undefined,
): LintRule => ({
  ...rule,
  check(ctx): RuleHit[] {
    return definedColumns(ctx).flatMap(({ table, col }) => {
      const why = test(col);
      return why ? [{ location: col.typeName?.location ?? col.location, message: `${table}.${col.colname}: ${why}` }] : [];
    });
  },
});
