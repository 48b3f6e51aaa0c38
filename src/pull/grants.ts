/** Grants (one `aclexplode` row each in the model) → `grant(…)` calls, grouped by grantee and grant option. */
import type { Grant } from '../model/schema.js';
import { str } from './code.js';
import type { DeclContext } from './context.js';

/** Privileges each object kind has: holding all of them is written `'all'`. */
export const ALL_PRIVILEGES = {
  table: ['DELETE', 'INSERT', 'REFERENCES', 'SELECT', 'TRIGGER', 'TRUNCATE', 'UPDATE'],
  sequence: ['SELECT', 'UPDATE', 'USAGE'],
  schema: ['CREATE', 'USAGE'],
  function: ['EXECUTE'],
  column: ['INSERT', 'REFERENCES', 'SELECT', 'UPDATE'],
} as const;

const roleText = (r: string) => (r === 'PUBLIC' ? 'public' : r);

/** `grant('select', 'reader')`, `grant(['insert', 'select'], 'app', { withGrantOption: true })`, sorted. */
export const grantCalls = (ctx: DeclContext, grants: readonly Grant[], kind: keyof typeof ALL_PRIVILEGES): string[] => {
  // Privileges by (grantable, grantee); then grantees sharing one privilege set are one call.
  const byRole = new Map<string, { grantable: boolean; grantee: string; privileges: Set<string> }>();
  for (const g of grants) {
    const k = JSON.stringify([g.grantable, g.grantee]);
    const entry = byRole.get(k) ?? { grantable: g.grantable, grantee: g.grantee, privileges: new Set<string>() };
    entry.privileges.add(g.privilege);
    byRole.set(k, entry);
  }
  const calls = new Map<string, { privileges: string[]; grantable: boolean; roles: string[] }>();
  for (const e of [...byRole.values()].sort((a, b) => a.grantee.localeCompare(b.grantee))) {
    const privileges = [...e.privileges].sort();
    const all = ALL_PRIVILEGES[kind];
    // MAINTAIN (PostgreSQL 17+) is part of ALL on a newer server: only the list of this server's privileges is safe.
    const isAll = kind !== 'table' && kind !== 'column' && privileges.length === all.length && all.every((p) => privileges.includes(p));
    // A column grant names one privilege per call: the DSL writes `GRANT SELECT, UPDATE (c)`, where SQL reads the
    // column list as UPDATE's only (SELECT would be on the whole table).
    const lists = isAll ? [['all']] : kind === 'column' ? privileges.map((p) => [p.toLowerCase()]) : [privileges.map((p) => p.toLowerCase())];
    for (const list of lists) {
      const k = JSON.stringify([list, e.grantable]);
      const call = calls.get(k) ?? { privileges: list, grantable: e.grantable, roles: [] };
      call.roles.push(roleText(e.grantee));
      calls.set(k, call);
    }
  }
  return [...calls.values()].map((c) => {
    const privileges = c.privileges.length === 1 ? str(c.privileges[0]!) : `[${c.privileges.map(str).join(', ')}]`;
    const roles = c.roles.length === 1 ? str(c.roles[0]!) : `[${c.roles.map(str).join(', ')}]`;
    return `${ctx.dsl('grant')}(${privileges}, ${roles}${c.grantable ? ', { withGrantOption: true }' : ''})`;
  });
};
