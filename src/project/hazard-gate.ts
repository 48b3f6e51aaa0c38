/** `--allow-hazards CODE,…` parsed, and the refusal `generate` gives for a hazard nobody allowed (exit 3). */
import { UserError } from '../db/errors.js';
import { terminalText as t } from '../model/escape.js';
import { HAZARD_CODES, type HazardCode } from '../model/hazard.js';
import type { Phase } from '../model/plan.js';
import { ALLOWED_BY_DEFAULT, refusedHazards } from '../plan/gate.js';

export const parseAllowHazards = (values: readonly string[]): HazardCode[] => {
  const codes = values.flatMap((v) => v.split(',')).map((v) => v.trim().toUpperCase()).filter(Boolean);
  for (const c of codes)
    if (!(HAZARD_CODES as readonly string[]).includes(c)) throw new UserError(`--allow-hazards ${c}: not a hazard code; known: ${HAZARD_CODES.join(', ')}`);
  return codes as HazardCode[];
};

export const hazardRefusalMessage = (phases: readonly Phase[], allow: readonly HazardCode[]): string | null => {
  const refused = refusedHazards(phases, allow);
  if (refused.length === 0) return null;
  const codes = [...new Set(refused.map((r) => r.code))];
  return [
    `refused: ${refused.length} hazard(s) not allowed (nothing written):`,
    ...refused.map((r) => `  ${r.phase}: ${t(r.step)}: ${r.code}: ${t(r.message)}`),
    `Allow them with --allow-hazards ${codes.join(',')} (or allowHazards in keikaku.config.ts); allowed without asking: ${ALLOWED_BY_DEFAULT.join(', ')}, DELETES_DATA when archived, BREAKS_OLD_CLIENTS in contract.`,
  ].join('\n');
};
