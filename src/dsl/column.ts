import { DSL } from './brand.js';
import type { GrantSpec } from './grant.js';
import { sql, type SqlFragment, type SqlSource, toFragment } from './sql.js';

/** What a column's type is: SQL text for built-in and custom types, or a declared enum, domain or composite. */
export type TypeSpec =
  | { readonly kind: 'sql'; readonly text: string }
  | { readonly kind: 'declared'; readonly decl: { readonly kind: 'enum' | 'domain' | 'composite'; readonly schema: string; readonly name: string } };

export type DefaultSpec = { readonly kind: 'value'; readonly value: unknown } | { readonly kind: 'sql'; readonly sql: SqlFragment };

export type ReferentialAction = 'cascade' | 'restrict' | 'no action' | 'set null' | 'set default';

export interface ReferenceOptions {
  /** Constraint name; Postgres names it `<table>_<column>_fkey` when absent. */
  readonly name?: string;
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
  readonly match?: 'full' | 'simple';
  /** `true` or `'immediate'`: DEFERRABLE INITIALLY IMMEDIATE; `'deferred'`: DEFERRABLE INITIALLY DEFERRED. */
  readonly deferrable?: boolean | 'immediate' | 'deferred';
  /** Created `NOT VALID`: existing rows are not checked. */
  readonly notValid?: boolean;
}

export interface ReferenceSpec extends ReferenceOptions {
  /** Called when the script is rendered, so a table may reference one declared later (or itself). */
  readonly target: () => unknown;
}

export interface CheckSpec {
  readonly name: string | undefined;
  readonly expression: SqlFragment;
}

export interface IdentityOptions {
  readonly sequenceName?: string;
  readonly start?: number | bigint;
  readonly increment?: number | bigint;
  readonly minValue?: number | bigint;
  readonly maxValue?: number | bigint;
  readonly cache?: number | bigint;
  readonly cycle?: boolean;
}

export interface IdentitySpec extends IdentityOptions {
  readonly always: boolean;
}

export interface UniqueSpec {
  readonly name: string | undefined;
  readonly nullsNotDistinct: boolean;
}

/** Everything declared about one column; the SQL name is filled in by `table()` when not given. */
export interface ColumnData {
  readonly kind: 'column';
  readonly name: string | undefined;
  readonly type: TypeSpec;
  /** Array dimensions added with `.array()`. */
  readonly dims: number;
  readonly notNull: boolean;
  /** The NOT NULL constraint's name (`.notNull({ name })`; kept by PostgreSQL 18, ignored before). */
  readonly notNullName: string | null;
  readonly primaryKey: boolean;
  readonly unique: UniqueSpec | null;
  readonly default: DefaultSpec | null;
  readonly identity: IdentitySpec | null;
  readonly generated: SqlFragment | null;
  /** `VIRTUAL` rather than `STORED` (PostgreSQL 18). */
  readonly generatedVirtual: boolean;
  readonly collation: string | null;
  readonly references: ReferenceSpec | null;
  readonly checks: readonly CheckSpec[];
  readonly comment: string | null;
  readonly renamedFrom: readonly string[];
  readonly grants: readonly GrantSpec[];
  /** How the phased strategy fills existing rows when the column becomes NOT NULL (never part of the schema). */
  readonly backfill: SqlFragment | null;
}

export const columnData = (type: TypeSpec, name: string | undefined): ColumnData => ({
  kind: 'column',
  name,
  type,
  dims: 0,
  notNull: false,
  notNullName: null,
  primaryKey: false,
  unique: null,
  default: null,
  identity: null,
  generated: null,
  generatedVirtual: false,
  collation: null,
  references: null,
  checks: [],
  comment: null,
  renamedFrom: [],
  grants: [],
  backfill: null,
});

/**
 * A column being declared. The type parameters carry what application code needs to know (`InferRow`,
 * `InferInsert`, `InferDbRow`): the JS value type, whether it is NOT NULL, whether inserts may leave it out
 * (default, serial, identity by default), whether inserts must leave it out (generated, identity always), and the
 * SQL name given to the builder (`uuid('office_id')`; `undefined` when the table derives it from the key).
 * Every method returns a new builder; a builder can be shared between tables.
 */
export class Column<T, N extends boolean = false, D extends boolean = false, G extends boolean = false, S extends string | undefined = undefined> {
  /** Type-level only: never set at run time. */
  declare readonly $infer: { readonly value: T; readonly notNull: N; readonly hasDefault: D; readonly generated: G; readonly sqlName: S };
  readonly [DSL]: ColumnData;

  constructor(data: ColumnData) {
    this[DSL] = Object.freeze(data);
    Object.freeze(this);
  }

  private with<T2 = T, N2 extends boolean = N, D2 extends boolean = D, G2 extends boolean = G>(
    patch: Partial<ColumnData>,
  ): Column<T2, N2, D2, G2, S> {
    return new Column<T2, N2, D2, G2, S>({ ...this[DSL], ...patch });
  }

  /**
   * NOT NULL. `name` names its constraint (PostgreSQL 18 keeps NOT NULL as a named constraint; unnamed, it is
   * `<table>_<column>_not_null`); earlier majors have no such constraint and ignore the name.
   */
  notNull(options: { readonly name?: string } = {}): Column<T, true, D, G, S> {
    return this.with({ notNull: true, notNullName: options.name ?? null });
  }
  /** PRIMARY KEY (implies NOT NULL). For a key over several columns use `primaryKey(...)` in the table's extras. */
  primaryKey(): Column<T, true, D, G, S> {
    return this.with({ primaryKey: true, notNull: true });
  }
  unique(options: { readonly name?: string; readonly nullsNotDistinct?: boolean } = {}): Column<T, N, D, G, S> {
    return this.with({ unique: { name: options.name, nullsNotDistinct: options.nullsNotDistinct ?? false } });
  }
  /**
   * A default: a JS value of the column's type (strings, numbers, booleans, bigints, Dates, objects for json,
   * arrays for array columns) becomes a typed SQL literal; `sql\`…\`` is used as written.
   */
  default(value: T | SqlFragment): Column<T, N, true, G, S> {
    const spec: DefaultSpec =
      typeof value === 'object' && value !== null && DSL in value
        ? { kind: 'sql', sql: value as SqlFragment }
        : { kind: 'value', value };
    return this.with({ default: spec });
  }
  /** DEFAULT now(). */
  defaultNow(): Column<T, N, true, G, S> {
    return this.with({ default: { kind: 'sql', sql: sql`now()` } });
  }
  /**
   * GENERATED ALWAYS AS (expr) STORED: inserts leave it out. `{ virtual: true }`: `VIRTUAL` instead (PostgreSQL
   * 18+), computed when read, so adding one rewrites no row.
   */
  generatedAlwaysAs(expression: SqlSource, options: { readonly virtual?: boolean } = {}): Column<T, N, D, true, S> {
    return this.with({ generated: toFragment(expression), generatedVirtual: options.virtual ?? false });
  }
  /** GENERATED ALWAYS AS IDENTITY (implies NOT NULL): inserts leave it out. */
  generatedAlwaysAsIdentity(options: IdentityOptions = {}): Column<T, true, D, true, S> {
    return this.with({ identity: { ...options, always: true }, notNull: true });
  }
  /** GENERATED BY DEFAULT AS IDENTITY (implies NOT NULL): inserts may leave it out. */
  generatedByDefaultAsIdentity(options: IdentityOptions = {}): Column<T, true, true, G, S> {
    return this.with({ identity: { ...options, always: false }, notNull: true });
  }
  /** COLLATE, e.g. `"C"` or `und-x-icu`; a name as Postgres spells it (quoted when needed). */
  collate(collation: string): Column<T, N, D, G, S> {
    return this.with({ collation });
  }
  /**
   * A foreign key to one column: `references(() => offices.id, { onDelete: 'cascade' })`. Where tables reference
   * each other, annotate one side: `references((): ColumnRef => staffs.id)`.
   */
  references(target: () => unknown, options: ReferenceOptions = {}): Column<T, N, D, G, S> {
    return this.with({ references: { ...options, target } });
  }
  /** A CHECK constraint on this column: `.check(sql\`price > 0\`)` or `.check('price_positive', sql\`price > 0\`)`. */
  check(nameOrExpression: string | SqlFragment, expression?: SqlSource): Column<T, N, D, G, S> {
    const spec: CheckSpec =
      expression === undefined
        ? { name: undefined, expression: toFragment(nameOrExpression as SqlSource) }
        : { name: nameOrExpression as string, expression: toFragment(expression) };
    return this.with({ checks: [...this[DSL].checks, spec] });
  }
  comment(text: string): Column<T, N, D, G, S> {
    return this.with({ comment: text });
  }
  /** Rename hint: the column was called `old` (several names for several past renames). */
  renamedFrom(...old: readonly string[]): Column<T, N, D, G, S> {
    return this.with({ renamedFrom: [...this[DSL].renamedFrom, ...old] });
  }
  /**
   * How existing rows get a value when this column is added NOT NULL (or made NOT NULL) on a table with rows:
   * an expression over the row, as in `UPDATE … SET col = expr`, e.g. `.backfill(sql\`lower(email)\`)`. The
   * phased plan fills rows in batches with it; it is not part of the schema.
   */
  backfill(expression: SqlSource): Column<T, N, D, G, S> {
    return this.with({ backfill: toFragment(expression) });
  }
  /** One more array dimension: `text().array()` is `text[]`. */
  array(): Column<T[], N, D, G, S> {
    return this.with({ dims: this[DSL].dims + 1 });
  }
  /** Column-level privileges: `grant('select', 'reader')` limited to this column. */
  grant(...grants: readonly GrantSpec[]): Column<T, N, D, G, S> {
    return this.with({ grants: [...this[DSL].grants, ...grants] });
  }
}

/** Any column builder, whatever it infers. */
export type AnyColumn = Column<any, boolean, boolean, boolean, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
