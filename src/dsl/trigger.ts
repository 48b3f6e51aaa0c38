import { DSL } from './brand.js';
import type { BoundColumn } from './bound-column.js';
import { type SqlFragment, type SqlSource, toFragment } from './sql.js';

export type TriggerEvent = 'insert' | 'update' | 'delete' | 'truncate';

export interface TriggerOptions {
  readonly timing: 'before' | 'after' | 'instead of';
  readonly events: TriggerEvent | readonly TriggerEvent[];
  /** UPDATE OF these columns only. */
  readonly updateOf?: readonly BoundColumn<unknown>[];
  /** `statement` when absent, as in SQL. */
  readonly forEach?: 'row' | 'statement';
  readonly when?: SqlSource;
  /** The trigger function: a declared `fn(…)` returning `trigger`. */
  readonly function: unknown;
  /** Arguments passed to the function (string literals). */
  readonly args?: readonly string[];
  /** Transition tables of AFTER … FOR EACH STATEMENT triggers. */
  readonly referencing?: { readonly oldTable?: string; readonly newTable?: string };
  /** A constraint trigger (AFTER … FOR EACH ROW), optionally deferrable. */
  readonly constraint?: boolean;
  readonly deferrable?: boolean | 'immediate' | 'deferred';
  /** `origin` (default: fires unless replicating), `disabled`, `replica`, `always`. */
  readonly enabled?: 'origin' | 'disabled' | 'replica' | 'always';
  readonly comment?: string;
}

export interface TriggerData {
  readonly kind: 'trigger';
  readonly name: string;
  readonly timing: TriggerOptions['timing'];
  readonly events: readonly TriggerEvent[];
  readonly updateOf: readonly BoundColumn<unknown>[];
  readonly forEach: 'row' | 'statement';
  readonly when: SqlFragment | null;
  readonly function: unknown;
  readonly args: readonly string[];
  readonly referencing: { readonly oldTable?: string; readonly newTable?: string } | null;
  readonly constraint: boolean;
  readonly deferrable: boolean | 'immediate' | 'deferred';
  readonly enabled: 'origin' | 'disabled' | 'replica' | 'always';
  readonly comment: string | null;
}

export interface Trigger {
  readonly [DSL]: TriggerData;
}

/**
 * A trigger, in its table's extras:
 * `trigger('staffs_touch', { timing: 'before', events: 'update', forEach: 'row', function: touchUpdatedAt })`.
 */
export const trigger = (name: string, o: TriggerOptions): Trigger =>
  Object.freeze({
    [DSL]: Object.freeze<TriggerData>({
      kind: 'trigger',
      name,
      timing: o.timing,
      events: typeof o.events === 'string' ? [o.events] : o.events,
      updateOf: o.updateOf ?? [],
      forEach: o.forEach ?? 'statement',
      when: o.when === undefined ? null : toFragment(o.when),
      function: o.function,
      args: o.args ?? [],
      referencing: o.referencing ?? null,
      constraint: o.constraint ?? false,
      deferrable: o.deferrable ?? false,
      enabled: o.enabled ?? 'origin',
      comment: o.comment ?? null,
    }),
  });
