import { brandFunction, DSL, type Named, type ObjectOptions, renamedList, snakeCase, splitNamed } from './brand.js';
import { type AnyColumn, Column, columnData, type TypeSpec } from './column.js';

export interface CompositeAttributeData {
  readonly name: string;
  readonly type: TypeSpec;
  readonly dims: number;
  readonly collation: string | null;
}

export interface CompositeData {
  readonly kind: 'composite';
  readonly schema: string;
  readonly name: string;
  readonly attributes: readonly CompositeAttributeData[];
  readonly comment: string | null;
  readonly renamedFrom: readonly string[];
}

/** A declared composite type; call it to declare a column of it. Values come back as row text: `(1,"a b")`. */
export type CompositeType = (<S extends string | undefined = undefined>(name?: S) => Column<string, false, false, false, S>) & { readonly [DSL]: CompositeData };

/**
 * `compositeType('address', { street: text(), zipCode: varchar({ length: 10 }) })`: attribute names are the
 * keys in snake_case unless the builder names one; of each builder only the type, dimensions and collation count.
 */
export const compositeType = (named: Named<ObjectOptions>, attributes: Readonly<Record<string, AnyColumn>>): CompositeType => {
  const { name, options } = splitNamed(named);
  const data: CompositeData = {
    kind: 'composite',
    schema: options.schema ?? 'public',
    name,
    attributes: Object.entries(attributes).map(([key, column]) => {
      const c = column[DSL];
      return { name: c.name ?? snakeCase(key), type: c.type, dims: c.dims, collation: c.collation };
    }),
    comment: options.comment ?? null,
    renamedFrom: renamedList(options.renamedFrom),
  };
  const column = (columnName?: string) => new Column<string>(columnData({ kind: 'declared', decl: data }, columnName));
  return brandFunction(column, data) as CompositeType;
};
