/**
 * A statement run alone (outside a transaction) can be cut off half-way, or finish without its journal record:
 * a `CREATE INDEX CONCURRENTLY` that fails or is killed leaves an INVALID index behind, and any of them may have
 * completed just before the process died. Before such a statement runs again, this looks at the catalog:
 * an invalid leftover index is dropped; an index, enum value or dropped index that is already as the statement
 * would leave it counts as done — only when an earlier attempt stopped at exactly this step.
 */
import type { Db } from '../db/types.js';
import type { SqlStatement } from '../db/split-sql.js';
import { ident } from '../render/quote.js';
import { applySql } from './journal.js';

type Node = Record<string, unknown>;

export type Precheck =
  | { readonly kind: 'run' }
  | { readonly kind: 'done'; readonly reason: string }
  | { readonly kind: 'cleanup'; readonly sql: string; readonly message: string };

const names = (list: unknown): string[] =>
  ((list as Node[] | undefined) ?? []).map((n) => String((n.String as Node | undefined)?.sval ?? ''));

const qualified = (parts: readonly string[]): string => parts.map(ident).join('.');

const parseOne = async (statement: SqlStatement): Promise<[string, Node] | undefined> => {
  const { parse } = await import('libpg-query');
  const stmt = (await parse(statement.text)).stmts?.[0]?.stmt as Node | undefined;
  const kind = stmt && Object.keys(stmt)[0];
  return kind ? [kind, stmt[kind] as Node] : undefined;
};

/**
 * What to do before running `statement` alone. `mayBeDone`: an earlier attempt stopped at this very step, so
 * the statement may have taken effect already.
 */
export const precheck = async (db: Db, statement: SqlStatement, mayBeDone: boolean): Promise<Precheck> => {
  if (statement.kind !== 'IndexStmt' && statement.kind !== 'AlterEnumStmt' && statement.kind !== 'DropStmt') return { kind: 'run' };
  const parsed = await parseOne(statement);
  if (!parsed) return { kind: 'run' };
  const [kind, node] = parsed;
  if (kind === 'IndexStmt' && node.concurrent === true && typeof node.idxname === 'string') {
    const rel = node.relation as Node;
    const table = qualified([...(rel.schemaname ? [String(rel.schemaname)] : []), String(rel.relname)]);
    const [row] = await db.query<{ valid: boolean }>(await applySql('index-state'), [table, node.idxname]);
    if (!row) return { kind: 'run' };
    if (!row.valid) {
      const index = rel.schemaname ? qualified([String(rel.schemaname), node.idxname]) : ident(node.idxname);
      return {
        kind: 'cleanup',
        sql: `DROP INDEX CONCURRENTLY IF EXISTS ${index}`,
        message: `dropped the invalid index ${index} left by an interrupted CREATE INDEX CONCURRENTLY`,
      };
    }
    return mayBeDone ? { kind: 'done', reason: `index ${node.idxname} already exists and is valid` } : { kind: 'run' };
  }
  if (!mayBeDone) return { kind: 'run' };
  if (kind === 'AlterEnumStmt' && typeof node.newVal === 'string') {
    const [row] = await db.query<{ present: boolean }>(await applySql('enum-label'), [qualified(names(node.typeName)), node.newVal]);
    return row?.present ? { kind: 'done', reason: `enum value '${node.newVal}' already exists` } : { kind: 'run' };
  }
  if (kind === 'DropStmt' && node.removeType === 'OBJECT_INDEX' && node.concurrent === true) {
    const objects = ((node.objects as Node[] | undefined) ?? []).map((o) => qualified(names((o.List as Node | undefined)?.items)));
    const present = await db.query<{ present: boolean }>('SELECT to_regclass($1::text) IS NOT NULL AS present', [objects[0] ?? '']);
    return present[0]?.present === false ? { kind: 'done', reason: `index ${objects[0]} is already dropped` } : { kind: 'run' };
  }
  return { kind: 'run' };
};
