import type { DSL } from './brand.js';
import type { BoundColumn } from './bound-column.js';

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type ColumnsOf<T> = { [K in keyof T as K extends typeof DSL ? never : K extends string ? K : never]: T[K] };

type RowValue<C> =
  C extends BoundColumn<infer V, infer N, boolean, boolean> ? (N extends true ? V : V | null) : never;

/** The row application code reads: every column, `null` allowed where the column is nullable. */
export type InferRow<T> = Simplify<{ -readonly [K in keyof ColumnsOf<T>]: RowValue<ColumnsOf<T>[K]> }>;

type InsertKind<C> =
  C extends BoundColumn<unknown, infer N, infer D, infer G>
    ? G extends true
      ? 'never'
      : D extends true
        ? 'optional'
        : N extends true
          ? 'required'
          : 'optional'
    : never;

type Keys<T, Kind> = { [K in keyof ColumnsOf<T>]: InsertKind<ColumnsOf<T>[K]> extends Kind ? K : never }[keyof ColumnsOf<T>];

/**
 * A row as application code inserts it: NOT NULL columns without a default are required; nullable or defaulted
 * ones optional; generated and identity-always columns absent.
 */
export type InferInsert<T> = Simplify<
  { -readonly [K in Keys<T, 'required'>]: RowValue<ColumnsOf<T>[K]> } & {
    -readonly [K in Keys<T, 'optional'>]?: RowValue<ColumnsOf<T>[K]>;
  }
>;
