import { DSL, type Named, type ObjectOptions, renamedList, splitNamed } from './brand.js';
import type { GrantSpec } from './grant.js';
import type { SqlFragment } from './sql.js';

export interface SequenceOptions extends ObjectOptions {
  /** `bigint` when absent. */
  readonly as?: 'smallint' | 'integer' | 'bigint';
  readonly start?: number | bigint;
  readonly increment?: number | bigint;
  readonly minValue?: number | bigint;
  readonly maxValue?: number | bigint;
  readonly cache?: number | bigint;
  readonly cycle?: boolean;
  /** OWNED BY a column (`() => orders.number`): dropped with it. */
  readonly ownedBy?: () => unknown;
  readonly grants?: readonly GrantSpec[];
}

export interface SequenceData {
  readonly kind: 'sequence';
  readonly schema: string;
  readonly name: string;
  readonly as: 'smallint' | 'integer' | 'bigint' | null;
  readonly start: number | bigint | null;
  readonly increment: number | bigint | null;
  readonly minValue: number | bigint | null;
  readonly maxValue: number | bigint | null;
  readonly cache: number | bigint | null;
  readonly cycle: boolean;
  readonly ownedBy: (() => unknown) | null;
  readonly comment: string | null;
  readonly grants: readonly GrantSpec[];
  readonly renamedFrom: readonly string[];
}

export interface Sequence {
  readonly [DSL]: SequenceData;
}

/** `sequence('order_number', { start: 1000 })`; use it in a default with `nextval(orderNumber)`. */
export const sequence = (named: Named<SequenceOptions>, options: SequenceOptions = {}): Sequence => {
  const split = splitNamed(named);
  const o = { ...split.options, ...options };
  return Object.freeze({
    [DSL]: Object.freeze<SequenceData>({
      kind: 'sequence',
      schema: o.schema ?? 'public',
      name: split.name,
      as: o.as ?? null,
      start: o.start ?? null,
      increment: o.increment ?? null,
      minValue: o.minValue ?? null,
      maxValue: o.maxValue ?? null,
      cache: o.cache ?? null,
      cycle: o.cycle ?? false,
      ownedBy: o.ownedBy ?? null,
      comment: o.comment ?? null,
      grants: o.grants ?? [],
      renamedFrom: renamedList(o.renamedFrom),
    }),
  });
};

export interface NextvalData {
  readonly kind: 'nextval';
  readonly sequence: Sequence;
}

/** `nextval('<schema>.<sequence>'::regclass)`, as a default: `integer().default(nextval(orderNumber))`. */
export const nextval = (seq: Sequence): SqlFragment =>
  Object.freeze({
    [DSL]: Object.freeze({ kind: 'sql' as const, texts: ['', ''], values: [Object.freeze({ [DSL]: { kind: 'nextval', sequence: seq } })] }),
  });
