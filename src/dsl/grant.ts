/** Privileges a role holds on an object; given in the `grants` option of schemas, tables, views, sequences, functions. */
export type Privilege =
  | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE' | 'REFERENCES' | 'TRIGGER' | 'MAINTAIN'
  | 'USAGE' | 'CREATE' | 'EXECUTE' | 'ALL'
  | 'select' | 'insert' | 'update' | 'delete' | 'truncate' | 'references' | 'trigger' | 'maintain'
  | 'usage' | 'create' | 'execute' | 'all';

export interface GrantSpec {
  /** Upper case; `ALL` stands for every privilege the object has. */
  readonly privileges: readonly string[];
  /** Role names; `public` (any case) is PUBLIC. */
  readonly to: readonly string[];
  readonly withGrantOption: boolean;
  /** SQL column names: a column-level grant on a table. */
  readonly columns: readonly string[];
}

export interface GrantOptions {
  readonly withGrantOption?: boolean;
  /** Column names (as in SQL) the grant is limited to; tables only. */
  readonly columns?: readonly string[];
}

/** `grant(['select', 'insert'], 'app_rw')`, `grant('usage', ['reader', 'writer'])`, `grant('select', 'public')`. */
export const grant = (
  privileges: Privilege | readonly Privilege[],
  to: string | readonly string[],
  options: GrantOptions = {},
): GrantSpec =>
  Object.freeze({
    privileges: Object.freeze((typeof privileges === 'string' ? [privileges] : [...privileges]).map((p) => p.toUpperCase())),
    to: Object.freeze(typeof to === 'string' ? [to] : [...to]),
    withGrantOption: options.withGrantOption ?? false,
    columns: Object.freeze([...(options.columns ?? [])]),
  });
