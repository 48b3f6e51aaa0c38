/**
 * plan.md: the review of a migration — changes, hazards, locks, the phases as a diagram with the deploys the
 * application must make between them, and what each phase's down does.
 */
import type { Phase, Step } from '../model/plan.js';
import { describeChange } from '../model/describe.js';
import { markdownCode, markdownFence, markdownText as md, mermaidLabel } from '../model/escape.js';
import type { MigrationMeta } from './migration.js';
import { phaseFile } from './migration.js';
import { describeSize } from '../plan/sizes.js';

const PHASE_NOTE: Record<Phase['name'], string> = {
  expand: 'only what the running (old) application tolerates: run it before deploying the new code',
  backfill: 'moves data in batches and validates constraints while the old code runs; new code that reads what it fills is deployed once it has finished',
  contract: 'removes what only the old code used and enforces the new rules: run it after every instance runs the new code',
};

const what = (s: Step) => (s.purpose ? `${describeChange(s.change)}: ${s.purpose}` : describeChange(s.change));

export const renderPlanMarkdown = (meta: MigrationMeta, phases: readonly Phase[]): string => {
  const out: string[] = [`# ${meta.id}`, ''];
  out.push(`- parent: ${meta.parent ? markdownCode(meta.parent) : '(first migration)'}`);
  out.push(`- strategy: ${meta.strategy}`);
  if (meta.renames.length) out.push(`- renames: ${meta.renames.map(markdownCode).join(', ')}`);
  const steps = phases.flatMap((p) => p.steps.map((s) => [p, s] as const));
  out.push(`- ${steps.length} step(s) in ${phases.length} phase(s)`, '');
  out.push('## Changes', '', '| phase | change | lock | transaction | hazards |', '|---|---|---|---|---|');
  for (const [p, s] of steps)
    out.push(
      `| ${p.name} | ${md(what(s))} | ${s.lock} | ${s.transactional ? (s.isolated ? 'own' : 'shared') : 'none'} | ${s.hazards.map((h) => h.code).join(', ') || '—'} |`,
    );
  out.push('');
  const hazards = steps.flatMap(([, s]) => s.hazards.map((h) => [s, h] as const));
  out.push('## Hazards', '');
  if (hazards.length === 0) out.push('None.');
  for (const [s, h] of hazards)
    out.push(
      `- **${h.code}** — ${md(describeChange(s.change))}: ${md(h.message)}${h.size ? ` (${md(describeSize(h.size))})` : ''}${h.mitigation ? ` — allowed: ${md(h.mitigation)}` : ''}`,
    );
  out.push('', '## Phases', '', ...diagram(phases), '');
  for (const p of phases) {
    out.push(`- **${p.name}** (\`${phaseFile(p.name, 'up')}\`): ${PHASE_NOTE[p.name]}.`);
    for (const d of p.deploy ?? []) out.push(`  - before it: ${md(d)}.`);
  }
  out.push('', '## Rollback', '');
  out.push("Each phase has a `.down.sql` that undoes it, newest step first; run the phases' downs in reverse order.", '');
  for (const p of [...phases].reverse()) {
    out.push(`### \`${phaseFile(p.name, 'down')}\``, '');
    for (const s of [...p.steps].reverse()) {
      const irreversible = s.hazards.some((h) => h.code === 'IRREVERSIBLE');
      const partly = irreversible && s.reverse.length ? ' (**irreversible in part**: see its hazard)' : '';
      if (s.reverse.length === 0) {
        out.push(`- ${md(what(s))}: ${irreversible ? '**irreversible**' : 'nothing to undo'}`);
        continue;
      }
      // Whole statements, as the down file runs them: a fence no line of the SQL can close.
      out.push(`- ${md(what(s))}${partly}:`, '', ...markdownFence(s.reverse.join('\n'), 'sql').map((l) => (l ? `  ${l}` : l)), '');
    }
    out.push('');
  }
  out.push(...RESTORE_POINTS, '');
  return out.join('\n');
};

/** How to use what `apply` records before each phase (apply/restore-point.ts) when a down is not enough. */
export const RESTORE_POINTS: readonly string[] = [
  '### When the downs are not enough: restore points',
  '',
  'Before it runs each phase, `keikaku apply` records in its journal the WAL position and the time on the database, and a named',
  'restore point where its role may make one (`pg_create_restore_point`: a superuser, or a role granted EXECUTE on it).',
  '`keikaku status` shows them per phase (`--format json`: `restorePoint`), and says when one could not be recorded and why.',
  'To get the whole database back to just before a phase (losing every write made since, not only this migration\'s):',
  '',
  '- **Point-in-time recovery**: restore the base backup taken before it, and recover with `recovery_target_name` set to',
  '  the restore point (or `recovery_target_lsn` to the WAL position, or `recovery_target_time` to the time) and',
  '  `recovery_target_inclusive = off`; it needs the WAL archived since that backup.',
  "- **A hosting provider's branch or restore** (Neon, Supabase, RDS, Cloud SQL, …): create it as of the recorded time,",
  '  or the WAL position where the provider takes one; check it there, then switch the application to it.',
];

/** The phases left to right, with the deploy of the new application where contract needs it. */
const diagram = (phases: readonly Phase[]): string[] => {
  const out = ['```mermaid', 'flowchart LR'];
  let prev: string | null = null;
  phases.forEach((p, i) => {
    if (p.name === 'contract') {
      out.push(`  deploy{{"${mermaidLabel('deploy the new application')}<br/>${mermaidLabel('to every instance')}"}}`);
      if (prev) out.push(`  ${prev} --> deploy`);
      prev = 'deploy';
    }
    out.push(`  p${i}["${mermaidLabel(`${i + 1}. ${p.name}`)}<br/>${mermaidLabel(`${p.steps.length} step(s)`)}"]`);
    if (prev) out.push(`  ${prev} --> p${i}`);
    prev = `p${i}`;
  });
  out.push('```');
  return out;
};
