import { DSL } from './brand.js';
import type { BoundColumn, IndexElement } from './bound-column.js';
import { type SqlFragment, type SqlSource, toFragment } from './sql.js';

export interface IndexData {
  readonly kind: 'index';
  /** Postgres chooses `<table>_<columns>_idx` when absent. */
  readonly name: string | undefined;
  readonly unique: boolean;
  readonly nullsNotDistinct: boolean;
  /** Access method: btree (default), gin, gist, brin, hash, spgist, or an extension's. */
  readonly using: string | null;
  readonly keys: readonly (BoundColumn<unknown> | IndexElement | SqlFragment)[];
  readonly include: readonly BoundColumn<unknown>[];
  readonly where: SqlFragment | null;
  readonly with: Readonly<Record<string, string | number | boolean>>;
  readonly comment: string | null;
  readonly renamedFrom: readonly string[];
}

/**
 * An index, in a table's extras: `index().on(t.email)`, `index('staffs_lower_email').on(sql\`lower(email)\`)`,
 * `index().using('gin').on(t.title.op('gin_trgm_ops'))`, `.unique()`, `.where(sql\`deleted_at IS NULL\`)`,
 * `.include(t.name)`. Every method returns a new index.
 */
export class Index {
  readonly [DSL]: IndexData;
  constructor(data: IndexData) {
    this[DSL] = Object.freeze(data);
    Object.freeze(this);
  }
  private with(patch: Partial<IndexData>): Index {
    return new Index({ ...this[DSL], ...patch });
  }
  on(...keys: readonly (BoundColumn<unknown> | IndexElement | SqlFragment)[]): Index {
    return this.with({ keys: [...this[DSL].keys, ...keys] });
  }
  using(method: string): Index {
    return this.with({ using: method });
  }
  unique(): Index {
    return this.with({ unique: true });
  }
  /** UNIQUE NULLS NOT DISTINCT (PostgreSQL 15+). */
  nullsNotDistinct(): Index {
    return this.with({ unique: true, nullsNotDistinct: true });
  }
  /** A partial index. */
  where(predicate: SqlSource): Index {
    return this.with({ where: toFragment(predicate) });
  }
  /** INCLUDE (…): columns stored in the index but not part of its key. */
  include(...columns: readonly BoundColumn<unknown>[]): Index {
    return this.with({ include: [...this[DSL].include, ...columns] });
  }
  /** Storage parameters: `{ fillfactor: 70 }`. */
  withOptions(options: Readonly<Record<string, string | number | boolean>>): Index {
    return this.with({ with: options });
  }
  comment(text: string): Index {
    return this.with({ comment: text });
  }
  /** Rename hint: the index was called `old` before (it must have a name now). */
  renamedFrom(...old: readonly string[]): Index {
    return this.with({ renamedFrom: [...this[DSL].renamedFrom, ...old] });
  }
}

export const index = (name?: string): Index =>
  new Index({
    kind: 'index',
    name,
    unique: false,
    nullsNotDistinct: false,
    using: null,
    keys: [],
    include: [],
    where: null,
    with: {},
    comment: null,
    renamedFrom: [],
  });

/** `uniqueIndex()` is `index().unique()`. */
export const uniqueIndex = (name?: string): Index => index(name).unique();
