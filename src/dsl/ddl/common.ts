import { ident, literal } from '../../render/quote.js';
import type { GrantSpec } from '../grant.js';

/** Role names as SQL: PUBLIC and the CURRENT_USER-like keywords unquoted, others quoted. */
export const roleSql = (role: string): string => {
  const lower = role.toLowerCase();
  if (lower === 'public') return 'PUBLIC';
  if (['current_user', 'current_role', 'session_user'].includes(lower)) return lower.toUpperCase();
  return ident(role);
};

/** `GRANT … ON <target> TO …` for each grant. */
export const grantSql = (target: string, grants: readonly GrantSpec[]): string[] =>
  grants.map((g) => {
    // A column list belongs to the privilege it follows: `SELECT, UPDATE (c)` would grant SELECT on the whole
    // table, so each privilege carries the list.
    const columns = g.columns.length ? ` (${g.columns.map(ident).join(', ')})` : '';
    const privileges = g.privileges.map((p) => `${p === 'ALL' ? 'ALL PRIVILEGES' : p}${columns}`).join(', ');
    const grantees = g.to.map(roleSql).join(', ');
    return `GRANT ${privileges} ON ${target} TO ${grantees}${g.withGrantOption ? ' WITH GRANT OPTION' : ''}`;
  });

export const commentSql = (target: string, text: string | null): string[] =>
  text === null ? [] : [`COMMENT ON ${target} IS ${literal(text)}`];

/** Storage parameters: `WITH (fillfactor=70, security_barrier=true)`. */
export const withSql = (options: Readonly<Record<string, string | number | boolean>>): string => {
  const entries = Object.entries(options);
  if (entries.length === 0) return '';
  const value = (v: string | number | boolean) =>
    typeof v === 'string' && !/^[A-Za-z0-9_.]+$/.test(v) ? literal(v) : String(v);
  return ` WITH (${entries.map(([k, v]) => `${k}=${value(v)}`).join(', ')})`;
};

/** DEFERRABLE clause of a constraint or constraint trigger. */
export const deferrableSql = (d: boolean | 'immediate' | 'deferred'): string =>
  d === false ? '' : d === 'deferred' ? ' DEFERRABLE INITIALLY DEFERRED' : ' DEFERRABLE INITIALLY IMMEDIATE';

export const bigText = (n: number | bigint): string => String(n);
