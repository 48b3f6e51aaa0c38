/**
 * The rehearsal's share of the review page (`keikaku rehearse --format html`): how the copy was made, every step's
 * measured and forecast figures (each number also in a `data-` attribute, as the JSON report has it), the round
 * trip, and what the rehearsal found. Every name and message goes through `htmlText`.
 */
import { htmlText as h } from '../model/escape.js';

/** The figures of a rehearsal, as `keikaku rehearse --format json` reports them (project/rehearse.ts). */
export interface RehearsalFigures {
  readonly source: string;
  readonly copy: { readonly method: string; readonly url: string; readonly sampleRows: number | null; readonly notes: readonly string[] };
  readonly lockTimeoutMs: number;
  readonly steps: readonly {
    readonly migration: string;
    readonly phase: string;
    readonly step: number;
    readonly description: string;
    readonly durationMs: number;
    readonly maxLockWaitMs: number;
    readonly failedStatements: number;
    readonly workloadStatements: number;
    readonly rowsPerSecond: number | null;
    readonly rewrote: boolean;
    readonly rewroteTables: readonly string[];
    readonly walBytes: number | null;
    readonly forecastMs: number;
    readonly exceedsLockTimeout: boolean;
    readonly failed: boolean;
    /** The steps of the migration's plan (0-based, in its phase) this phase-file step runs. */
    readonly planSteps: readonly number[];
    /** `schema.table` its SQL names. */
    readonly tables: readonly string[];
  }[];
  readonly failure: string | null;
  readonly roundTrip: {
    readonly downMs: number;
    readonly upMs: number;
    readonly ok: boolean;
    readonly failure?: string | undefined;
    readonly tables: readonly { readonly table: string; readonly rowsBefore: number; readonly rowsAfterDown: number; readonly rowsAfterUp: number; readonly downRestored: boolean; readonly upReapplied: boolean; readonly differ: readonly string[] }[];
  } | null;
  readonly findings: readonly string[];
}

const n = (v: number) => `<span class="num">${v.toLocaleString('en-US')}</span>`;
const bytes = (v: number | null) => (v === null ? '—' : v >= 1 << 20 ? `${n(Math.round((v / (1 << 20)) * 10) / 10)} MB` : v >= 1024 ? `${n(Math.round(v / 1024))} kB` : `${n(v)} B`);

/** The page's header (source, copy, findings) and the section of figures. */
export const rehearsalSection = (r: RehearsalFigures): { readonly header: string[]; readonly section: string[] } => {
  const out = [
    '<header>',
    `<h1>Rehearsal of <code>${h(r.source)}</code></h1>`,
    `<p class="summary"><span data-k="rehearsed-steps">${n(r.steps.length)} step${r.steps.length === 1 ? '' : 's'}</span> run on a copy ` +
      `(<span data-k="copy-method">${h(r.copy.method)}</span>${r.copy.sampleRows !== null ? `, at most <span data-k="sample">${n(r.copy.sampleRows)}</span> rows a table` : ''}), ` +
      `lock_timeout <span data-k="lock-timeout">${n(r.lockTimeoutMs)}</span> ms.</p>`,
    ...(r.copy.notes.length ? [`<ul class="notes">${r.copy.notes.map((x) => `<li>${h(x)}</li>`).join('')}</ul>`] : []),
    r.findings.length
      ? `<div class="refused" role="alert"><p><strong>The rehearsal found ${r.findings.length} problem${r.findings.length === 1 ? '' : 's'}:</strong></p><ul>${r.findings.map((f) => `<li>${h(f)}</li>`).join('')}</ul></div>`
      : '<p class="ok">The rehearsal found nothing to stop for.</p>',
    '</header>',
  ];
  const head = out.splice(0);
  out.push(
    '<section id="rehearsal" aria-labelledby="rehearsal-h" tabindex="-1">',
    '<h2 id="rehearsal-h">Rehearsed steps</h2>',
    '<p>Measured on the copy while an old-shaped and a new-shaped client kept reading and writing the touched tables; the forecast scales the time by the live rows over the copied rows.</p>',
  );
  if (r.steps.length === 0) return { header: head, section: [...out, '<p>Nothing was pending.</p>', '</section>'] };
  out.push(
    '<div class="scroll" tabindex="0" role="region" aria-labelledby="rehearsal-h">',
    '<table class="figures"><thead><tr><th scope="col">migration</th><th scope="col">phase</th><th scope="col">#</th><th scope="col">step</th>' +
      '<th scope="col">time</th><th scope="col">forecast</th><th scope="col"><abbr title="the longest a workload statement waited">longest wait</abbr></th><th scope="col"><abbr title="workload statements that failed, of those run">failed</abbr></th>' +
      '<th scope="col">rows/s</th><th scope="col">rewrote</th><th scope="col">WAL</th></tr></thead><tbody>',
  );
  for (const s of r.steps) {
    const flag = s.failed ? ' <strong class="bad">failed</strong>' : s.exceedsLockTimeout ? ' <strong class="bad">exceeds lock_timeout</strong>' : '';
    out.push(
      `<tr data-rehearsed="${h(s.migration)}/${s.phase}/${s.step}" data-duration-ms="${s.durationMs}" data-forecast-ms="${s.forecastMs}" data-max-lock-wait-ms="${s.maxLockWaitMs}" ` +
        `data-failed-statements="${s.failedStatements}" data-rows-per-second="${s.rowsPerSecond ?? ''}" data-rewrote="${s.rewrote}" data-wal-bytes="${s.walBytes ?? ''}">` +
        `<td class="id"><code>${h(s.migration)}</code></td><td>${s.phase}</td><td>${s.step}</td><td>${h(s.description)}${flag}</td>` +
        `<td>${n(s.durationMs)} ms</td><td>${n(s.forecastMs)} ms</td><td>${n(s.maxLockWaitMs)} ms</td><td>${n(s.failedStatements)} of ${n(s.workloadStatements)}</td>` +
        `<td>${s.rowsPerSecond === null ? '—' : n(s.rowsPerSecond)}</td><td>${s.rewrote ? `yes: ${s.rewroteTables.map((t) => `<code>${h(t)}</code>`).join(', ')}` : 'no'}</td><td>${bytes(s.walBytes)}</td></tr>`,
    );
  }
  out.push('</tbody></table></div>');
  if (r.failure) out.push(`<p class="refused" role="alert">The run stopped: ${h(r.failure)}</p>`);
  const rt = r.roundTrip;
  if (rt) {
    out.push(
      `<h3 id="round-trip-h">Round trip</h3><p data-k="round-trip" data-ok="${rt.ok}">Every migration down in ${n(rt.downMs)} ms, then up again in ${n(rt.upMs)} ms: ` +
        `${rt.ok ? 'the data came back' : '<strong class="bad">the data did not come back</strong>'}${rt.failure ? ` (${h(rt.failure)})` : ''}.</p>`,
      '<div class="scroll" tabindex="0" role="region" aria-labelledby="round-trip-h"><table class="figures"><thead><tr><th scope="col">table</th><th scope="col">rows before</th><th scope="col">after down</th><th scope="col">after up again</th><th scope="col">columns that differ</th></tr></thead><tbody>',
      ...rt.tables.map(
        (t) =>
          `<tr><th scope="row"><code>${h(t.table)}</code></th><td>${n(t.rowsBefore)}</td><td>${n(t.rowsAfterDown)} (${t.downRestored ? 'same rows' : 'differ'})</td>` +
          `<td>${n(t.rowsAfterUp)} (${t.upReapplied ? 'same rows' : 'differ'})</td><td>${t.differ.length ? t.differ.map((c) => `<code>${h(c)}</code>`).join(', ') : '—'}</td></tr>`,
      ),
      '</tbody></table></div>',
    );
  }
  out.push('</section>');
  return { header: head, section: out };
};
