import { ident, qname } from '../../render/quote.js';
import { DSL } from '../brand.js';
import type { IndexData } from '../indexes.js';
import { commentSql, withSql } from './common.js';
import { DIAGNOSTIC_CODES as C } from './diagnostic.js';
import type { Site } from './site.js';
import { stmt } from './statement.js';
import { fragmentSql } from './sql-text.js';
import { elementSql, ownColumn, tableName, type TablePartContext } from './table.js';

/** CREATE INDEX, clauses in the order of Postgres's grammar. */
export const renderIndex = (p: TablePartContext, i: IndexData, site: Site): void => {
  const what = `index${i.name ? ` ${i.name}` : ''} on ${p.t.name}`;
  if (i.keys.length === 0) p.ctx.report(C.invalidDeclaration, site, `${what} has no keys: add .on(t.someColumn) or .on(sql\`…\`)`);
  const keys = i.keys.map((k) => elementSql(p, k, site, what)).join(', ');
  const include = i.include
    .map((c) => ownColumn(p, c, site, `${what} include`))
    .filter((c) => c !== undefined)
    .map((c) => ident(c.name));
  let sql = `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${i.name === undefined ? '' : `${ident(i.name)} `}ON ${tableName(p.t)}`;
  if (i.using) sql += ` USING ${i.using}`;
  sql += ` (${keys})`;
  if (include.length) sql += ` INCLUDE (${include.join(', ')})`;
  if (i.nullsNotDistinct) sql += ' NULLS NOT DISTINCT';
  sql += withSql(i.with);
  if (i.where) sql += ` WHERE (${fragmentSql(i.where[DSL], p.ctx.refs(site))})`;
  p.out.push({ phase: 'index', statement: stmt(sql, what, site) });
  if (i.comment !== null) {
    if (i.name === undefined) p.ctx.report(C.invalidDeclaration, site, `a commented index needs a name: index('name')`);
    else p.out.push({ phase: 'comment', statement: stmt(commentSql(`INDEX ${qname(p.t.schema, i.name)}`, i.comment)[0]!, what, site) });
  }
};
