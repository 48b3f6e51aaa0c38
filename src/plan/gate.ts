/**
 * Which hazards a plan may carry without being told (`--allow-hazards CODE,…`, config `allowHazards`). Allowed by
 * default are the hazards of the online way itself: a concurrent index build, a validation scan that lets
 * writes go on, a batched backfill, a statement outside a transaction, a brief ACCESS EXCLUSIVE lock, and what
 * breaks old code in contract (which runs after the new code is deployed). DELETES_DATA is allowed when the
 * step archived the data first (its down restores it). Everything else must be allowed explicitly: a table
 * rewrite, a build that blocks writes, a change that breaks running code before contract, an enum rebuild, a
 * step whose undo loses data.
 */
import type { HazardCode } from '../model/hazard.js';
import type { Phase, Step } from '../model/plan.js';
import { describeChange } from '../model/describe.js';

export const ALLOWED_BY_DEFAULT: readonly HazardCode[] = ['INDEX_BUILD', 'VALIDATION_SCAN', 'BACKFILL', 'NON_TRANSACTIONAL', 'ACCESS_EXCLUSIVE_LOCK'];

export interface HazardRefusal {
  readonly phase: Phase['name'];
  readonly step: string;
  readonly code: HazardCode;
  readonly message: string;
}

/** Whether a hazard of a step in `phase` needs to be allowed explicitly (not by default, not mitigated). */
const needsAllowing = (phase: Phase['name'], h: Step['hazards'][number]): boolean =>
  !ALLOWED_BY_DEFAULT.includes(h.code) && !h.mitigation && !(h.code === 'BREAKS_OLD_CLIENTS' && phase === 'contract');

export const refusedHazards = (phases: readonly Phase[], allow: readonly HazardCode[]): HazardRefusal[] => {
  const out: HazardRefusal[] = [];
  for (const p of phases)
    for (const s of p.steps)
      for (const h of s.hazards) {
        if (allow.includes(h.code) || !needsAllowing(p.name, h)) continue;
        out.push({ phase: p.name, step: s.purpose ? `${describeChange(s.change)}: ${s.purpose}` : describeChange(s.change), code: h.code, message: h.message });
      }
  return out;
};

/**
 * The hazards of each step that only an explicit allow let through: the migration records them as acknowledged
 * (`-- keikaku:allow CODE` above the step), so `lint` and `check` see a reviewed hazard, not a hand edit.
 */
export const acknowledgedHazards = (phases: readonly Phase[]): Map<Step, HazardCode[]> => {
  const out = new Map<Step, HazardCode[]>();
  for (const p of phases)
    for (const s of p.steps) {
      const codes = [...new Set(s.hazards.filter((h) => needsAllowing(p.name, h)).map((h) => h.code))];
      if (codes.length) out.set(s, codes);
    }
  return out;
};
