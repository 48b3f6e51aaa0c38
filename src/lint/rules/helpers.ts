/** Pieces several rules share. */
import type { AlterTableCmd, ColumnDef, Node, RangeVar } from 'libpg-query';
import { ident } from '../../render/quote.js';
import { as, relKey, relLabel, typeInfo, type TypeInfo } from '../ast.js';
import type { StatementContext } from '../types.js';

/** The statement's parse tree. */
export const nodeOf = (ctx: StatementContext): Node => ctx.statement.node as Node;

/** A table that existed before this file (not created earlier in it): others may be using it now. */
export const existing = (ctx: StatementContext, rv: RangeVar | undefined): boolean =>
  rv?.relname !== undefined && !ctx.state.createdTables.has(relKey(rv));

/** `"schema"."name"` (or `"name"`) as the statement wrote it, quoted. */
export const quotedRel = (rv: RangeVar | undefined): string =>
  rv?.schemaname ? `${ident(rv.schemaname)}.${ident(rv.relname ?? '')}` : ident(rv?.relname ?? '');

export interface TableCommand {
  readonly relation: RangeVar;
  readonly cmd: AlterTableCmd;
}

/** The subcommands of an `ALTER TABLE` on an existing table. */
export const existingTableCommands = (ctx: StatementContext): TableCommand[] => {
  const alter = as(nodeOf(ctx), 'AlterTableStmt');
  if (!alter?.relation || alter.objtype !== 'OBJECT_TABLE' || !existing(ctx, alter.relation)) return [];
  return (alter.cmds ?? []).flatMap((c) => {
    const cmd = as(c, 'AlterTableCmd');
    return cmd ? [{ relation: alter.relation!, cmd }] : [];
  });
};

export interface TypeChangeCommand extends TableCommand {
  readonly name: string;
  readonly col: ColumnDef | undefined;
  /** The new type. */
  readonly to: TypeInfo;
  /** The column's type before, when the file or its context declared it. */
  readonly from: TypeInfo | undefined;
}

/** The `ALTER COLUMN … TYPE` subcommands on existing tables, with the old type where known. */
export const typeChangeCommands = (ctx: StatementContext): TypeChangeCommand[] =>
  existingTableCommands(ctx).flatMap(({ relation, cmd }) => {
    const col = as(cmd.def, 'ColumnDef');
    const to = typeInfo(col?.typeName);
    if (cmd.subtype !== 'AT_AlterColumnType' || !cmd.name || !to) return [];
    return [{ relation, cmd, name: cmd.name, col, to, from: ctx.state.columns.get(relKey(relation))?.get(cmd.name) }];
  });

export const label = relLabel;
export { ident };
