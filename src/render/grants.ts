import type { Grant } from '../model/schema.js';
import { ident } from './quote.js';

const grantee = (g: Grant) => (g.grantee === 'PUBLIC' ? 'PUBLIC' : ident(g.grantee));
const same = (a: Grant, b: Grant) =>
  a.grantee === b.grantee && a.privilege === b.privilege && a.grantable === b.grantable;

/**
 * GRANT / REVOKE statements turning `from` into `to` on one object. `on` is the SQL object reference
 * (`TABLE "s"."t"`, `SEQUENCE …`, `FUNCTION …(args)`, `SCHEMA …`); `columns` narrows a table grant to columns.
 */
export const grantStatements = (
  on: string,
  from: readonly Grant[],
  to: readonly Grant[],
  column?: string,
): string[] => {
  const cols = column === undefined ? '' : ` (${ident(column)})`;
  const out: string[] = [];
  for (const g of from) {
    if (to.some((t) => same(t, g))) continue;
    out.push(`REVOKE ${g.privilege}${cols} ON ${on} FROM ${grantee(g)};`);
  }
  for (const g of to) {
    if (from.some((f) => same(f, g))) continue;
    out.push(`GRANT ${g.privilege}${cols} ON ${on} TO ${grantee(g)}${g.grantable ? ' WITH GRANT OPTION' : ''};`);
  }
  return out;
};
