/**
 * Phases of a plan (DESIGN §6). Until the zero-downtime recipes arrive, a plan has an `expand` phase with
 * everything that adds or changes, and a `contract` phase with the drops that nothing after them needs: the
 * longest run of drops at the end of the ordered steps, so splitting never reorders a step.
 */
import type { ChangeKind } from '../model/change.js';
import type { Phase, Step } from '../model/plan.js';

const CONTRACT_KINDS = new Set<ChangeKind>([
  'drop_table',
  'drop_column',
  'drop_type',
  'drop_sequence',
  'drop_function',
  'drop_schema',
  'drop_extension',
  'drop_view',
  'drop_index',
  'drop_constraint',
  'drop_trigger',
  'drop_policy',
]);

export type Strategy = 'phased' | 'simple';

export const toPhases = (steps: readonly Step[], strategy: Strategy = 'phased'): Phase[] => {
  if (strategy === 'simple') return steps.length ? [{ name: 'expand', steps }] : [];
  let cut = steps.length;
  while (cut > 0 && CONTRACT_KINDS.has(steps[cut - 1]!.change.kind)) cut--;
  const phases: Phase[] = [];
  if (cut > 0) phases.push({ name: 'expand', steps: steps.slice(0, cut) });
  if (cut < steps.length) phases.push({ name: 'contract', steps: steps.slice(cut) });
  return phases;
};
