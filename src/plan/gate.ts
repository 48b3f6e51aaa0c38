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
import type { Phase } from '../model/plan.js';
import { describeChange } from '../model/describe.js';

export const ALLOWED_BY_DEFAULT: readonly HazardCode[] = ['INDEX_BUILD', 'VALIDATION_SCAN', 'BACKFILL', 'NON_TRANSACTIONAL', 'ACCESS_EXCLUSIVE_LOCK'];

export interface HazardRefusal {
  readonly phase: Phase['name'];
  readonly step: string;
  readonly code: HazardCode;
  readonly message: string;
}

export const refusedHazards = (phases: readonly Phase[], allow: readonly HazardCode[]): HazardRefusal[] => {
  const allowed = new Set<HazardCode>([...ALLOWED_BY_DEFAULT, ...allow]);
  const out: HazardRefusal[] = [];
  for (const p of phases)
    for (const s of p.steps)
      for (const h of s.hazards) {
        if (allowed.has(h.code) || h.mitigation) continue;
        if (h.code === 'BREAKS_OLD_CLIENTS' && p.name === 'contract') continue;
        out.push({ phase: p.name, step: s.purpose ? `${describeChange(s.change)}: ${s.purpose}` : describeChange(s.change), code: h.code, message: h.message });
      }
  return out;
};
