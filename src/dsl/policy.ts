import { DSL } from './brand.js';
import { type SqlFragment, type SqlSource, toFragment } from './sql.js';

export interface PolicyOptions {
  /** `permissive` when absent. */
  readonly as?: 'permissive' | 'restrictive';
  /** `all` when absent. */
  readonly for?: 'all' | 'select' | 'insert' | 'update' | 'delete';
  /** Role names; `public` (every role) when absent. */
  readonly to?: string | readonly string[];
  readonly using?: SqlSource;
  readonly withCheck?: SqlSource;
  readonly comment?: string;
}

export interface PolicyData {
  readonly kind: 'policy';
  readonly name: string;
  readonly permissive: boolean;
  readonly command: 'ALL' | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
  readonly to: readonly string[];
  readonly using: SqlFragment | null;
  readonly withCheck: SqlFragment | null;
  readonly comment: string | null;
}

export interface Policy {
  readonly [DSL]: PolicyData;
}

/**
 * A row-level security policy, in its table's extras (turn RLS on with the table option `rls: true`):
 * `policy('own_rows', { for: 'select', to: 'app_user', using: sql\`owner = current_user\` })`.
 */
export const policy = (name: string, o: PolicyOptions = {}): Policy =>
  Object.freeze({
    [DSL]: Object.freeze<PolicyData>({
      kind: 'policy',
      name,
      permissive: (o.as ?? 'permissive') === 'permissive',
      command: (o.for ?? 'all').toUpperCase() as PolicyData['command'],
      to: o.to === undefined ? ['public'] : typeof o.to === 'string' ? [o.to] : o.to,
      using: o.using === undefined ? null : toFragment(o.using),
      withCheck: o.withCheck === undefined ? null : toFragment(o.withCheck),
      comment: o.comment ?? null,
    }),
  });
