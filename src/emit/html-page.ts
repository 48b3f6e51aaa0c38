/**
 * The review page (`plan --format html`): one self-contained HTML document — no script, no request at view time
 * (a Content-Security-Policy forbids any) — with the phases as a timeline (what the old and the new application
 * may do in each), every step with its lock, hazards and table size, the tables touched as a table × phase
 * diagram, and the up and down SQL of each step side by side. Every name and statement reaches the page through
 * `htmlText` / `htmlBlock` (or `highlightSql`, which uses it per token). Light and dark follow
 * `prefers-color-scheme`; everything is reachable by keyboard (a skip link, focusable scroll areas).
 */
import { describeChange } from '../model/describe.js';
import { htmlText as h } from '../model/escape.js';
import type { LockLevel, Phase, PhaseName, Step } from '../model/plan.js';
import { changeTable, describeSize } from '../plan/sizes.js';
import { PAGE_CSS } from './html-page-css.js';
import type { MigrationMeta } from './migration.js';
import { PHASE_NUMBER, phaseFile } from './migration.js';
import { highlightSql } from './sql-highlight.js';

export interface ReviewPageInput {
  readonly meta: MigrationMeta;
  readonly phases: readonly Phase[];
  /** Why `generate` would refuse this plan (the JSON report's `refused`); empty when it would not. */
  readonly refused: readonly string[];
  /** What the plan compares `schema/` with, for the header: `the migration history (6 migration(s))`. */
  readonly from: string;
}

/** What the running applications may do while each phase runs (DESIGN §6). */
const APPLICATIONS: Record<PhaseName, { readonly old: string; readonly new: string }> = {
  expand: {
    old: 'keeps running: this phase only adds what it tolerates',
    new: 'not yet: deploy it after this phase',
  },
  backfill: {
    old: 'keeps running; old and new columns are kept in sync',
    new: 'may be deployed, except code that reads what this phase fills: that waits until it has finished',
  },
  contract: {
    old: 'must be gone: every instance runs the new code before this phase starts',
    new: 'runs on every instance',
  },
};

const BREAKS = 'may fail during and after this phase: it has a BREAKS_OLD_CLIENTS step';

const LOCK_RANK: Record<LockLevel, number> = { none: 0, share_update_exclusive: 1, share: 2, share_row_exclusive: 3, access_exclusive: 4 };

const lockName = (l: LockLevel) => (l === 'none' ? 'none' : l.replace(/_/g, ' ').toUpperCase());

const lockBadge = (l: LockLevel) => `<span class="lock lock-${l}">${lockName(l)}</span>`;

const plural = (n: number, one: string, many = `${one}s`) => `<span class="num">${n}</span> ${n === 1 ? one : many}`;

const what = (s: Step) => (s.purpose ? `${describeChange(s.change)}: ${s.purpose}` : describeChange(s.change));

/** The table a step works on, a new one included (`changeTable` leaves out what does not exist yet). */
const tableOf = (s: Step): string | null => {
  const t = changeTable(s.change) ?? (s.change.kind === 'create_table' ? s.change.to : null);
  return t ? `${t.schema}.${t.name}` : null;
};

const stepId = (p: Phase, i: number) => `${p.name}-${i + 1}`;

const header = (input: ReviewPageInput, steps: number, hazards: number): string[] => {
  const { meta, phases } = input;
  const out = [
    '<header>',
    `<h1>Migration plan <code>${h(meta.id)}</code></h1>`,
    `<p class="summary"><span data-k="steps">${plural(steps, 'step')}</span> in <span data-k="phases">${plural(phases.length, 'phase')}</span>, ` +
      `<span data-k="hazards">${plural(hazards, 'hazard')}</span>; <code>schema/</code> compared with ${h(input.from)}.</p>`,
    '<dl class="meta">',
    `<dt>parent</dt><dd>${meta.parent ? `<code>${h(meta.parent)}</code>` : '(first migration)'}</dd>`,
    `<dt>strategy</dt><dd>${h(meta.strategy)}</dd>`,
    ...(meta.renames.length ? [`<dt>renames</dt><dd>${meta.renames.map((r) => `<code>${h(r)}</code>`).join(', ')}</dd>`] : []),
    '</dl>',
  ];
  if (input.refused.length)
    out.push(
      '<div class="refused" role="alert"><p><strong>Cannot be generated as is:</strong> <code>keikaku generate</code> refuses this plan (exit 3) until this is fixed or allowed:</p>',
      `<ul>${input.refused.map((r) => `<li>${h(r)}</li>`).join('')}</ul></div>`,
    );
  out.push('</header>');
  return out;
};

const timeline = (phases: readonly Phase[]): string[] => {
  const out = ['<section aria-labelledby="timeline-h">', '<h2 id="timeline-h">Timeline</h2>'];
  if (phases.length === 0) return [...out, '<p>No changes: nothing to run.</p>', '</section>'];
  out.push('<ol class="timeline">');
  for (const p of phases) {
    if (p.name === 'contract') out.push('<li class="deploy"><strong>Deploy the new application to every instance</strong></li>');
    const breaks = p.steps.some((s) => s.hazards.some((x) => x.code === 'BREAKS_OLD_CLIENTS'));
    const apps = APPLICATIONS[p.name];
    out.push(
      `<li class="phase phase-${p.name}" data-phase="${p.name}">`,
      `<h3>${PHASE_NUMBER[p.name]}. ${p.name} <span class="file">${phaseFile(p.name, 'up')}</span></h3>`,
      `<p><a href="#steps-${p.name}" data-k="phase-steps">${plural(p.steps.length, 'step')}</a>, strongest lock ${lockBadge(strongest(p.steps))}</p>`,
      '<dl class="apps">',
      `<dt>old application</dt><dd>${breaks && p.name !== 'contract' ? BREAKS : apps.old}</dd>`,
      `<dt>new application</dt><dd>${apps.new}</dd>`,
      '</dl>',
      ...(p.deploy?.length ? ['<p>Before it:</p>', `<ul class="deploy-notes">${p.deploy.map((d) => `<li>${h(d)}</li>`).join('')}</ul>`] : []),
      '</li>',
    );
  }
  out.push('</ol>', '</section>');
  return out;
};

const strongest = (steps: readonly Step[]): LockLevel => steps.reduce<LockLevel>((a, s) => (LOCK_RANK[s.lock] > LOCK_RANK[a] ? s.lock : a), 'none');

const sizeCell = (s: Step): string => {
  const size = s.hazards.find((x) => x.size)?.size;
  if (!size) return '<td class="size">—</td>';
  return `<td class="size" data-rows="${Math.round(size.rows)}" data-bytes="${size.bytes}">${h(describeSize(size))}</td>`;
};

const stepsTable = (phases: readonly Phase[]): string[] => {
  const out = ['<section id="steps" aria-labelledby="steps-h" tabindex="-1">', '<h2 id="steps-h">Steps</h2>'];
  if (phases.length === 0) return [...out, '<p>None.</p>', '</section>'];
  out.push(
    '<div class="scroll" tabindex="0" role="region" aria-labelledby="steps-h">',
    '<table class="steps"><colgroup><col style="width:2.5rem"><col style="width:30%"><col style="width:12.5rem"><col style="width:7.5rem"><col><col style="width:15%"></colgroup><thead><tr><th scope="col">#</th><th scope="col">change</th><th scope="col">lock</th><th scope="col">transaction</th><th scope="col">hazards</th><th scope="col">table size</th></tr></thead>',
  );
  for (const p of phases) {
    out.push(`<tbody id="steps-${p.name}"><tr class="phase-row"><th scope="rowgroup" colspan="6">${PHASE_NUMBER[p.name]}. ${p.name}</th></tr>`);
    p.steps.forEach((s, i) => {
      const hazards = s.hazards.length
        ? `<ul class="hazards">${s.hazards.map((x) => `<li><span class="hz">${x.code}</span> ${h(x.message)}${x.mitigation ? ` <em>allowed: ${h(x.mitigation)}</em>` : ''}</li>`).join('')}</ul>`
        : '—';
      out.push(
        `<tr data-step="${stepId(p, i)}"><td>${i + 1}</td><td>${h(what(s))}</td><td class="lock-cell" data-lock="${s.lock}">${lockBadge(s.lock)}</td>` +
          `<td>${s.transactional ? (s.isolated ? 'own' : 'shared') : 'none'}</td><td class="hazard-cell" data-count="${s.hazards.length}">${hazards}</td>${sizeCell(s)}</tr>`,
      );
    });
    out.push('</tbody>');
  }
  out.push('</table></div>', '</section>');
  return out;
};

/** Tables × phases: in each cell, how many steps of the phase work on the table, and the strongest lock they take. */
const tablesDiagram = (phases: readonly Phase[]): string[] => {
  const tables = [...new Set(phases.flatMap((p) => p.steps.map(tableOf)).filter((t): t is string => t !== null))].sort();
  const out = ['<section aria-labelledby="tables-h">', '<h2 id="tables-h">Tables touched</h2>'];
  if (tables.length === 0) return [...out, '<p>No table is touched.</p>', '</section>'];
  out.push(
    '<div class="scroll" tabindex="0" role="region" aria-labelledby="tables-h">',
    `<table class="diagram"><caption>${plural(tables.length, 'table')}: steps per phase and the strongest lock they take</caption>`,
    `<thead><tr><th scope="col">table</th>${phases.map((p) => `<th scope="col">${PHASE_NUMBER[p.name]}. ${p.name}</th>`).join('<th scope="col" class="arrow" aria-hidden="true">→</th>')}</tr></thead><tbody>`,
  );
  for (const t of tables) {
    const cells = phases.map((p) => {
      const mine = p.steps.filter((s) => tableOf(s) === t);
      if (mine.length === 0) return '<td class="empty">—</td>';
      const lock = strongest(mine);
      return `<td class="cell lock-${lock}" data-table-steps="${mine.length}">${plural(mine.length, 'step')}<br>${lockName(lock)}</td>`;
    });
    out.push(`<tr><th scope="row"><code>${h(t)}</code></th>${cells.join('<td class="arrow" aria-hidden="true"></td>')}</tr>`);
  }
  out.push('</tbody></table></div>', '</section>');
  return out;
};

const sqlBlock = (label: string, statements: readonly string[], empty: string) =>
  `<figure><figcaption>${label}</figcaption>${
    statements.length ? `<pre tabindex="0"><code>${highlightSql(statements.join('\n'))}</code></pre>` : `<p class="none">${empty}</p>`
  }</figure>`;

const sqlSection = (phases: readonly Phase[]): string[] => {
  const out = ['<section aria-labelledby="sql-h">', '<h2 id="sql-h">SQL, up and down</h2>'];
  if (phases.length === 0) return [...out, '<p>None.</p>', '</section>'];
  out.push('<p>Each step\'s statements beside the statements that undo them. The down file runs the steps newest first.</p>');
  for (const p of phases) {
    out.push(
      `<details open><summary><h3>${PHASE_NUMBER[p.name]}. ${p.name}: <code>${phaseFile(p.name, 'up')}</code> / <code>${phaseFile(p.name, 'down')}</code></h3></summary>`,
    );
    p.steps.forEach((s, i) => {
      const irreversible = s.hazards.some((x) => x.code === 'IRREVERSIBLE');
      out.push(
        `<div class="pair"><p class="step-title">${i + 1}. ${h(what(s))}</p>`,
        sqlBlock('up', s.sql, 'nothing'),
        sqlBlock('down', s.reverse, irreversible ? 'irreversible: see its hazard' : 'nothing to undo'),
        '</div>',
      );
    });
    out.push('</details>');
  }
  out.push('</section>');
  return out;
};

/** The whole page. Pure: the same plan gives the same bytes. */
export const renderReviewPage = (input: ReviewPageInput): string => {
  const steps = input.phases.reduce((n, p) => n + p.steps.length, 0);
  const hazards = input.phases.reduce((n, p) => n + p.steps.reduce((m, s) => m + s.hazards.length, 0), 0);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing may be fetched: the page is read offline, and a name cannot make it call anywhere.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="color-scheme" content="light dark">',
    `<title>keikaku plan ${h(input.meta.id)}</title>`,
    `<style>${PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    '<a class="skip" href="#steps">Skip to the steps</a>',
    ...header(input, steps, hazards),
    '<main>',
    ...timeline(input.phases),
    ...stepsTable(input.phases),
    ...tablesDiagram(input.phases),
    ...sqlSection(input.phases),
    '</main>',
    '<footer><p>Made by <code>keikaku plan --format html</code>.</p></footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
};
