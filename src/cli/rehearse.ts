/** `keikaku rehearse`: the report of a rehearsal as text, JSON or the review page; exit 3 when it found something. */
import type { ResolvedConfig } from '../config/index.js';
import { terminalText as t } from '../model/escape.js';
import { rehearse, type Rehearsal } from '../api.js';
import { renderRehearsalPage } from '../emit/html-page.js';
import type { CommandOutput } from './options.js';
import { timeoutsFrom } from './run-apply.js';

export interface RehearseArgs {
  readonly databaseUrl?: string | undefined;
  readonly env?: string | undefined;
  readonly migrations: readonly string[];
  readonly sample?: number | undefined;
  readonly copy?: 'template' | 'dump' | 'provider' | undefined;
  readonly scratchUrl?: string | undefined;
  readonly lockTimeout?: string | undefined;
  readonly format: 'text' | 'json' | 'html';
  /** Progress lines (stderr). */
  readonly progress: (text: string) => void;
}

const ms = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${n} ms`);
const bytes = (n: number | null) => (n === null ? '—' : n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(0)} kB` : `${n} B`);

/** The JSON report (`steps` as DESIGN §10 names them, then the rest). */
export const rehearsalJson = (r: Rehearsal) => ({
  source: r.source,
  copy: r.copy,
  lockTimeoutMs: r.lockTimeoutMs,
  steps: r.steps.map((s) => ({
    migration: s.migration,
    phase: s.phase,
    step: s.step,
    description: s.description,
    durationMs: s.durationMs,
    maxLockWaitMs: s.maxLockWaitMs,
    failedStatements: s.failedStatements,
    rowsPerSecond: s.rowsPerSecond,
    rewrote: s.rewrote,
    walBytes: s.walBytes,
    forecastMs: s.forecastMs,
    exceedsLockTimeout: s.exceedsLockTimeout,
    failed: s.failed,
    againMs: s.againMs,
    workloadStatements: s.workloadStatements,
    rewroteTables: s.rewroteTables,
    tables: s.tables,
    planSteps: s.planSteps,
    workloadErrors: s.workloadErrors,
  })),
  failure: r.failure,
  roundTrip: r.roundTrip,
  tables: r.tables,
  findings: r.findings,
});

export const rehearsalText = (r: Rehearsal): string => {
  const out: string[] = [];
  if (r.pending.length === 0) return `Nothing pending on ${t(r.source)}: nothing to rehearse.\n`;
  out.push(`Rehearsal of ${t(r.source)} on a copy (${r.copy.method}${r.copy.sampleRows !== null ? `, at most ${r.copy.sampleRows} rows a table` : ''}), lock_timeout ${r.lockTimeoutMs} ms`);
  for (const n of r.copy.notes) out.push(`  note: ${t(n)}`);
  for (const s of r.steps) {
    const figures = [
      `${ms(s.durationMs)} (forecast ${ms(s.forecastMs)})`,
      `workload waited at most ${ms(s.maxLockWaitMs)}, ${s.failedStatements} of ${s.workloadStatements} statements failed`,
      s.rowsPerSecond !== null ? `${s.rowsPerSecond} rows/s` : '',
      s.rewrote ? `rewrote ${s.rewroteTables.map(t).join(', ')}` : 'no rewrite',
      `WAL ${bytes(s.walBytes)}`,
    ].filter(Boolean);
    const flag = s.failed ? '  FAILED' : s.exceedsLockTimeout ? '  EXCEEDS lock_timeout' : '';
    out.push(`${t(s.migration)} ${s.phase} step ${s.step}: ${t(s.description)}${flag}`, `  ${figures.join('; ')}`);
    for (const e of s.workloadErrors) out.push(`  workload error: ${t(e)}`);
  }
  if (r.failure) out.push(`The run stopped: ${t(r.failure)}`);
  const rt = r.roundTrip;
  if (rt) {
    out.push(`Round trip: down ${ms(rt.downMs)}, up again ${ms(rt.upMs)}: ${rt.ok ? 'the data came back' : 'the data did NOT come back'}${rt.failure ? ` (${t(rt.failure)})` : ''}`);
    for (const x of rt.tables)
      out.push(`  ${t(x.table)}: ${x.rowsBefore} rows; after down ${x.rowsAfterDown} (${x.downRestored ? 'same rows' : 'differ'}), after up ${x.rowsAfterUp} (${x.upReapplied ? 'same rows' : 'differ'})${x.differ.length ? `; columns that differ: ${x.differ.map(t).join(', ')}` : ''}`);
  }
  out.push(r.findings.length ? `Found ${r.findings.length} problem(s):\n${r.findings.map((f) => `  - ${t(f)}`).join('\n')}` : 'Found nothing to stop for.');
  return `${out.join('\n')}\n`;
};

export const runRehearseCommand = async (config: ResolvedConfig, a: RehearseArgs): Promise<CommandOutput> => {
  const timeouts = timeoutsFrom({ lockTimeout: a.lockTimeout, statementTimeout: undefined, retries: undefined });
  const r = await rehearse({
    config,
    databaseUrl: a.databaseUrl,
    env: a.env,
    migrations: a.migrations,
    sample: a.sample,
    copy: a.copy,
    scratchUrl: a.scratchUrl,
    timeouts,
    onProgress: (text) => a.progress(`keikaku: ${t(text)}\n`),
  });
  const exitCode = r.findings.length ? 3 : 0;
  if (a.format === 'json') return { stdout: `${JSON.stringify(rehearsalJson(r), null, 2)}\n`, exitCode };
  if (a.format === 'html') {
    return { stdout: renderRehearsalPage({ migrations: r.plans, rehearsal: r }), exitCode };
  }
  return { stdout: rehearsalText(r), exitCode };
};
