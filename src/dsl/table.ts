import { DSL, type Named, snakeCase, splitNamed } from './brand.js';
import { BoundColumn, type BoundColumnData } from './bound-column.js';
import type { AnyColumn, Column } from './column.js';
import type { GrantSpec } from './grant.js';
import { type SqlSource, toFragment } from './sql.js';
import type { TableData, TableDistribution } from './table-data.js';

export interface TableOptions {
  /** `public` when absent. */
  readonly schema?: string;
  readonly unlogged?: boolean;
  /** A partitioned table: `'RANGE (created_at)'`, `sql\`LIST (region)\``. */
  readonly partitionBy?: SqlSource;
  /** A partition of a partitioned table; declare it with no columns (they are the parent's). */
  readonly partitionOf?: { readonly parent: () => unknown; readonly bound: SqlSource };
  /** Plain inheritance (`INHERITS`): the parent tables, whose columns this table has too (declare only its own). */
  readonly inherits?: readonly (() => unknown)[];
  /** ENABLE ROW LEVEL SECURITY. */
  readonly rls?: boolean;
  /** FORCE ROW LEVEL SECURITY (the owner is subject to the policies too). */
  readonly forceRls?: boolean;
  readonly with?: Readonly<Record<string, string | number | boolean>>;
  readonly comment?: string;
  readonly grants?: readonly GrantSpec[];
  /** Rename hint: the table was called this (or these) before. */
  readonly renamedFrom?: string | readonly string[];
  /**
   * Citus, untested (docs/distributed.md): `'reference'`, or `{ by: 'tenant_id', colocateWith: () => tenants }`.
   * A migration that creates the table distributes it where the citus extension is installed, and nowhere else.
   */
  readonly distribute?: TableDistribution;
}

type BoundOf<C> = C extends Column<infer T, infer N, infer D, infer G, infer S> ? BoundColumn<T, N, D, G, S> : never;

/** A declared table: its columns by property key (`staffs.officeId`), and its declaration under `[DSL]`. */
export type Table<C extends Record<string, AnyColumn> = Record<string, AnyColumn>> = {
  readonly [K in keyof C]: BoundOf<C[K]>;
} & { readonly [DSL]: TableData };

export const asList = (x: string | readonly string[] | undefined): readonly string[] =>
  x === undefined ? [] : typeof x === 'string' ? [x] : x;

/**
 * Declares a table. Property keys are the names application code uses; SQL names are their snake_case unless the
 * column builder is given one (`uuid('office_id')`).
 *
 *   export const staffs = table('staffs', {
 *     id: uuid().primaryKey().default(sql`gen_random_uuid()`),
 *     officeId: uuid().notNull().references(() => offices.id, { onDelete: 'cascade' }),
 *   }, (t) => [index().on(t.officeId)]);
 */
export const table = <C extends Record<string, AnyColumn>>(
  named: Named<TableOptions>,
  columns: C,
  extras?: (t: Table<C>) => readonly unknown[],
): Table<C> => {
  const { name, options } = splitNamed(named);
  const bound: BoundColumnData[] = [];
  const out: Record<string, unknown> = {};
  let evaluated: readonly unknown[] | undefined;
  const data: TableData = {
    kind: 'table',
    schema: options.schema ?? 'public',
    name,
    columns: bound,
    extras: () => (evaluated ??= Object.freeze([...(extras ? extras(result) : [])])),
    unlogged: options.unlogged ?? false,
    partitionBy: options.partitionBy === undefined ? null : toFragment(options.partitionBy),
    partitionOf: options.partitionOf
      ? { parent: options.partitionOf.parent, bound: toFragment(options.partitionOf.bound) }
      : null,
    inherits: options.inherits ?? [],
    rls: options.rls ?? false,
    forceRls: options.forceRls ?? false,
    with: options.with ?? {},
    comment: options.comment ?? null,
    grants: options.grants ?? [],
    renamedFrom: asList(options.renamedFrom),
    distribute: options.distribute ?? null,
  };
  for (const [key, column] of Object.entries(columns)) {
    const c = column[DSL];
    const b: BoundColumnData = { kind: 'bound-column', key, name: c.name ?? snakeCase(key), column: c, table: data };
    bound.push(Object.freeze(b));
    out[key] = new BoundColumn(b);
  }
  Object.freeze(bound);
  Object.freeze(data);
  Object.defineProperty(out, DSL, { value: data, enumerable: false });
  const result = Object.freeze(out) as Table<C>;
  return result;
};
