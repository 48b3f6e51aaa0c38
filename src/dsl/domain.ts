import { brandFunction, DSL, type Named, type ObjectOptions, renamedList, splitNamed } from './brand.js';
import { type AnyColumn, type CheckSpec, Column, columnData, type DefaultSpec, type TypeSpec } from './column.js';
import type { CheckData, Constraint } from './constraints.js';
import { isSqlFragment, type SqlFragment } from './sql.js';

export interface DomainOptions<T> extends ObjectOptions {
  readonly notNull?: boolean;
  /** A JS value of the base type, or `sql\`…\``. */
  readonly default?: T | SqlFragment;
  readonly collate?: string;
  /** CHECK constraints on VALUE: `check('positive', sql\`VALUE > 0\`)` or a bare `sql\`VALUE > 0\``. */
  readonly checks?: readonly (Constraint<CheckData> | SqlFragment)[];
}

export interface DomainData {
  readonly kind: 'domain';
  readonly schema: string;
  readonly name: string;
  readonly base: TypeSpec;
  readonly baseDims: number;
  readonly notNull: boolean;
  readonly default: DefaultSpec | null;
  readonly collation: string | null;
  readonly checks: readonly (CheckSpec & { readonly notValid: boolean })[];
  readonly comment: string | null;
  readonly renamedFrom: readonly string[];
}

type ValueOf<C> = C extends Column<infer T, boolean, boolean, boolean, string | undefined> ? T : never;

/** A declared domain; call it to declare a column of it: `contact: email().notNull()`. */
export type DomainType<T> = (<S extends string | undefined = undefined>(name?: S) => Column<T, false, false, false, S>) & { readonly [DSL]: DomainData };

/**
 * `domain('email', text(), { checks: [check('email_has_at', sql\`VALUE LIKE '%@%'\`)] })`. The base type is a
 * column builder (its type and array dimensions are used, nothing else), so columns of the domain get its JS type.
 */
export const domain = <C extends AnyColumn>(
  named: Named<DomainOptions<ValueOf<C>>>,
  base: C,
  options: DomainOptions<ValueOf<C>> = {},
): DomainType<ValueOf<C>> => {
  const split = splitNamed(named);
  const o = { ...split.options, ...options };
  const b = base[DSL];
  const data: DomainData = {
    kind: 'domain',
    schema: o.schema ?? 'public',
    name: split.name,
    base: b.type,
    baseDims: b.dims,
    notNull: o.notNull ?? false,
    default:
      o.default === undefined ? null : isSqlFragment(o.default) ? { kind: 'sql', sql: o.default } : { kind: 'value', value: o.default },
    collation: o.collate ?? null,
    checks: (o.checks ?? []).map((c) =>
      isSqlFragment(c)
        ? { name: undefined, expression: c, notValid: false }
        : { name: c[DSL].name, expression: c[DSL].expression, notValid: c[DSL].notValid },
    ),
    comment: o.comment ?? null,
    renamedFrom: renamedList(o.renamedFrom),
  };
  const column = (columnName?: string) => new Column<ValueOf<C>>(columnData({ kind: 'declared', decl: data }, columnName));
  return brandFunction(column, data) as DomainType<ValueOf<C>>;
};
