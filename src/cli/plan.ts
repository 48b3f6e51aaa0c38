/** `keikaku plan`: the diff `generate` would write, written nowhere. */
import type { ResolvedConfig } from '../config/index.js';
import { planJson } from '../emit/migration.js';
import { terminalText as t } from '../model/escape.js';
import { renderPlanMarkdown } from '../emit/plan-md.js';
import { renderReviewPage } from '../emit/html-page.js';
import { describeStep } from '../plan/phases.js';
import { planPhases } from '../plan/phases.js';
import { describeSize, withSizes } from '../plan/sizes.js';
import { hazardRefusalMessage, parseAllowHazards } from './hazard-gate.js';
import { readTableSizes } from './sizes.js';
import { projectDiff, type DesiredLoader, type ProjectDiffOptions } from './project.js';

export interface PlanArgs {
  readonly fromDb?: string | undefined;
  readonly renames: readonly string[];
  readonly noRename: readonly string[];
  readonly strategy?: 'phased' | 'simple' | undefined;
  readonly format: 'text' | 'json' | 'md' | 'html';
  /** Exit 2 when there are changes, 3 when `generate` would refuse them (for scripts). */
  readonly exitCode: boolean;
  /** `--allow-hazards CODE,…`, as `generate` would be given them. */
  readonly allowHazards?: readonly string[] | undefined;
  readonly color: boolean;
  readonly decide?: ProjectDiffOptions['decide'];
}

const paint = (on: boolean, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

export const runPlan = async (config: ResolvedConfig, loadDesired: DesiredLoader, args: PlanArgs) => {
  const { history, steps, hints, result, backfills } = await projectDiff(config, loadDesired, args);
  const strategy = args.strategy ?? config.strategy;
  const planned = planPhases(steps, strategy, { current: result.current, backfills });
  const { refusals } = planned;
  const phases = args.fromDb && steps.length ? withSizes(planned.phases, await readTableSizes(args.fromDb)) : planned.phases;
  const refusedHazards = hazardRefusalMessage(phases, [...config.allowHazards, ...parseAllowHazards(args.allowHazards ?? [])]);
  const meta = { id: '(pending)', parent: history.migrations.at(-1)?.id ?? null, renames: hints, strategy };
  const refused = refusals.length > 0 || refusedHazards !== null;
  // The exit code `generate` would give: a script gating on `plan --exit-code` must not pass what generate refuses.
  const exitCode = !args.exitCode || steps.length === 0 ? 0 : refused ? 3 : 2;
  const cannot = 'Cannot be generated as is: `keikaku generate` refuses this plan (exit 3) until the above is fixed or allowed.';
  const why = [...refusals.map((r) => `${r.object}: ${r.message}`), ...(refusedHazards ? [refusedHazards.replace(' (nothing written)', '')] : [])];
  const from = args.fromDb ? 'the database' : `the migration history (${history.migrations.length} migration(s))`;
  if (args.format === 'html') return { stdout: renderReviewPage({ meta, phases, refused: why, from }), exitCode };
  if (args.format === 'json') {
    return { stdout: `${JSON.stringify({ ...planJson(meta, phases), generatable: !refused, refused: why }, null, 2)}\n`, exitCode };
  }
  if (args.format === 'md')
    return { stdout: `${renderPlanMarkdown(meta, phases)}${refused ? `\n> **${cannot.replace('the above', 'what `keikaku plan` reports')}**\n` : ''}`, exitCode };
  if (steps.length === 0) return { stdout: `No changes: schema/ matches ${from}.\n`, exitCode };
  const out = [`${steps.length} change(s) between ${from} and schema/:`];
  for (const p of phases) {
    out.push(paint(args.color, 1, `${p.name}`));
    for (const s of p.steps) {
      const hz = s.hazards.map((h) => h.code).join(', ') + (s.hazards[0]?.size ? `; ${describeSize(s.hazards[0].size)}` : '');
      out.push(`  ${t(describeStep(s))}${hz ? `  ${paint(args.color, 33, `[${hz}]`)}` : ''}`);
    }
  }
  for (const r of refusals) out.push(paint(args.color, 31, `refused: ${t(r.object)}: ${t(r.message)}`));
  if (refusedHazards) out.push(paint(args.color, 31, refusedHazards.replace(' (nothing written)', '')));
  out.push(refused ? paint(args.color, 31, cannot) : 'Run `keikaku generate <name>` to write it as a migration.');
  return { stdout: `${out.join('\n')}\n`, exitCode };
};
