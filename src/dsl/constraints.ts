/**
 * Table constraints for a table's extras: `(t) => [primaryKey(t.a, t.b), unique(t.email), check('x', sql\`…\`)]`.
 * A constraint without a name gets the one Postgres chooses (`<table>_pkey`, `<table>_<cols>_key`, `_fkey`,
 * `_check`, `_excl`); give one to rename it later or to refer to it in a rename hint.
 */
import { DSL } from './brand.js';
import type { BoundColumn, IndexElement } from './bound-column.js';
import type { ReferenceOptions } from './column.js';
import { type SqlFragment, type SqlSource, toFragment } from './sql.js';

interface ConstraintCommon {
  readonly name: string | undefined;
  readonly comment: string | null;
  readonly renamedFrom: readonly string[];
  /** `true` or `'immediate'`: DEFERRABLE INITIALLY IMMEDIATE; `'deferred'`: DEFERRABLE INITIALLY DEFERRED. */
  readonly deferrable: boolean | 'immediate' | 'deferred';
}

export interface PrimaryKeyData extends ConstraintCommon {
  readonly kind: 'primary-key';
  readonly columns: readonly BoundColumn<unknown>[];
}
export interface UniqueData extends ConstraintCommon {
  readonly kind: 'unique';
  readonly columns: readonly BoundColumn<unknown>[];
  readonly nullsNotDistinct: boolean;
}
export interface ForeignKeyData extends ConstraintCommon, Omit<ReferenceOptions, 'name' | 'deferrable'> {
  readonly kind: 'foreign-key';
  readonly columns: readonly BoundColumn<unknown>[];
  /** Called when rendering: the referenced columns (one table), in the order of `columns`. */
  readonly references: () => unknown;
}
export interface CheckData extends ConstraintCommon {
  readonly kind: 'check';
  readonly expression: SqlFragment;
  readonly notValid: boolean;
  readonly noInherit: boolean;
}
export interface ExcludeElement {
  readonly key: BoundColumn<unknown> | IndexElement | SqlFragment;
  readonly operator: string;
}
export interface ExcludeData extends ConstraintCommon {
  readonly kind: 'exclude';
  readonly using: string;
  readonly elements: readonly ExcludeElement[];
  readonly where: SqlFragment | null;
}

export type ConstraintData = PrimaryKeyData | UniqueData | ForeignKeyData | CheckData | ExcludeData;

/** A table constraint; `comment` and `renamedFrom` return a new one. */
export class Constraint<D extends ConstraintData = ConstraintData> {
  readonly [DSL]: D;
  constructor(data: D) {
    this[DSL] = Object.freeze(data);
    Object.freeze(this);
  }
  comment(text: string): Constraint<D> {
    return new Constraint({ ...this[DSL], comment: text });
  }
  /** Rename hint: the constraint was called `old` before (it must have a name now). */
  renamedFrom(...old: readonly string[]): Constraint<D> {
    return new Constraint({ ...this[DSL], renamedFrom: [...this[DSL].renamedFrom, ...old] });
  }
}

const common = (name: string | undefined, deferrable: ConstraintCommon['deferrable'] = false): ConstraintCommon => ({
  name,
  comment: null,
  renamedFrom: [],
  deferrable,
});

type Columns = readonly BoundColumn<unknown>[];
interface KeyOptions {
  readonly name?: string;
  readonly columns: Columns;
  readonly deferrable?: ConstraintCommon['deferrable'];
}

const isKeyOptions = (x: unknown): x is KeyOptions =>
  typeof x === 'object' && x !== null && !(DSL in x) && Array.isArray((x as { columns?: unknown }).columns);

/** `primaryKey(t.officeId, t.id)` or `primaryKey({ name: 'staffs_pk', columns: [t.officeId, t.id] })`. */
export const primaryKey = (...args: Columns | readonly [KeyOptions]): Constraint<PrimaryKeyData> => {
  const o: KeyOptions = isKeyOptions(args[0]) ? args[0] : { columns: args as Columns };
  return new Constraint({ kind: 'primary-key', ...common(o.name, o.deferrable), columns: o.columns });
};

/** `unique(t.email)` or `unique({ name, columns, nullsNotDistinct: true })`. */
export const unique = (
  ...args: Columns | readonly [KeyOptions & { readonly nullsNotDistinct?: boolean }]
): Constraint<UniqueData> => {
  const o: KeyOptions & { nullsNotDistinct?: boolean } = isKeyOptions(args[0]) ? args[0] : { columns: args as Columns };
  return new Constraint({
    kind: 'unique',
    ...common(o.name, o.deferrable),
    columns: o.columns,
    nullsNotDistinct: o.nullsNotDistinct ?? false,
  });
};

export interface ForeignKeyOptions extends ReferenceOptions {
  readonly columns: Columns;
  /** `() => [offices.id]` (a function, so the referenced table may be declared later). */
  readonly references: () => readonly BoundColumn<unknown>[];
}

/** A foreign key over one or more columns. */
export const foreignKey = (o: ForeignKeyOptions): Constraint<ForeignKeyData> => {
  const { name, deferrable, columns, references, ...actions } = o;
  return new Constraint({ kind: 'foreign-key', ...common(name, deferrable), ...actions, columns, references });
};

export interface CheckOptions {
  readonly notValid?: boolean;
  readonly noInherit?: boolean;
}

/** `check('price_positive', sql\`price > 0\`)`, or `check(sql\`…\`)` for a name Postgres chooses. */
export function check(name: string, expression: SqlSource, options?: CheckOptions): Constraint<CheckData>;
export function check(expression: SqlFragment, options?: CheckOptions): Constraint<CheckData>;
export function check(a: string | SqlFragment, b?: SqlSource | CheckOptions, c?: CheckOptions): Constraint<CheckData> {
  const named = typeof a === 'string';
  const expression = named ? toFragment(b as SqlSource) : a;
  const options = (named ? c : (b as CheckOptions | undefined)) ?? {};
  return new Constraint({
    kind: 'check',
    ...common(named ? a : undefined),
    expression,
    notValid: options.notValid ?? false,
    noInherit: options.noInherit ?? false,
  });
}

export interface ExcludeOptions {
  readonly name?: string;
  /** Index method; `gist` when absent. */
  readonly using?: string;
  /** `[t.roomId, '=']`, `[sql\`tsrange(starts_at, ends_at)\`, '&&']`. */
  readonly elements: readonly (readonly [BoundColumn<unknown> | IndexElement | SqlFragment, string])[];
  readonly where?: SqlSource;
  readonly deferrable?: ConstraintCommon['deferrable'];
}

/** An exclusion constraint: `exclude({ using: 'gist', elements: [[t.roomId, '='], [t.during, '&&']] })`. */
export const exclude = (o: ExcludeOptions): Constraint<ExcludeData> =>
  new Constraint({
    kind: 'exclude',
    ...common(o.name, o.deferrable),
    using: o.using ?? 'gist',
    elements: o.elements.map(([key, operator]) => ({ key, operator })),
    where: o.where === undefined ? null : toFragment(o.where),
  });
