/** `apply` and `down`: preview, guard, run, report. */
import { terminalText as t } from '../model/escape.js';
import { ProgressMeter } from './progress.js';
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import type { PhaseName } from '../model/plan.js';
import { DEFAULT_TIMEOUTS, type RunDirection, type RunEvent, type Timeouts } from '../apply/types.js';
import { apply } from '../api.js';
import {
  confirmProduction,
  connectionText,
  lagText,
  dryRunText,
  eventText,
  failureText,
  lossText,
  parseDuration,
  planText,
  refusalText,
  resultJson,
  type TargetArgs,
} from './apply.js';
import type { CommandOutput } from './options.js';
import { stderrNotifier } from './notice.js';
import type { Target } from '../project/target.js';
import type { PlannedPhase, RowLoss } from '../apply/types.js';

export interface RunArgs extends TargetArgs {
  readonly direction: RunDirection;
  readonly to?: string | undefined;
  readonly phase?: PhaseName | undefined;
  readonly steps?: number | undefined;
  readonly dryRun: boolean;
  readonly yes: boolean;
  readonly lockTimeout?: string | undefined;
  readonly statementTimeout?: string | undefined;
  readonly retries?: number | undefined;
  readonly format: 'text' | 'json';
  /** down: archive rows a step would destroy instead of refusing (`--allow-data-loss`). */
  readonly allowDataLoss?: boolean | undefined;
  /** Before acting, compare the live schema with what its applied migrations make (as `check` does). */
  readonly verifySchema?: boolean | undefined;
  /** `--direct-url`: a URL that bypasses a transaction-mode pooler. */
  readonly directUrl?: string | undefined;
  /** Where progress lines go as the run proceeds (stdout for text, stderr for json). */
  readonly write: (text: string) => void;
  /** `write` goes to a terminal: backfill progress is a bar redrawn in place. */
  readonly progressTty?: boolean | undefined;
}

export const timeoutsFrom = (a: Pick<RunArgs, 'lockTimeout' | 'statementTimeout' | 'retries'>): Timeouts => {
  const retries = a.retries ?? DEFAULT_TIMEOUTS.retries;
  if (!Number.isInteger(retries) || retries < 0) throw new UserError(`--retries ${a.retries}: expected a whole number, 0 or more`);
  const lockTimeoutMs = a.lockTimeout === undefined ? DEFAULT_TIMEOUTS.lockTimeoutMs : parseDuration(a.lockTimeout, '--lock-timeout');
  if (lockTimeoutMs <= 0) throw new UserError('--lock-timeout must be more than 0: without it a step could wait forever while every other query queues behind it');
  return {
    lockTimeoutMs,
    statementTimeoutMs: a.statementTimeout === undefined ? DEFAULT_TIMEOUTS.statementTimeoutMs : parseDuration(a.statementTimeout, '--statement-timeout'),
    retries,
    backoffMs: Math.min(DEFAULT_TIMEOUTS.backoffMs, lockTimeoutMs),
  };
};

export const runApplyCommand = async (config: ResolvedConfig, a: RunArgs): Promise<CommandOutput> => {
  const verb = a.direction === 'up' ? 'apply' : 'down';
  if (a.direction === 'down' && a.steps !== undefined && a.to !== undefined) throw new UserError('down: give --steps N or --to ID, not both');
  if (a.steps !== undefined && (!Number.isInteger(a.steps) || a.steps < 1)) throw new UserError(`--steps ${a.steps}: expected a whole number, 1 or more`);
  const json = a.format === 'json';
  const header = async (target: Target, phases: readonly PlannedPhase[], losses: readonly RowLoss[]) =>
    `${await planText(target, verb === 'apply' ? 'apply' : 'revert', phases)}${lossText(losses, true)}`;
  // A backfill reports every batch: a bar redrawn in place on a terminal, else a line at most once a second.
  const meter = new ProgressMeter(a.progressTty === true);
  const onEvent = (e: RunEvent) => {
    if (e.kind === 'progress' && e.done !== undefined && e.total !== undefined) {
      const text = meter.update({
        key: `${e.phase.migration}/${e.phase.file}/${e.table ?? ''}`,
        table: e.table,
        done: e.done,
        total: e.total,
        now: Date.now(),
        lag: e.replicaLag && lagText(e.replicaLag),
      });
      if (text !== undefined) a.write(text);
      return;
    }
    const line = eventText(e);
    if (line !== undefined) a.write(`${line}\n`);
  };
  const run = await apply({
    config,
    databaseUrl: a.databaseUrl,
    env: a.env,
    production: a.production,
    direction: a.direction,
    to: a.to,
    phase: a.phase,
    steps: a.steps,
    allowDataLoss: a.allowDataLoss,
    timeouts: timeoutsFrom(a),
    dryRun: a.dryRun,
    verifySchema: a.verifySchema,
    yes: a.yes,
    confirm: (target) => confirmProduction(target, a.yes, verb === 'apply' ? 'apply migrations to' : 'revert migrations on'),
    onReady: async (target, phases, losses) => a.write(await header(target, phases, losses)),
    onSchemaVerified: () => a.write('schema verified: the live schema is what its applied migrations make\n'),
    onEvent,
    directUrl: a.directUrl,
    onConnection: (c) => a.write(`${connectionText(c)}\n`),
    notify: stderrNotifier,
  });
  const { target, losses } = run;
  if (run.kind === 'refused') {
    if (json)
      return { stdout: `${JSON.stringify({ ...resultJson(target, { outcome: 'refused', refusals: run.refusals }, []), losses, ...(a.dryRun ? { dryRun: true } : {}) }, null, 2)}\n`, exitCode: 3 };
    // A dry run shows what it would have run and why the real run refuses.
    const shown = a.dryRun && run.phases.length ? `${await planText(target, 'revert', run.phases)}\n${dryRunText(run.phases)}` : '';
    throw new UserError(`${shown}${target.label}: ${refusalText(verb, run.refusals)}`, 3);
  }
  if (run.kind === 'dry-run') {
    if (json) return { stdout: `${JSON.stringify({ ...resultJson(target, { outcome: 'done', ran: [] }, run.phases), losses, dryRun: true, sql: run.phases.map((p) => ({ path: p.path, sql: p.sql })) }, null, 2)}\n`, exitCode: 0 };
    return { stdout: `${await header(target, run.phases, losses)}${run.phases.length ? `\n${dryRunText(run.phases)}` : ''}(dry run: nothing was run, the journal is unchanged)\n`, exitCode: 0 };
  }
  if (run.kind === 'drift') {
    const refusals = [{ code: 'DRIFT' as const, message: `the live schema is not what its applied migrations make; to match them it would need:\n${run.drift.map((d) => `    ${t(d)}`).join('\n')}` }];
    if (json) return { stdout: `${JSON.stringify(resultJson(target, { outcome: 'refused', refusals }, run.phases), null, 2)}\n`, exitCode: 3 };
    throw new UserError(`${target.label}: ${refusalText(verb, refusals)}`, 3);
  }
  const { result } = run;
  if (run.phases.length === 0) return { stdout: json ? `${JSON.stringify(resultJson(target, { outcome: 'done', ran: [] }, []), null, 2)}\n` : '', exitCode: 0 };
  if (json) {
    const exitCode = result.outcome === 'done' ? 0 : result.outcome === 'refused' ? 3 : 1;
    return { stdout: `${JSON.stringify(resultJson(target, result, run.phases), null, 2)}\n`, exitCode };
  }
  if (result.outcome === 'refused') throw new UserError(`${target.label}: ${refusalText(verb, result.refusals)}`, 3);
  if (result.outcome === 'failed') throw new UserError(failureText(verb, result.failure), 1);
  const n = result.ran.length;
  const ms = result.ran.reduce((t, r) => t + r.ms, 0);
  const migrations = new Set(result.ran.map((r) => r.migration)).size;
  const summary =
    n === 0
      ? 'nothing left to do: another keikaku ran it meanwhile\n'
      : `${a.direction === 'up' ? 'applied' : 'reverted'} ${n} phase${n === 1 ? '' : 's'} of ${migrations} migration${migrations === 1 ? '' : 's'} in ${ms} ms\n`;
  return { stdout: summary, exitCode: 0 };
};
