import { dataOf } from '../brand.js';
import type { GrantSpec } from '../grant.js';
import type { PolicyData } from '../policy.js';
import type { TableData } from '../table-data.js';
import type { Declared } from './site.js';

const KEYWORDS = new Set(['public', 'current_user', 'current_role', 'session_user']);

/**
 * The roles the declarations grant to or name in policies. Roles belong to the server, not the schema: an
 * embedded shadow creates them so the grants can be applied; on a server they must exist.
 */
export const rolesIn = (declared: readonly Declared[]): string[] => {
  const roles = new Set<string>();
  const add = (grants: readonly GrantSpec[] | undefined) => grants?.forEach((g) => g.to.forEach((r) => roles.add(r)));
  for (const d of declared) {
    const data = d.data as { grants?: readonly GrantSpec[] };
    add(data.grants);
    if (d.data.kind !== 'table') continue;
    const t = d.data as TableData;
    t.columns.forEach((c) => add(c.column.grants));
    let extras: readonly unknown[] = [];
    try {
      extras = t.extras();
    } catch {
      // reported when the table is rendered
    }
    for (const x of extras) {
      const p = dataOf(x);
      if (p?.kind === 'policy') (p as PolicyData).to.forEach((r) => roles.add(r));
    }
  }
  return [...roles].filter((r) => !KEYWORDS.has(r.toLowerCase())).sort();
};
