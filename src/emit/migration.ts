/**
 * A migration folder (DESIGN §5): plan.json, plan.md and one up and one down SQL file per phase. Pure: returns
 * file names and contents; the CLI writes them. The same plan always gives byte-identical files.
 */
import type { Phase, PhaseName, Step } from '../model/plan.js';
import { describeChange } from '../model/describe.js';
import type { TableSize } from '../model/hazard.js';
import { renderPlanMarkdown } from './plan-md.js';
import { renderScript } from './script.js';

export const PHASE_NUMBER: Record<PhaseName, number> = { expand: 1, backfill: 2, contract: 3 };

export const phaseFile = (phase: PhaseName, direction: 'up' | 'down') => `${PHASE_NUMBER[phase]}_${phase}.${direction}.sql`;

export interface MigrationMeta {
  /** `<YYYYMMDDHHMMSS>_<name>`. */
  readonly id: string;
  readonly parent: string | null;
  readonly renames: readonly string[];
  readonly strategy: 'phased' | 'simple';
}

export interface PlanJsonStep {
  readonly change: string;
  readonly object: string;
  readonly sql: readonly string[];
  readonly reverse: readonly string[];
  readonly hazards: readonly { readonly code: string; readonly message: string; readonly mitigation?: string; readonly size?: TableSize }[];
  readonly lock: string;
  readonly transactional: boolean;
  /** What this part of a recipe does (phased strategy). */
  readonly purpose?: string;
  /** Runs in a transaction of its own. */
  readonly isolated?: boolean;
}

export interface PlanJson {
  readonly format: 'keikaku-plan/1';
  readonly id: string;
  readonly parent: string | null;
  readonly renames: readonly string[];
  readonly strategy: 'phased' | 'simple';
  readonly phases: readonly { readonly name: PhaseName; readonly deploy?: readonly string[]; readonly steps: readonly PlanJsonStep[] }[];
  /** Written by `generate --empty`: its SQL files are a person's, so `check` lints them as refusing (see hand-written.ts). */
  readonly handWritten?: true;
  /** Phase files edited by hand after they were generated, recorded by `keikaku rehash`; `check` lints them as refusing. */
  readonly edited?: readonly string[];
  /** Ids of migrations `generate --rebase` removed and re-planned as this one. */
  readonly replaces?: readonly string[];
  /**
   * Written by `keikaku squash`: the migrations (and their phases) this baseline replaced, oldest first. A database
   * whose journal shows all of them applied has this one applied (apply/squashed.ts).
   */
  readonly squashes?: readonly SquashedMigration[];
}

export interface SquashedMigration {
  readonly id: string;
  readonly phases: readonly PhaseName[];
}

const stepJson = (s: Step): PlanJsonStep => ({
  change: s.change.kind,
  object: describeChange(s.change),
  sql: s.sql,
  reverse: s.reverse,
  hazards: s.hazards.map((h) => ({ code: h.code, message: h.message, ...(h.mitigation ? { mitigation: h.mitigation } : {}), ...(h.size ? { size: h.size } : {}) })),
  lock: s.lock,
  transactional: s.transactional,
  ...(s.purpose ? { purpose: s.purpose } : {}),
  ...(s.isolated ? { isolated: true } : {}),
});

export const planJson = (meta: MigrationMeta, phases: readonly Phase[]): PlanJson => ({
  format: 'keikaku-plan/1',
  id: meta.id,
  parent: meta.parent,
  renames: meta.renames,
  strategy: meta.strategy,
  phases: phases.map((p) => ({ name: p.name, ...(p.deploy ? { deploy: p.deploy } : {}), steps: p.steps.map(stepJson) })),
});

/** File name → content for one migration folder. */
export const renderMigration = (
  meta: MigrationMeta,
  phases: readonly Phase[],
  /** Hazards allowed explicitly, per step (see `acknowledgedHazards`): recorded in the up files for lint. */
  acknowledged: ReadonlyMap<Step, readonly string[]> = new Map(),
): Map<string, string> => {
  const files = new Map<string, string>();
  files.set('plan.json', `${JSON.stringify(planJson(meta, phases), null, 2)}\n`);
  files.set('plan.md', renderPlanMarkdown(meta, phases));
  for (const p of phases) {
    const head = [`${meta.id}: phase ${PHASE_NUMBER[p.name]} (${p.name})`];
    files.set(phaseFile(p.name, 'up'), renderScript(p.steps, 'up', head, acknowledged));
    files.set(phaseFile(p.name, 'down'), renderScript(p.steps, 'down', [...head, 'downgrade: undoes this phase, newest step first']));
  }
  return files;
};
