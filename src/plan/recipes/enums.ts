/**
 * Enum values. A value added is its own committed, non-transactional step in expand, before anything uses it.
 * A value removed rebuilds the type in contract (old code may still write it until then), after a check that
 * no row holds it: a row that does stops the step with the count, before anything is converted. The down of an
 * added value is such a removal too, and checks the same way.
 */
import type { Change, EnumColumn } from '../../model/change.js';
import type { Step } from '../../model/plan.js';
import type { EnumType } from '../../model/schema.js';
import { refuseIfRowsSql } from '../../render/backfill.js';
import { ident, literal } from '../../render/quote.js';
import { type RecipeResult, hazard, part, wholeStep } from './context.js';

/** DO blocks refusing while a column of `columns` holds one of `removed` (labels of the `side` type). */
export const removedValueChecks = (type: EnumType, removed: readonly string[], columns: readonly EnumColumn[], side: 'from' | 'to'): string[] => {
  if (removed.length === 0) return [];
  const list = removed.map(literal).join(', ');
  return columns.map((x) => {
    const col = x[side];
    const c = ident(col.name);
    const array = col.type.endsWith('[]');
    const where = array ? `${c}::text[] && ARRAY[${list}]::text[]` : `${c}::text IN (${list})`;
    return refuseIfRowsSql(
      x.table,
      where,
      `keikaku: %s row(s) of ${x.table.schema}.${x.table.name}.${col.name} still hold ${removed.map((v) => `'${v}'`).join(', ')}, which ${type.schema}.${type.name} no longer has: update them first`,
    );
  });
};

export const recreateEnum = (s: Step, c: Extract<Change, { kind: 'recreate_enum' }>): RecipeResult => {
  const removed = c.from.labels.filter((l) => !c.to.labels.includes(l));
  if (removed.length === 0) return [wholeStep(s, 'expand')];
  const back = c.to.labels.filter((l) => !c.from.labels.includes(l));
  return [
    part({
      phase: 'contract',
      purpose: `check no row holds ${removed.join(', ')}, then rebuild the type without it`,
      sql: [...removedValueChecks(c.from, removed, c.columns, 'from'), ...s.sql],
      reverse: [...removedValueChecks(c.to, back, c.columns, 'to'), ...s.reverse],
      hazards: [...s.hazards, hazard('BREAKS_OLD_CLIENTS', `writes of ${removed.join(', ')} fail from here on`)],
      lock: s.lock,
      deploy: `no running code writes ${removed.map((v) => `'${v}'`).join(', ')} to ${c.from.schema}.${c.from.name}`,
    }),
  ];
};

export const alterEnum = (s: Step, c: Extract<Change, { kind: 'alter_enum' }>): RecipeResult => {
  const added = c.to.labels.filter((l) => !c.from.labels.includes(l) && !c.renamedValues.some(([, b]) => b === l));
  if (added.length === 0 || s.reverse.length === 0) return [wholeStep(s, 'expand')];
  return [
    part({
      phase: 'expand',
      purpose: 'a value of its own, committed before anything uses it',
      sql: s.sql,
      reverse: [...removedValueChecks(c.to, added, c.columns, 'to'), ...s.reverse],
      transactional: s.transactional,
      reverseTransactional: s.reverseTransactional,
      hazards: s.hazards,
      lock: s.lock,
    }),
  ];
};
