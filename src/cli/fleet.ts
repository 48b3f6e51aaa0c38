/**
 * `apply|status|check|verify --targets FILE` (or `--fleet`): one line per database as it finishes, then a summary
 * (text), or the whole report as JSON on stdout with the lines on stderr. The work is `fleetApply` & co. of the API.
 */
import { createInterface } from 'node:readline/promises';
import { resolve as resolvePath } from 'node:path';
import { fleetApply, fleetCheck, fleetStatus, fleetVerify, type FleetReport, type FleetTargetResult, type Target } from '../api.js';
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import { quotedName, terminalText as t } from '../model/escape.js';
import type { TargetArgs } from '../project/target.js';
import type { PhaseName } from '../model/plan.js';
import type { CommandOutput } from './options.js';
import { timeoutsFrom } from './run-apply.js';

export interface FleetArgs {
  readonly targets?: string | undefined;
  readonly fleet?: boolean | undefined;
  readonly parallel?: number | undefined;
  readonly format: 'text' | 'json';
  readonly schemas?: string | undefined;
  readonly templateSchema?: string | undefined;
  /** `--schemas` without --targets/--fleet: the one database. */
  readonly database?: TargetArgs | undefined;
}

export interface FleetApplyArgs extends FleetArgs {
  readonly canary?: number | undefined;
  readonly continueOnError?: boolean | undefined;
  readonly to?: string | undefined;
  readonly phase?: PhaseName | undefined;
  readonly yes: boolean;
  readonly production?: boolean | undefined;
  readonly lockTimeout?: string | undefined;
  readonly statementTimeout?: string | undefined;
  readonly retries?: number | undefined;
}

/** Whether the command runs over a fleet of databases (`--targets`, `--fleet`). */
export const isDatabaseFleet = (a: { readonly targets?: string | undefined; readonly fleet?: boolean | undefined }): boolean => a.targets !== undefined || a.fleet === true;

/** Whether the command runs over a fleet: of databases, or of tenant schemas (`--schemas`). */
export const isFleet = (a: { readonly targets?: string | undefined; readonly fleet?: boolean | undefined; readonly schemas?: string | undefined }): boolean =>
  isDatabaseFleet(a) || a.schemas !== undefined;

/** Options a single database takes that a fleet does not. */
export const refuseWithFleet = (given: Readonly<Record<string, unknown>>): void => {
  const bad = Object.entries(given).filter(([, v]) => v !== undefined && v !== false).map(([k]) => `--${k}`);
  if (bad.length) throw new UserError(`${bad.join(', ')}: not with --targets/--fleet (each database of the fleet is named there)`);
};

/** A fleet reports as text or JSON (check's github and sarif formats are of one database). */
export const fleetFormat = (format: string): 'text' | 'json' => {
  if (format !== 'text' && format !== 'json') throw new UserError(`--format ${format}: over a fleet, reports are text or json`);
  return format;
};

/** Fleet options without a fleet. */
export const refuseWithoutFleet = (given: Readonly<Record<string, unknown>>): void => {
  const bad = Object.entries(given).filter(([, v]) => v !== undefined && v !== false).map(([k]) => `--${k}`);
  if (bad.length) throw new UserError(`${bad.join(', ')}: only with --targets FILE or --fleet (a fleet of databases), or --schemas PATTERN (a fleet of tenant schemas)`);
};

const selection = (a: FleetArgs) => ({
  targetsFile: a.targets === undefined ? undefined : resolvePath(process.cwd(), a.targets),
  fleet: a.fleet,
  parallel: a.parallel,
  schemas: a.schemas,
  templateSchema: a.templateSchema,
  database: a.database,
});

/** A target as printed: the URL, and its tenant schema quoted as SQL writes it. */
const targetName = (r: FleetTargetResult): string => `${t(r.url)}${r.schema === undefined ? '' : ` schema ${t(quotedName(r.schema))}`}`;

const moved = (r: FleetTargetResult): string => {
  if (r.from === r.to) return r.to === null ? '' : `at ${t(r.to)}`;
  return `${r.from === null ? '(none)' : t(r.from)} → ${r.to === null ? '(none)' : t(r.to)}`;
};

/** One database, as it finishes. */
export const targetLine = (r: FleetTargetResult, i: number, n: number): string => {
  const cells = [`[${i}/${n}]`, `${targetName(r)}${r.name ? ` (${t(r.name)})` : ''}${r.production ? ' production' : ''}`, r.state, moved(r), r.durationMs === null ? '' : `${r.durationMs} ms`];
  const head = cells.filter((c) => c !== '').join('  ');
  const more = [...(r.error ? [`error: ${r.error}`] : []), ...(r.state !== 'failed' ? (r.findings ?? []) : [])];
  return `${head}${more.map((m) => `\n    ${t(m)}`).join('')}\n`;
};

const median = (xs: readonly number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
};

/** The closing lines: counts, why some were skipped, and the databases that failed (again, at the end). */
export const summaryText = (r: FleetReport): string => {
  const counts = Object.entries(r.counts).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`);
  // A database that failed may have failed before its run started (unreachable): its time says nothing of a run.
  const ran = r.targets.flatMap((x) => (x.durationMs === null || x.state === 'failed' ? [] : [x.durationMs]));
  const what = r.targets.some((x) => x.schema !== undefined) ? ['tenant schema', 'tenant schemas', 'schema'] : ['database', 'databases', 'database'];
  const lines = [`${r.command} over ${r.targets.length} ${r.targets.length === 1 ? what[0] : what[1]}: ${counts.join(', ')} in ${r.durationMs} ms${ran.length ? ` (median ${median(ran)} ms per ${what[2]})` : ''}`];
  if (r.history && r.history.messages.length) lines.push(`the history (checked once): exit ${r.history.exitCode}`, ...r.history.messages.map((m) => `  ${t(m)}`));
  if (r.stopped) lines.push(`skipped: ${t(r.stopped)}`);
  const failed = r.targets.filter((x) => x.state === 'failed');
  if (failed.length) lines.push('failed:', ...failed.map((x) => `  ${targetName(x)}: ${t(x.error ?? '')}`));
  return `${lines.join('\n')}\n`;
};

const output = (r: FleetReport, format: 'text' | 'json'): CommandOutput => ({
  stdout: format === 'json' ? `${JSON.stringify(r, null, 2)}\n` : summaryText(r),
  exitCode: r.exitCode,
});

/** Lines go to stdout for text, stderr for JSON (stdout then holds the report alone). */
const writer = (format: 'text' | 'json') => (text: string) => (format === 'json' ? process.stderr : process.stdout).write(text);

/**
 * The fleet's production guard: `--yes`, or on a terminal the number of production databases typed back.
 * Without a terminal and without `--yes`: refused (exit 3).
 */
const confirmFleet = async (production: readonly Target[], total: number): Promise<void> => {
  const n = production.length;
  const what = `${n} of the ${total} databases of this fleet ${n === 1 ? 'is' : 'are'} production`;
  if (!process.stdin.isTTY || !process.stdout.isTTY) throw new UserError(`refusing to apply migrations: ${what}; pass --yes (no terminal to confirm on)`, 3);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    process.stdout.write(`${what}:\n${production.map((p) => `  ${p.label}`).join('\n')}\n`);
    const answer = await rl.question(`Type ${n} (the number of production databases) to apply migrations to them: `);
    if (answer.trim() !== String(n)) throw new UserError(`stopped: "${t(answer.trim())}" is not ${n}; nothing was changed`, 3);
  } finally {
    rl.close();
  }
};

export const runFleetApply = async (config: ResolvedConfig, a: FleetApplyArgs): Promise<CommandOutput> => {
  const write = writer(a.format);
  const report = await fleetApply({
    config,
    ...selection(a),
    canary: a.canary,
    continueOnError: a.continueOnError,
    to: a.to,
    phase: a.phase,
    timeouts: timeoutsFrom(a),
    yes: a.yes,
    production: a.production,
    confirm: confirmFleet,
    onTargetDone: (r, i, n) => write(targetLine(r, i, n)),
  });
  return output(report, a.format);
};

export const runFleetRead = async (config: ResolvedConfig, command: 'status' | 'check' | 'verify', a: FleetArgs & { readonly lint?: boolean | undefined }): Promise<CommandOutput> => {
  const write = writer(a.format);
  const o = { config, ...selection(a), onTargetDone: (r: FleetTargetResult, i: number, n: number) => write(targetLine(r, i, n)) };
  const report =
    command === 'status'
      ? await fleetStatus(o)
      : command === 'check'
        ? await fleetCheck({ ...o, lint: a.lint })
        : await fleetVerify(o);
  return output(report, a.format);
};
