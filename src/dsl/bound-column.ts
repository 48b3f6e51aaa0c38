import { DSL } from './brand.js';
import type { ColumnData } from './column.js';
import type { SqlFragment } from './sql.js';
import type { TableData } from './table-data.js';

export interface BoundColumnData {
  readonly kind: 'bound-column';
  /** The property key in the schema file (`officeId`). */
  readonly key: string;
  /** The SQL name (`office_id`). */
  readonly name: string;
  readonly column: ColumnData;
  readonly table: TableData;
}

export interface IndexElementData {
  readonly kind: 'index-element';
  /** A column of the table, or an expression. */
  readonly target: BoundColumn<unknown> | SqlFragment;
  readonly collation: string | null;
  readonly opclass: string | null;
  readonly order: 'ASC' | 'DESC' | null;
  readonly nulls: 'FIRST' | 'LAST' | null;
}

/** One key of an index or exclusion constraint, with its opclass, collation and order. */
export class IndexElement {
  readonly [DSL]: IndexElementData;
  constructor(data: IndexElementData) {
    this[DSL] = Object.freeze(data);
    Object.freeze(this);
  }
  private with(patch: Partial<IndexElementData>): IndexElement {
    return new IndexElement({ ...this[DSL], ...patch });
  }
  /** An operator class: `op('gin_trgm_ops')`, `op('text_pattern_ops')`. */
  op(opclass: string): IndexElement {
    return this.with({ opclass });
  }
  collate(collation: string): IndexElement {
    return this.with({ collation });
  }
  asc(): IndexElement {
    return this.with({ order: 'ASC' });
  }
  desc(): IndexElement {
    return this.with({ order: 'DESC' });
  }
  nullsFirst(): IndexElement {
    return this.with({ nulls: 'FIRST' });
  }
  nullsLast(): IndexElement {
    return this.with({ nulls: 'LAST' });
  }
}

const element = (target: BoundColumn<unknown> | SqlFragment): IndexElement =>
  new IndexElement({ kind: 'index-element', target, collation: null, opclass: null, order: null, nulls: null });

/** An expression as an index key, so it can take an opclass or order: `expression(sql\`lower(email)\`).op(…)`. */
export const expression = (sql: SqlFragment): IndexElement => element(sql);

/**
 * A column of a declared table (`staffs.name`, or `t.name` in the table's extras): what foreign keys, indexes,
 * constraints and `sql` fragments refer to. Its methods start an index key: `t.title.op('gin_trgm_ops')`.
 */
export class BoundColumn<
  T,
  N extends boolean = boolean,
  D extends boolean = boolean,
  G extends boolean = boolean,
  S extends string | undefined = string | undefined,
> {
  /** Type-level only: never set at run time. `sqlName`: the name given to the builder, if any (see `Column`). */
  declare readonly $infer: { readonly value: T; readonly notNull: N; readonly hasDefault: D; readonly generated: G; readonly sqlName: S };
  readonly [DSL]: BoundColumnData;
  constructor(data: BoundColumnData) {
    this[DSL] = data;
    Object.freeze(this);
  }
  op(opclass: string): IndexElement {
    return element(this as BoundColumn<unknown>).op(opclass);
  }
  collate(collation: string): IndexElement {
    return element(this as BoundColumn<unknown>).collate(collation);
  }
  asc(): IndexElement {
    return element(this as BoundColumn<unknown>).asc();
  }
  desc(): IndexElement {
    return element(this as BoundColumn<unknown>).desc();
  }
  nullsFirst(): IndexElement {
    return element(this as BoundColumn<unknown>).nullsFirst();
  }
  nullsLast(): IndexElement {
    return element(this as BoundColumn<unknown>).nullsLast();
  }
}

/**
 * Any column of a declared table. Annotate a reference with it where two tables reference each other (or a table
 * itself), which TypeScript cannot infer in a cycle: `.references((): ColumnRef => staffs.id)`.
 */
export type ColumnRef = BoundColumn<unknown>;
