/** plan.md: the review of a migration — changes, hazards, locks, the phases as a diagram, and the way back. */
import type { Phase } from '../model/plan.js';
import { describeChange } from '../model/describe.js';
import type { MigrationMeta } from './migration.js';

const DEPLOY_NOTE: Record<Phase['name'], string> = {
  expand: 'safe for the running application: run before deploying the new code',
  backfill: 'moves data in batches while both versions of the application run',
  contract: 'removes what only the old code used: run after every instance runs the new code',
};

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export const renderPlanMarkdown = (meta: MigrationMeta, phases: readonly Phase[]): string => {
  const out: string[] = [`# ${meta.id}`, ''];
  out.push(`- parent: ${meta.parent ? `\`${meta.parent}\`` : '(first migration)'}`);
  out.push(`- strategy: ${meta.strategy}`);
  if (meta.renames.length) out.push(`- renames: ${meta.renames.map((r) => `\`${r}\``).join(', ')}`);
  const steps = phases.flatMap((p) => p.steps.map((s) => [p, s] as const));
  out.push(`- ${steps.length} step(s) in ${phases.length} phase(s)`, '');
  out.push('## Changes', '', '| phase | change | lock | hazards |', '|---|---|---|---|');
  for (const [p, s] of steps)
    out.push(`| ${p.name} | ${cell(describeChange(s.change))} | ${s.lock} | ${s.hazards.map((h) => h.code).join(', ') || '—'} |`);
  out.push('');
  const hazards = steps.flatMap(([, s]) => s.hazards.map((h) => [s, h] as const));
  out.push('## Hazards', '');
  if (hazards.length === 0) out.push('None.');
  for (const [s, h] of hazards) out.push(`- **${h.code}** — ${describeChange(s.change)}: ${h.message}`);
  out.push('', '## Phases', '', '```mermaid', 'flowchart LR');
  phases.forEach((p, i) => {
    out.push(`  p${i}["${i + 1}. ${p.name}<br/>${p.steps.length} step(s)"]`);
    if (i > 0) out.push(`  p${i - 1} --> p${i}`);
  });
  out.push('```', '');
  for (const p of phases) out.push(`- **${p.name}**: ${DEPLOY_NOTE[p.name]}.`);
  out.push('', '## Rollback', '');
  out.push('Each phase has a `.down.sql` that undoes it, newest step first. Run the phases\' downs in reverse order.', '');
  for (const [, s] of [...steps].reverse()) {
    const irreversible = s.reverse.length === 0;
    out.push(`- ${describeChange(s.change)}: ${irreversible ? '**irreversible**' : s.reverse.map((r) => `\`${cell(r.split('\n')[0]!)}\``).join('; ')}`);
  }
  out.push('');
  return out.join('\n');
};
