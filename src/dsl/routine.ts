import { DSL, type Named, type ObjectOptions, splitNamed } from './brand.js';
import type { GrantSpec } from './grant.js';
import { type SqlFragment, type SqlSource, toFragment } from './sql.js';

/**
 * A type in a signature: SQL text (`'integer'`, `'SETOF text'`, `'TABLE(id int)'`), a column builder
 * (`integer()`, `text().array()`), a declared enum, domain or composite type, or a table (its row type).
 */
export type TypeSource = string | { readonly [DSL]: { readonly kind: string } };

export interface RoutineArg {
  readonly name?: string;
  readonly type: TypeSource;
  readonly mode?: 'in' | 'out' | 'inout' | 'variadic';
  readonly default?: SqlSource;
}

export interface RoutineOptions extends Omit<ObjectOptions, 'renamedFrom'> {
  /** Arguments: `{ name, type }` or a bare type. */
  readonly args?: readonly (RoutineArg | TypeSource)[];
  /** `plpgsql`, `sql`, … */
  readonly language: string;
  /** The body (without dollar quotes: keikaku picks a tag the body does not contain). */
  readonly body: SqlSource;
  readonly securityDefiner?: boolean;
  /** Configuration set while it runs: `{ search_path: 'pg_catalog, public' }`. */
  readonly set?: Readonly<Record<string, string>>;
  readonly grants?: readonly GrantSpec[];
}

export interface FunctionOptions extends RoutineOptions {
  /** Return type; `void` when absent. */
  readonly returns?: TypeSource;
  readonly volatility?: 'immutable' | 'stable' | 'volatile';
  readonly strict?: boolean;
  readonly leakproof?: boolean;
  readonly parallel?: 'safe' | 'restricted' | 'unsafe';
  readonly cost?: number;
  readonly rows?: number;
}

export interface RoutineData {
  readonly kind: 'function';
  readonly procedure: boolean;
  readonly schema: string;
  readonly name: string;
  readonly args: readonly RoutineArg[];
  readonly returns: TypeSource | null;
  readonly language: string;
  readonly body: SqlFragment;
  readonly volatility: 'immutable' | 'stable' | 'volatile' | null;
  readonly strict: boolean;
  readonly securityDefiner: boolean;
  readonly leakproof: boolean;
  readonly parallel: 'safe' | 'restricted' | 'unsafe' | null;
  readonly cost: number | null;
  readonly rows: number | null;
  readonly set: Readonly<Record<string, string>>;
  readonly comment: string | null;
  readonly grants: readonly GrantSpec[];
}

/** A declared function or procedure; in `sql` it stands for its qualified name: `sql\`${slugify}(name)\``. */
export interface Routine {
  readonly [DSL]: RoutineData;
}

const isArg = (a: RoutineArg | TypeSource): a is RoutineArg =>
  typeof a === 'object' && !(DSL in a) && 'type' in a;

const make = (procedure: boolean, named: Named<FunctionOptions>, extra: Partial<FunctionOptions>): Routine => {
  const split = splitNamed(named);
  const o = { ...split.options, ...extra } as Partial<FunctionOptions>;
  return Object.freeze({
    [DSL]: Object.freeze<RoutineData>({
      kind: 'function',
      procedure,
      schema: o.schema ?? 'public',
      name: split.name,
      args: (o.args ?? []).map((a) => (isArg(a) ? a : { type: a })),
      returns: procedure ? null : (o.returns ?? 'void'),
      language: o.language ?? 'sql',
      body: toFragment(o.body ?? ''),
      volatility: o.volatility ?? null,
      strict: o.strict ?? false,
      securityDefiner: o.securityDefiner ?? false,
      leakproof: o.leakproof ?? false,
      parallel: o.parallel ?? null,
      cost: o.cost ?? null,
      rows: o.rows ?? null,
      set: o.set ?? {},
      comment: o.comment ?? null,
      grants: o.grants ?? [],
    }),
  });
};

/**
 * A function:
 * `fn('touch_updated_at', { returns: 'trigger', language: 'plpgsql', body: 'BEGIN NEW.updated_at := now(); RETURN NEW; END' })`.
 */
export function fn(named: string, options: FunctionOptions): Routine;
export function fn(named: FunctionOptions & { readonly name: string }): Routine;
export function fn(named: Named<FunctionOptions>, options?: FunctionOptions): Routine {
  return make(false, named, options ?? {});
}

/** A procedure (CALL-ed; no return type). */
export function procedure(named: string, options: RoutineOptions): Routine;
export function procedure(named: RoutineOptions & { readonly name: string }): Routine;
export function procedure(named: Named<RoutineOptions>, options?: RoutineOptions): Routine {
  return make(true, named as Named<FunctionOptions>, options ?? {});
}
