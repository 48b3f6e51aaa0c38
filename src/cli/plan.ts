/** `keikaku plan`: the diff `generate` would write, written nowhere, as text, JSON or Markdown. */
import type { ResolvedConfig } from '../config/index.js';
import { planJson } from '../emit/migration.js';
import { terminalText as t } from '../model/escape.js';
import { renderPlanMarkdown } from '../emit/plan-md.js';
import { renderReviewPage } from '../emit/html-page.js';
import { describeSize } from '../plan/sizes.js';
import type { DesiredLoader } from '../project/desired.js';
import type { PlanOptions } from '../project/generate.js';
import { describeStep, plan } from '../api.js';
import { stderrNotifier } from './notice.js';

export interface PlanArgs extends PlanOptions {
  /** `--env NAME`: compare with this environment's database (as `--from-db` its URL). */
  readonly env?: string | undefined;
  readonly format: 'text' | 'json' | 'md' | 'html';
  /** Exit 2 when there are changes, 3 when `generate` would refuse them (for scripts). */
  readonly exitCode: boolean;
  readonly color: boolean;
}

const paint = (on: boolean, code: number, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/** `loadDesired`: the declared schema from elsewhere (tests); undefined: `schema/` loaded and normalized. */
export const runPlan = async (config: ResolvedConfig, loadDesired: DesiredLoader | undefined, args: PlanArgs) => {
  const { history, fromDb, steps, phases, meta, refusals, refusedHazards, generatable } = await plan({ notify: stderrNotifier, ...args, config, desired: loadDesired });
  const refused = !generatable;
  // The exit code `generate` would give: a script gating on `plan --exit-code` must not pass what generate refuses.
  const exitCode = !args.exitCode || steps.length === 0 ? 0 : refused ? 3 : 2;
  const cannot = 'Cannot be generated as is: `keikaku generate` refuses this plan (exit 3) until the above is fixed or allowed.';
  const why = [...refusals.map((r) => `${r.object}: ${r.message}`), ...(refusedHazards ? [refusedHazards.replace(' (nothing written)', '')] : [])];
  const from = fromDb ? 'the database' : `the migration history (${history.migrations.length} migration(s))`;
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
