/**
 * How keikaku recognizes its own values. Every DSL value carries its data under one registry symbol, so a value
 * built by another copy of this module (a schema file that imports the installed `keikaku` while the loader runs
 * from source, or two installed versions) is still recognized: nothing here relies on `instanceof`.
 */
export const DSL: unique symbol = Symbol.for('keikaku.dsl') as never;

/** The data behind a DSL value, if `value` is one. */
export const dataOf = (value: unknown): { readonly kind: string } | undefined => {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  const data = (value as { [DSL]?: unknown })[DSL];
  return typeof data === 'object' && data !== null && typeof (data as { kind?: unknown }).kind === 'string'
    ? (data as { kind: string })
    : undefined;
};

/** Names a DSL object is declared under: a bare name, or the name with the object's options. */
export type Named<O> = string | (O & { readonly name: string });

/** Splits the first argument of every declaring function into its name and options. */
export const splitNamed = <O extends object>(named: Named<O>): { readonly name: string; readonly options: Partial<O> } =>
  typeof named === 'string' ? { name: named, options: {} } : { name: named.name, options: named };

/** `officeId` → `office_id`, `createdAt` → `created_at`, `HTTPStatus` → `http_status`, `v2Name` → `v2_name`. */
export const snakeCase = (key: string): string =>
  key
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();

/** Options every schema-level object takes. */
export interface ObjectOptions {
  /** `public` when absent. */
  readonly schema?: string;
  readonly comment?: string;
  /** Rename hint: the object was called this (or these) before, in the same schema. */
  readonly renamedFrom?: string | readonly string[];
}

export const renamedList = (x: string | readonly string[] | undefined): readonly string[] =>
  x === undefined ? [] : typeof x === 'string' ? [x] : [...x];

/** Makes a function value carry declaration data, as enum, domain and composite types do. */
export const brandFunction = <F extends (...args: never[]) => unknown, D>(f: F, data: D): F & { readonly [DSL]: D } => {
  Object.defineProperty(f, DSL, { value: Object.freeze(data), enumerable: false });
  return Object.freeze(f) as F & { readonly [DSL]: D };
};
