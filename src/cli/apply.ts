/**
 * What `apply`, `down` and `status` share on the CLI side: the production guard's prompt, durations on the command
 * line, and how runs are printed. Which database (flag, environment, DATABASE_URL) is `project/target.ts`.
 */
import { typeDatabaseName } from './prompt.js';
import { UserError } from '../db/errors.js';
import { readPhaseScript } from '../apply/script.js';
import { sqlComment, terminalBlock, terminalText as t } from '../model/escape.js';
import type { Target } from '../project/target.js';
import type { Blocker, PlannedPhase, Refusal, RowLoss, RunEvent, RunFailure, RunResult } from '../apply/types.js';
import { formatBytes, type LagReading } from '../apply/throttle.js';
import type { ConnectionRoute } from '../project/apply.js';

export { recordProductionMark, resolveTarget, withDatabaseMark } from '../api.js';
export type { Target, TargetArgs } from '../project/target.js';

/** `2s`, `500ms`, `1.5min`, `1h`, or a number of milliseconds. */
export const parseDuration = (text: string | number, option: string): number => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|min|m|h)?\s*$/i.exec(String(text));
  if (!m) throw new UserError(`${option} ${text}: expected a duration such as 500ms, 2s, 5min or 1h`);
  const unit = (m[2] ?? 'ms').toLowerCase();
  const factor = unit === 'ms' ? 1 : unit === 's' || unit === 'sec' ? 1000 : unit === 'min' || unit === 'm' ? 60_000 : 3_600_000;
  return Math.round(Number(m[1]) * factor);
};

/**
 * The production guard: `--yes`, or the database name typed on a terminal. Without a terminal and without
 * `--yes`: refused (exit 3).
 */
export const confirmProduction = async (target: Target, yes: boolean, verb: string): Promise<void> => {
  if (!target.production || yes) return;
  if (!process.stdin.isTTY || !process.stdout.isTTY)
    throw new UserError(`refusing to ${verb} production database ${target.label} without --yes (no terminal to confirm on)`, 3);
  await typeDatabaseName(target, `${target.label} is a production database. Type its name (${target.database}) to ${verb}: `);
};

/** Refusals are one line each, but DRIFT lists the changes it found one per line (each escaped where it is built). */
export const refusalText = (verb: string, refusals: readonly Refusal[]): string =>
  `refusing to ${verb}:\n${refusals.map((r) => `  ${r.code}: ${r.code === 'DRIFT' ? terminalBlock(r.message) : t(r.message)}`).join('\n')}`;

const phaseLine = async (p: PlannedPhase): Promise<string> => {
  const steps = (await readPhaseScript(p.sql, p.path)).steps.length;
  const resume = p.resumeFrom > 0 ? `, resuming after step ${p.resumeFrom}` : '';
  return `  ${p.migration}  ${p.file}  (${steps} step${steps === 1 ? '' : 's'}${resume})`;
};

/** The header every run prints before acting: the target and the phase files it will run. */
export const planText = async (target: Target, verb: string, phases: readonly PlannedPhase[]): Promise<string> => {
  const head = `target: ${target.label} (${target.source}${target.production ? ', production' : ''})\n`;
  if (phases.length === 0) return `${head}nothing to ${verb}: the database is up to date with the migrations directory\n`;
  const lines = await Promise.all(phases.map(phaseLine));
  return `${head}to ${verb}: ${phases.length} phase${phases.length === 1 ? '' : 's'}\n${lines.join('\n')}\n`;
};

/**
 * The rows a down would destroy, with live counts: what `down --dry-run`, `status` and a run with
 * `--allow-data-loss` show before acting.
 */
export const lossText = (losses: readonly RowLoss[], allowed: boolean): string => {
  if (losses.length === 0) return '';
  const lines = losses.map((l) => {
    const n = `${l.rows} ${l.kind === 'drop_table' ? 'row' : l.kind === 'enum_rebuild' ? 'row' : 'value'}${l.rows === 1 ? '' : 's'}`;
    const fate = l.kind === 'enum_rebuild' ? 'the step would fail on them' : allowed && l.archive ? `archived first in keikaku_archive."${t(l.archive)}"` : 'refused without --allow-data-loss';
    return `  ${t(l.migration)}/${t(l.file)} step ${l.step}: ${t(l.what)}: ${n} (${fate})`;
  });
  return `rows this down would destroy (live counts):\n${lines.join('\n')}\n`;
};

/** `--dry-run`: the SQL of each phase file, as it would run (steps already committed are marked). */
export const dryRunText = (phases: readonly PlannedPhase[]): string =>
  phases
    .map((p) => `-- ==== ${sqlComment(p.path)}${p.resumeFrom > 0 ? ` (steps 1-${p.resumeFrom} are already committed; they would be skipped)` : ''}\n${terminalBlock(p.sql.trimEnd())}\n`)
    .join('\n');

const blockersText = (bs: readonly Blocker[]) => bs.map((b) => `pid ${b.pid} (${t(b.state)}): ${t(b.query)}`).join('; ');

/** One progress line per event, for a terminal or a log. */
/** `replica lag 1.2 MB, 300 ms` (the largest among the replicas), or that none is connected. */
export const lagText = (r: LagReading): string => {
  if (r.replicas.length === 0) return r.missing ? `${r.missing} replica${r.missing === 1 ? '' : 's'} disconnected` : 'no replica connected';
  const parts = [r.maxBytes === null ? undefined : formatBytes(r.maxBytes), r.maxMs === null ? undefined : `${r.maxMs} ms`].filter((x) => x !== undefined);
  return `replica lag ${parts.length ? parts.join(', ') : 'unknown'}${r.over ? ' (paused)' : ''}`;
};

/** How the run reaches the database, when a pooler or a direct URL is involved (docs/connections.md). */
export const connectionText = (c: ConnectionRoute): string => {
  const pooler =
    c.pooler === 'transaction'
      ? `through a transaction-mode pooler (${c.detected ? 'detected: the server session changes between statements' : 'pooler: transaction in the config'})`
      : c.pooler === 'session'
        ? 'through a session-mode pooler (config)'
        : c.pooler === 'none'
          ? 'no pooler'
          : 'pooler not probed';
  switch (c.route) {
    case 'direct-url':
      return `connection: ${pooler}; running over directUrl ${t(c.directUrl ?? '')} with the session advisory lock`;
    case 'lease':
      return `connection: ${pooler}; no directUrl, so the run lock is a lease row (keikaku.apply_lease, renewed while it runs), settings are SET LOCAL per transaction, and steps run alone (CREATE INDEX CONCURRENTLY, backfills) get the server's own lock_timeout`;
    case 'session':
      return `connection: ${pooler}; the session advisory lock`;
  }
};

export const eventText = (e: RunEvent): string | undefined => {
  switch (e.kind) {
    case 'lease-takeover':
      return `took over the apply lease of ${t(e.previous)}, which expired (that run stopped without releasing it)`;
    case 'replica-lag':
      if (e.unreadable) return `  replica lag cannot be read (${t(e.unreadable)}): the backfill runs unthrottled`;
      return e.paused ? `  backfill paused: ${t(e.reading.over ?? lagText(e.reading))}` : `  backfill resumed: ${lagText(e.reading)}`;
    case 'throttled':
      return `  replica lag during the backfill: at most ${e.summary.maxBytes === null ? 'unknown' : formatBytes(e.summary.maxBytes)}${e.summary.maxMs === null ? '' : `, ${e.summary.maxMs} ms`}; paused ${e.summary.pauses} time${e.summary.pauses === 1 ? '' : 's'}, ${e.summary.pausedMs} ms in all`;
    case 'waiting-for-lock':
      if (e.holder && e.holder.pid === 0) return `waiting: ${t(e.holder.user)} holds the apply lease (keikaku.apply_lease) since ${t(e.holder.since)}`;
      return e.holder
        ? `waiting: another keikaku (pid ${e.holder.pid}, ${t(e.holder.user)}${e.holder.client ? ` from ${t(e.holder.client)}` : ''}) is migrating this database`
        : 'waiting: another keikaku is migrating this database';
    case 'plan':
      return undefined;
    case 'phase-start':
      return `${e.phase.direction === 'up' ? 'applying' : 'reverting'} ${t(e.phase.migration)} ${t(e.phase.file)} (${e.steps} step${e.steps === 1 ? '' : 's'}${e.phase.resumeFrom ? `, resuming after step ${e.phase.resumeFrom}` : ''})`;
    case 'step-done':
      return `  [${e.index + 1}/${e.steps}] ${t(e.summary)} (${e.ms} ms)`;
    case 'step-skipped':
      return `  [${e.index + 1}] already done: ${t(e.reason)}`;
    case 'cleanup':
      return `  cleanup: ${t(e.message)}`;
    case 'retry':
      return `  step ${e.index + 1}: ${t(e.reason)}${e.blockers.length ? ` (blocked by ${blockersText(e.blockers)})` : ''}; retry ${e.attempt} in ${e.waitMs} ms`;
    case 'progress':
      return e.done !== undefined && e.total !== undefined && e.total > 0
        ? `  progress${e.table ? ` ${t(e.table)}` : ''}: ${e.done}/${e.total} (${Math.floor((100 * e.done) / e.total)}%)`
        : `  progress: ${t(e.text)}`;
    case 'notice':
      return `  ${t(e.severity)}: ${t(e.message)}`;
    case 'restored':
      return `  restored ${t(e.into)} from keikaku_archive."${t(e.archive)}" (archived by a down of ${t(e.phase.migration)})`;
    case 'phase-done':
      return `  done in ${e.ms} ms`;
  }
};

export const failureText = (verb: string, f: RunFailure): string =>
  `${verb} stopped at ${t(f.migration)}/${t(f.file)} step ${f.step}: ${t(f.message)}\n` +
  `the journal records ${f.stepsDone} step${f.stepsDone === 1 ? '' : 's'} of this phase as committed; fix the cause and run \`keikaku ${verb}\` again to resume`;

export const resultJson = (target: Target, result: RunResult, planned: readonly PlannedPhase[]) => ({
  target: target.label,
  production: target.production,
  outcome: result.outcome,
  planned: planned.map((p) => ({ migration: p.migration, phase: p.phase, file: p.file, resumeFrom: p.resumeFrom })),
  ...(result.outcome === 'refused' ? { refusals: result.refusals } : { ran: result.ran }),
  ...(result.outcome === 'failed' ? { failure: result.failure } : {}),
});
