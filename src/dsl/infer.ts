import type { DSL } from './brand.js';
import type { BoundColumn } from './bound-column.js';

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type ColumnsOf<T> = { [K in keyof T as K extends typeof DSL ? never : K extends string ? K : never]: T[K] };

type RowValue<C> =
  C extends BoundColumn<infer V, infer N, boolean, boolean> ? (N extends true ? V : V | null) : never;

/** The row application code reads, under the schema file's keys: every column, `null` allowed where nullable. */
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

type Upper = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M' | 'N' | 'O' | 'P' | 'Q' | 'R' | 'S' | 'T' | 'U' | 'V' | 'W' | 'X' | 'Y' | 'Z';
type Lower = Lowercase<Upper>;
type Digit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9';

/**
 * `snakeCase` of `dsl/brand.ts` at the type level, character by character. Its two regexes, read locally: an
 * underscore goes between a lowercase letter or digit and an uppercase letter (`officeId`), and between two
 * uppercase letters followed by a lowercase one (`HTTPStatus` → `HTTP_Status`); then everything is lowercased.
 * ASCII letters only, as in the regexes.
 */
export type SnakeCase<K extends string, Prev extends string = '', Acc extends string = ''> = K extends `${infer C}${infer Rest}`
  ? SnakeCase<
      Rest,
      C,
      `${Acc}${[Prev, C] extends [Lower | Digit, Upper] ? '_' : [Prev, C, Rest] extends [Upper, Upper, `${Lower}${string}`] ? '_' : ''}${C}`
    >
  : Lowercase<Acc>;

type SqlNameOf<K extends string, C> =
  C extends BoundColumn<unknown, boolean, boolean, boolean, infer S>
    ? [S] extends [undefined]
      ? SnakeCase<K>
      : S extends string
        ? S
        : never
    : never;

/**
 * The row as the database names it, which is what `pg` and PGlite return: every column under its SQL name (the
 * name given to the builder, else the key in snake_case, as `table()` derives it), `null` where nullable.
 * A name given as a non-literal `string` cannot be known here: such a column appears under an index signature.
 */
export type InferDbRow<T> = Simplify<{
  -readonly [K in keyof ColumnsOf<T> as K extends string ? SqlNameOf<K, ColumnsOf<T>[K]> : never]: RowValue<ColumnsOf<T>[K]>;
}>;

/** `InferInsert` under the SQL names (see `InferDbRow`). */
export type InferDbInsert<T> = Simplify<
  { -readonly [K in Keys<T, 'required'> as K extends string ? SqlNameOf<K, ColumnsOf<T>[K]> : never]: RowValue<ColumnsOf<T>[K]> } & {
    -readonly [K in Keys<T, 'optional'> as K extends string ? SqlNameOf<K, ColumnsOf<T>[K]> : never]?: RowValue<ColumnsOf<T>[K]>;
  }
>;
