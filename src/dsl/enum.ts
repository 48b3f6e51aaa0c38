import { brandFunction, DSL, type Named, type ObjectOptions, renamedList, splitNamed } from './brand.js';
import { Column, columnData } from './column.js';

export interface EnumValueData {
  readonly kind: 'enum-value';
  readonly label: string;
  readonly renamedFrom: readonly string[];
}

/** A label with a rename hint: `value('content').renamedFrom('ok')`. */
export class EnumValue<L extends string> {
  declare readonly $label: L;
  readonly [DSL]: EnumValueData;
  constructor(data: EnumValueData) {
    this[DSL] = Object.freeze(data);
    Object.freeze(this);
  }
  /** The value was called `old` before; the migration renames it (ALTER TYPE … RENAME VALUE). */
  renamedFrom(...old: readonly string[]): EnumValue<L> {
    return new EnumValue<L>({ ...this[DSL], renamedFrom: [...this[DSL].renamedFrom, ...old] });
  }
}

export const value = <const L extends string>(label: L): EnumValue<L> =>
  new EnumValue<L>({ kind: 'enum-value', label, renamedFrom: [] });

export interface EnumData {
  readonly kind: 'enum';
  readonly schema: string;
  readonly name: string;
  readonly values: readonly EnumValueData[];
  readonly comment: string | null;
  readonly renamedFrom: readonly string[];
}

type LabelOf<X> = X extends string ? X : X extends EnumValue<infer L> ? L : never;

/** A declared enum; call it to declare a column of it: `role: staffRole().notNull()`. */
export type EnumType<L extends string> = (<S extends string | undefined = undefined>(name?: S) => Column<L, false, false, false, S>) & {
  readonly [DSL]: EnumData;
  /** The labels, in order. */
  readonly labels: readonly L[];
};

/**
 * `enumType('staff_role', ['owner', 'manager', 'employee'])`. Order matters (it is the sort order). A label
 * renamed in code: `enumType('mood', ['happy', value('content').renamedFrom('ok')])`.
 */
export const enumType = <const V extends readonly (string | EnumValue<string>)[]>(
  named: Named<ObjectOptions>,
  values: V,
): EnumType<LabelOf<V[number]>> => {
  const { name, options } = splitNamed(named);
  const items: EnumValueData[] = values.map((v) =>
    typeof v === 'string' ? { kind: 'enum-value', label: v, renamedFrom: [] } : v[DSL],
  );
  const data: EnumData = {
    kind: 'enum',
    schema: options.schema ?? 'public',
    name,
    values: Object.freeze(items),
    comment: options.comment ?? null,
    renamedFrom: renamedList(options.renamedFrom),
  };
  const column = (columnName?: string) =>
    new Column<LabelOf<V[number]>>(columnData({ kind: 'declared', decl: data }, columnName));
  Object.defineProperty(column, 'labels', { value: Object.freeze(items.map((i) => i.label)), enumerable: true });
  return brandFunction(column, data) as unknown as EnumType<LabelOf<V[number]>>;
};
