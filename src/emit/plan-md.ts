/**
 * plan.md: the review of a migration — changes, hazards, locks, the phases as a diagram with the deploys the
 * application must make between them, and what each phase's down does.
 */
import type { Phase, Step } from '../model/plan.js';
import { describeChange } from '../model/describe.js';
import type { MigrationMeta } from './migration.js';
import { phaseFile } from './migration.js';
import { describeSize } from '../plan/sizes.js';

const PHASE_NOTE: Record<Phase['name'], string> = {
  expand: 'only what the running (old) application tolerates: run it before deploying the new code',
  backfill: 'moves data in batches and validates constraints while the old code runs; new code that reads what it fills is deployed once it has finished',
  contract: 'removes what only the old code used and enforces the new rules: run it after every instance runs the new code',
};

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const what = (s: Step) => (s.purpose ? `${describeChange(s.change)}: ${s.purpose}` : describeChange(s.change));
const firstLine = (sql: string) => sql.split('\n')[0]!;

export const renderPlanMarkdown = (meta: MigrationMeta, phases: readonly Phase[]): string => {
  const out: string[] = [`# ${meta.id}`, ''];
  out.push(`- parent: ${meta.parent ? `\`${meta.parent}\`` : '(first migration)'}`);
  out.push(`- strategy: ${meta.strategy}`);
  if (meta.renames.length) out.push(`- renames: ${meta.renames.map((r) => `\`${r}\``).join(', ')}`);
  const steps = phases.flatMap((p) => p.steps.map((s) => [p, s] as const));
  out.push(`- ${steps.length} step(s) in ${phases.length} phase(s)`, '');
  out.push('## Changes', '', '| phase | change | lock | transaction | hazards |', '|---|---|---|---|---|');
  for (const [p, s] of steps)
    out.push(
      `| ${p.name} | ${cell(what(s))} | ${s.lock} | ${s.transactional ? (s.isolated ? 'own' : 'shared') : 'none'} | ${s.hazards.map((h) => h.code).join(', ') || '—'} |`,
    );
  out.push('');
  const hazards = steps.flatMap(([, s]) => s.hazards.map((h) => [s, h] as const));
  out.push('## Hazards', '');
  if (hazards.length === 0) out.push('None.');
  for (const [s, h] of hazards)
    out.push(
      `- **${h.code}** — ${describeChange(s.change)}: ${h.message}${h.size ? ` (${describeSize(h.size)})` : ''}${h.mitigation ? ` — allowed: ${h.mitigation}` : ''}`,
    );
  out.push('', '## Phases', '', ...diagram(phases), '');
  for (const p of phases) {
    out.push(`- **${p.name}** (\`${phaseFile(p.name, 'up')}\`): ${PHASE_NOTE[p.name]}.`);
    for (const d of p.deploy ?? []) out.push(`  - before it: ${d}.`);
  }
  out.push('', '## Rollback', '');
  out.push("Each phase has a `.down.sql` that undoes it, newest step first; run the phases' downs in reverse order.", '');
  for (const p of [...phases].reverse()) {
    out.push(`### \`${phaseFile(p.name, 'down')}\``, '');
    for (const s of [...p.steps].reverse()) {
      const irreversible = s.hazards.some((h) => h.code === 'IRREVERSIBLE');
      const how = s.reverse.length === 0 ? (irreversible ? '**irreversible**' : 'nothing to undo') : s.reverse.map((r) => `\`${cell(firstLine(r))}\``).join('; ');
      out.push(`- ${what(s)}: ${how}${irreversible && s.reverse.length ? ' (**irreversible in part**: see its hazard)' : ''}`);
    }
    out.push('');
  }
  return out.join('\n');
};

/** The phases left to right, with the deploy of the new application where contract needs it. */
const diagram = (phases: readonly Phase[]): string[] => {
  const out = ['```mermaid', 'flowchart LR'];
  let prev: string | null = null;
  phases.forEach((p, i) => {
    if (p.name === 'contract') {
      out.push(`  deploy{{"deploy the new application<br/>to every instance"}}`);
      if (prev) out.push(`  ${prev} --> deploy`);
      prev = 'deploy';
    }
    out.push(`  p${i}["${i + 1}. ${p.name}<br/>${p.steps.length} step(s)"]`);
    if (prev) out.push(`  ${prev} --> p${i}`);
    prev = `p${i}`;
  });
  out.push('```');
  return out;
};
