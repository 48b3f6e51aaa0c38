import { DSL, type Named, type ObjectOptions, renamedList, splitNamed } from './brand.js';
import type { GrantSpec } from './grant.js';
import type { Index } from './indexes.js';
import { type SqlFragment, type SqlSource, toFragment } from './sql.js';

export interface ViewOptions extends ObjectOptions {
  /** Column names, when they differ from the query's. */
  readonly columns?: readonly string[];
  readonly securityBarrier?: boolean;
  readonly securityInvoker?: boolean;
  readonly checkOption?: 'local' | 'cascaded';
  /** Storage parameters of a materialized view. */
  readonly with?: Readonly<Record<string, string | number | boolean>>;
  readonly columnComments?: Readonly<Record<string, string>>;
  readonly grants?: readonly GrantSpec[];
  /**
   * Indexes of a materialized view, keyed by expressions or column names:
   * `indexes: [index('daily_totals_day').unique().on(sql\`day\`)]` (a unique one lets it refresh CONCURRENTLY).
   */
  readonly indexes?: readonly Index[];
}

export interface ViewData {
  readonly kind: 'view';
  readonly schema: string;
  readonly name: string;
  readonly materialized: boolean;
  readonly query: SqlFragment;
  readonly columns: readonly string[];
  readonly options: Readonly<Record<string, string | number | boolean>>;
  readonly checkOption: 'local' | 'cascaded' | null;
  readonly columnComments: Readonly<Record<string, string>>;
  readonly comment: string | null;
  readonly grants: readonly GrantSpec[];
  readonly indexes: readonly Index[];
  readonly renamedFrom: readonly string[];
}

export interface View {
  readonly [DSL]: ViewData;
}

const make = (materialized: boolean, named: Named<ViewOptions>, query: SqlSource, extra: ViewOptions): View => {
  const split = splitNamed(named);
  const o = { ...split.options, ...extra };
  const options: Record<string, string | number | boolean> = { ...(o.with ?? {}) };
  if (o.securityBarrier !== undefined) options.security_barrier = o.securityBarrier;
  if (o.securityInvoker !== undefined) options.security_invoker = o.securityInvoker;
  return Object.freeze({
    [DSL]: Object.freeze<ViewData>({
      kind: 'view',
      schema: o.schema ?? 'public',
      name: split.name,
      materialized,
      query: toFragment(query),
      columns: o.columns ?? [],
      options,
      checkOption: o.checkOption ?? null,
      columnComments: o.columnComments ?? {},
      comment: o.comment ?? null,
      grants: o.grants ?? [],
      indexes: o.indexes ?? [],
      renamedFrom: renamedList(o.renamedFrom),
    }),
  });
};

/** `view('active_staffs', sql\`SELECT * FROM ${staffs} WHERE active\`)`. */
export const view = (named: Named<ViewOptions>, query: SqlSource, options: ViewOptions = {}): View =>
  make(false, named, query, options);

export const materializedView = (named: Named<ViewOptions>, query: SqlSource, options: ViewOptions = {}): View =>
  make(true, named, query, options);
