import { DSL } from './brand.js';
import type { AnyColumn } from './column.js';
import { compositeType } from './composite.js';
import { domain } from './domain.js';
import { enumType } from './enum.js';
import type { GrantSpec } from './grant.js';
import { fn, procedure } from './routine.js';
import { sequence } from './sequence.js';
import { table } from './table.js';
import { materializedView, view } from './view.js';

export interface SchemaOptions {
  readonly comment?: string;
  readonly grants?: readonly GrantSpec[];
}

export interface SchemaData {
  readonly kind: 'schema';
  readonly name: string;
  readonly comment: string | null;
  readonly grants: readonly GrantSpec[];
}

/** Puts `schema` into the first argument of a declaring function, whatever form it was given in. */
const inSchema =
  <A extends unknown[], R>(schemaName: string, declare: (named: never, ...rest: A) => R) =>
  (named: string | { readonly name: string }, ...rest: A): R =>
    declare((typeof named === 'string' ? { name: named, schema: schemaName } : { ...named, schema: schemaName }) as never, ...rest);

/**
 * A schema (namespace) other than `public`; its methods declare objects in it:
 * `export const app = schema('app'); export const users = app.table('users', { … })`.
 */
export const schema = (name: string, options: SchemaOptions = {}) => {
  const data: SchemaData = Object.freeze({
    kind: 'schema',
    name,
    comment: options.comment ?? null,
    grants: options.grants ?? [],
  });
  return Object.freeze({
    [DSL]: data,
    name,
    table: inSchema(name, table) as unknown as typeof table,
    enumType: inSchema(name, enumType) as unknown as typeof enumType,
    domain: inSchema(name, domain) as unknown as <C extends AnyColumn>(...a: Parameters<typeof domain<C>>) => ReturnType<typeof domain<C>>,
    compositeType: inSchema(name, compositeType) as unknown as typeof compositeType,
    sequence: inSchema(name, sequence) as unknown as typeof sequence,
    view: inSchema(name, view) as unknown as typeof view,
    materializedView: inSchema(name, materializedView) as unknown as typeof materializedView,
    fn: inSchema(name, fn as (named: never, options?: never) => ReturnType<typeof fn>) as unknown as typeof fn,
    procedure: inSchema(name, procedure as (named: never, options?: never) => ReturnType<typeof procedure>) as unknown as typeof procedure,
  });
};

export interface ExtensionOptions {
  /** The schema its objects go into; the first of the search path (usually `public`) when absent. */
  readonly schema?: string;
}

export interface ExtensionData {
  readonly kind: 'extension';
  readonly name: string;
  readonly schema: string;
}

export interface Extension {
  readonly [DSL]: ExtensionData;
}

/** `extension('pgcrypto')`, `extension('citext', { schema: 'ext' })`. */
export const extension = (name: string, options: ExtensionOptions = {}): Extension =>
  Object.freeze({ [DSL]: Object.freeze<ExtensionData>({ kind: 'extension', name, schema: options.schema ?? 'public' }) });
