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
import type { MigrationMeta, PlanJson } from './migration.js';
import { PHASE_NUMBER, phaseFile } from './migration.js';
import { highlightSql } from './sql-highlight.js';
import { rehearsalSection, type RehearsalFigures } from './html-rehearsal.js';

export type { RehearsalFigures } from './html-rehearsal.js';

/** A step as the page shows it, from a plan (`Step`) or a migration's plan.json. */
interface PageStep {
  /** What it does: the change, and the part of its recipe. */
  readonly what: string;
  /** `schema.table` it works on; null when none (or plan.json, which does not say, and gives no size). */
  readonly table: string | null;
  readonly lock: LockLevel;
  readonly transactional: boolean;
  readonly isolated?: boolean | undefined;
  readonly hazards: Step['hazards'];
  readonly sql: readonly string[];
  readonly reverse: readonly string[];
}

interface PagePhase {
  readonly name: PhaseName;
  readonly steps: readonly PageStep[];
  readonly deploy?: readonly string[] | undefined;
}

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

/** The table a step works on, a new one included (`changeTable` leaves out what does not exist yet). */
const tableOf = (s: Step): string | null => {
  const t = changeTable(s.change) ?? (s.change.kind === 'create_table' ? s.change.to : null);
  return t ? `${t.schema}.${t.name}` : null;
};

const fromPlan = (phases: readonly Phase[]): PagePhase[] =>
  phases.map((p) => ({
    name: p.name,
    deploy: p.deploy,
    steps: p.steps.map((s) => ({
      what: s.purpose ? `${describeChange(s.change)}: ${s.purpose}` : describeChange(s.change),
      table: tableOf(s),
      lock: s.lock,
      transactional: s.transactional,
      isolated: s.isolated,
      hazards: s.hazards,
      sql: s.sql,
      reverse: s.reverse,
    })),
  }));

const LOCKS = new Set<string>(Object.keys({ none: 0, share_update_exclusive: 0, share: 0, share_row_exclusive: 0, access_exclusive: 0 }));

/** A migration's plan.json as the page shows it (the table of a step is known where a size names it). */
const fromPlanJson = (phases: PlanJson['phases']): PagePhase[] =>
  phases.map((p) => ({
    name: p.name,
    deploy: p.deploy,
    steps: p.steps.map((s) => ({
      what: s.purpose ? `${s.object}: ${s.purpose}` : s.object,
      table: s.hazards.find((x) => x.size)?.size?.table ?? null,
      lock: (LOCKS.has(s.lock) ? s.lock : 'access_exclusive') as LockLevel,
      transactional: s.transactional,
      isolated: s.isolated,
      hazards: s.hazards as Step['hazards'],
      sql: s.sql,
      reverse: s.reverse,
    })),
  }));

/** Ids of one migration's sections: `` for a plan's page, `m2-` for the second migration of a rehearsal's. */
type Prefix = string;

const stepId = (x: Prefix, p: PagePhase, i: number) => `${x}${p.name}-${i + 1}`;

const header = (input: ReviewPageInput, steps: number, hazards: number): string[] => {
  const { meta } = input;
  const phases = input.phases;
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

const timeline = (phases: readonly PagePhase[], x: Prefix = ''): string[] => {
  const out = [`<section aria-labelledby="${x}timeline-h">`, `<h2 id="${x}timeline-h">Timeline</h2>`];
  if (phases.length === 0) return [...out, '<p>No changes: nothing to run.</p>', '</section>'];
  out.push('<ol class="timeline">');
  for (const p of phases) {
    if (p.name === 'contract') out.push('<li class="deploy"><strong>Deploy the new application to every instance</strong></li>');
    const breaks = p.steps.some((s) => s.hazards.some((x) => x.code === 'BREAKS_OLD_CLIENTS'));
    const apps = APPLICATIONS[p.name];
    out.push(
      `<li class="phase phase-${p.name}" data-phase="${p.name}">`,
      `<h3>${PHASE_NUMBER[p.name]}. ${p.name} <span class="file">${phaseFile(p.name, 'up')}</span></h3>`,
      `<p><a href="#${x}steps-${p.name}" data-k="phase-steps">${plural(p.steps.length, 'step')}</a>, strongest lock ${lockBadge(strongest(p.steps))}</p>`,
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

const strongest = (steps: readonly PageStep[]): LockLevel => steps.reduce<LockLevel>((a, s) => (LOCK_RANK[s.lock] > LOCK_RANK[a] ? s.lock : a), 'none');

const sizeCell = (s: PageStep): string => {
  const size = s.hazards.find((x) => x.size)?.size;
  if (!size) return '<td class="size">—</td>';
  return `<td class="size" data-rows="${Math.round(size.rows)}" data-bytes="${size.bytes}">${h(describeSize(size))}</td>`;
};

const stepsTable = (phases: readonly PagePhase[], x: Prefix = '', measured?: (p: PagePhase, i: number) => string): string[] => {
  const out = [`<section id="${x}steps" aria-labelledby="${x}steps-h" tabindex="-1">`, `<h2 id="${x}steps-h">Steps</h2>`];
  if (phases.length === 0) return [...out, '<p>None.</p>', '</section>'];
  const cols = measured ? 7 : 6;
  out.push(
    `<div class="scroll" tabindex="0" role="region" aria-labelledby="${x}steps-h">`,
    `<table class="steps${measured ? ' measured' : ''}"><colgroup><col style="width:2.5rem"><col style="width:${measured ? 24 : 30}%"><col style="width:12.5rem"><col style="width:7.5rem"><col><col style="width:${measured ? 10 : 15}%">` +
      `${measured ? '<col style="width:11rem">' : ''}</colgroup><thead><tr><th scope="col">#</th><th scope="col">change</th><th scope="col">lock</th><th scope="col">transaction</th><th scope="col">hazards</th><th scope="col">table size</th>` +
      `${measured ? '<th scope="col">rehearsed / forecast</th>' : ''}</tr></thead>`,
  );
  for (const p of phases) {
    out.push(`<tbody id="${x}steps-${p.name}"><tr class="phase-row"><th scope="rowgroup" colspan="${cols}">${PHASE_NUMBER[p.name]}. ${p.name}</th></tr>`);
    p.steps.forEach((s, i) => {
      const hazards = s.hazards.length
        ? `<ul class="hazards">${s.hazards.map((x) => `<li><span class="hz">${x.code}</span> ${h(x.message)}${x.mitigation ? ` <em>allowed: ${h(x.mitigation)}</em>` : ''}</li>`).join('')}</ul>`
        : '—';
      out.push(
        `<tr data-step="${stepId(x, p, i)}"><td>${i + 1}</td><td>${h(s.what)}</td><td class="lock-cell" data-lock="${s.lock}">${lockBadge(s.lock)}</td>` +
          `<td>${s.transactional ? (s.isolated ? 'own' : 'shared') : 'none'}</td><td class="hazard-cell" data-count="${s.hazards.length}">${hazards}</td>${sizeCell(s)}${measured ? measured(p, i) : ''}</tr>`,
      );
    });
    out.push('</tbody>');
  }
  out.push('</table></div>', '</section>');
  return out;
};

/** Tables × phases: in each cell, how many steps of the phase work on the table, and the strongest lock they take. */
const tablesDiagram = (phases: readonly PagePhase[], x: Prefix = ''): string[] => {
  const tables = [...new Set(phases.flatMap((p) => p.steps.map((s) => s.table)).filter((t): t is string => t !== null))].sort();
  const out = [`<section aria-labelledby="${x}tables-h">`, `<h2 id="${x}tables-h">Tables touched</h2>`];
  if (tables.length === 0) return [...out, '<p>No table is touched.</p>', '</section>'];
  out.push(
    `<div class="scroll" tabindex="0" role="region" aria-labelledby="${x}tables-h">`,
    `<table class="diagram"><caption>${plural(tables.length, 'table')}: steps per phase and the strongest lock they take</caption>`,
    `<thead><tr><th scope="col">table</th>${phases.map((p) => `<th scope="col">${PHASE_NUMBER[p.name]}. ${p.name}</th>`).join('<th scope="col" class="arrow" aria-hidden="true">→</th>')}</tr></thead><tbody>`,
  );
  for (const t of tables) {
    const cells = phases.map((p) => {
      const mine = p.steps.filter((s) => s.table === t);
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

const sqlSection = (phases: readonly PagePhase[], x: Prefix = ''): string[] => {
  const out = [`<section aria-labelledby="${x}sql-h">`, `<h2 id="${x}sql-h">SQL, up and down</h2>`];
  if (phases.length === 0) return [...out, '<p>None.</p>', '</section>'];
  out.push('<p>Each step\'s statements beside the statements that undo them. The down file runs the steps newest first.</p>');
  for (const p of phases) {
    out.push(
      `<details open><summary><h3>${PHASE_NUMBER[p.name]}. ${p.name}: <code>${phaseFile(p.name, 'up')}</code> / <code>${phaseFile(p.name, 'down')}</code></h3></summary>`,
    );
    p.steps.forEach((s, i) => {
      const irreversible = s.hazards.some((x) => x.code === 'IRREVERSIBLE');
      out.push(
        `<div class="pair"><p class="step-title">${i + 1}. ${h(s.what)}</p>`,
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

const document = (title: string, skipTo: string, body: readonly string[], footer: string): string =>
  [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing may be fetched: the page is read offline, and a name cannot make it call anywhere.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="color-scheme" content="light dark">',
    `<title>${title}</title>`,
    `<style>${PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    `<a class="skip" href="#${skipTo}">Skip to the steps</a>`,
    ...body,
    `<footer><p>Made by <code>${footer}</code>.</p></footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');

/** The whole page. Pure: the same plan gives the same bytes. */
export const renderReviewPage = (input: ReviewPageInput): string => {
  const phases = fromPlan(input.phases);
  const steps = input.phases.reduce((n, p) => n + p.steps.length, 0);
  const hazards = input.phases.reduce((n, p) => n + p.steps.reduce((m, s) => m + s.hazards.length, 0), 0);
  return document(
    `keikaku plan ${h(input.meta.id)}`,
    'steps',
    [...header(input, steps, hazards), '<main>', ...timeline(phases), ...stepsTable(phases), ...tablesDiagram(phases), ...sqlSection(phases), '</main>'],
    'keikaku plan --format html',
  );
};

export interface RehearsalPageInput {
  /** The rehearsed migrations, oldest first: their plan.json. */
  readonly migrations: readonly { readonly id: string; readonly plan: PlanJson }[];
  readonly rehearsal: RehearsalFigures;
}

/**
 * `keikaku rehearse --format html`: the review page of each rehearsed migration, with the rehearsal's figures
 * first and beside every step (the figures of the phase-file step it runs in: one transaction may hold several).
 */
export const renderRehearsalPage = (input: RehearsalPageInput): string => {
  const r = input.rehearsal;
  const parts = rehearsalSection(r);
  const body: string[] = [...parts.header, '<main>', ...parts.section];
  input.migrations.forEach((m, k) => {
    const x = `m${k + 1}-`;
    const figuresOf = (phase: PhaseName, i: number) => r.steps.find((f) => f.migration === m.id && f.phase === phase && f.planSteps.includes(i));
    // plan.json names a step's table only with its size: the rehearsal knows the tables its SQL names.
    const phases = fromPlanJson(m.plan.phases).map((p) => ({
      ...p,
      steps: p.steps.map((s, i) => {
        const t = figuresOf(p.name, i)?.tables;
        return s.table === null && t?.length === 1 ? { ...s, table: t[0]! } : s;
      }),
    }));
    const measured = (p: PagePhase, i: number): string => {
      const s = figuresOf(p.name, i);
      if (!s) return '<td class="measured">—</td>';
      const shared = s.planSteps.length > 1 ? ` <span class="muted">(one transaction with steps ${s.planSteps.map((n) => n + 1).join(', ')})</span>` : '';
      return `<td class="measured" data-duration-ms="${s.durationMs}" data-forecast-ms="${s.forecastMs}"><span class="num">${s.durationMs}</span> ms / <span class="num">${s.forecastMs}</span> ms${shared}</td>`;
    };
    body.push(
      `<section class="migration" aria-labelledby="${x}h"><h2 id="${x}h">Migration <code>${h(m.id)}</code></h2>`,
      ...timeline(phases, x),
      ...stepsTable(phases, x, measured),
      ...tablesDiagram(phases, x),
      ...sqlSection(phases, x),
      '</section>',
    );
  });
  body.push('</main>');
  return document(`keikaku rehearsal of ${h(r.source)}`, 'rehearsal', body, 'keikaku rehearse --format html');
};
