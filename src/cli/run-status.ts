/**
 * `status`: each migration phase on the target database, as text or JSON. Exit 2 when a phase is not applied
 * (pending, running, interrupted or failed), as `check` does for pending migrations; 0 when all are applied.
 */
import type { ResolvedConfig } from '../config/index.js';
import type { PhaseStatus, StatusReport } from '../apply/status.js';
import { status } from '../api.js';
import { lossText, type Target, type TargetArgs } from './apply.js';
import type { CommandOutput } from './options.js';
import { terminalText as t } from '../model/escape.js';

const at = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '');

const phaseText = (p: PhaseStatus): string => {
  const cells = [p.phase.padEnd(8), p.state.padEnd(11)];
  switch (p.state) {
    case 'applied':
      cells.push(`${at(p.at)}  ${p.durationMs ?? 0} ms${p.direction === 'baseline' ? ' (baseline)' : ''}  by ${t(String(p.by))}  checksum ${p.checksum}`);
      break;
    case 'running':
      cells.push(`since ${at(p.at)}, ${p.stepsDone}/${p.stepsTotal} steps committed, by ${t(String(p.by))}`);
      break;
    case 'interrupted':
    case 'failed': {
      const why = t((p.error ?? '').split('\n')[0]!.trim()) || (p.state === 'interrupted' ? 'the process stopped before the phase finished' : 'no error was recorded');
      // A backfill step commits its rows batch by batch: "0/1 steps" alone would read as "nothing was done".
      const batches = p.phase === 'backfill' && p.stepsDone !== p.stepsTotal ? ' (the batches a backfill step committed stay committed; apply resumes it)' : '';
      cells.push(`${p.direction === 'down' ? 'down ' : ''}at ${at(p.at)}, ${p.stepsDone}/${p.stepsTotal} steps committed${batches}: ${why}`);
      break;
    }
    case 'pending':
      break;
  }
  const out = [`  ${cells.join(' ').trimEnd()}`];
  // What a batched backfill committed before it stopped (recorded with each batch).
  for (const b of p.backfilled) out.push(`    backfill ${t(b.table)}: ${b.done} of ${b.total} row${b.total === 1 ? '' : 's'} committed`);
  const way = p.state === 'pending' ? null : p.restorePoint;
  if (way) {
    const parts = [way.lsn === null ? null : `WAL ${way.lsn}`, `at ${at(way.at)}`, way.name === null ? null : `restore point ${t(way.name)}`].filter((x) => x !== null);
    const nothing = way.lsn === null && way.name === null ? ' (nothing else could be recorded: see below)' : '';
    out.push(`           before it: ${parts.join(', ')}${nothing}`);
  }
  return out.join('\n');
};

/** What limits the recorded restore points, each said once (they are mostly the same for every phase). */
const restoreNotes = (r: StatusReport): string[] => {
  const notes = new Set<string>();
  for (const m of r.migrations) for (const p of m.phases) if (p.state !== 'pending') for (const n of p.restorePoint?.notes ?? []) notes.add(n);
  return notes.size ? ["restore points (recovering to one, or a provider's branch as of its time, gets back to just before its phase):", ...[...notes].map((n) => `  ${t(n)}`)] : [];
};

export const statusText = (target: Target, r: StatusReport): string => {
  const lines = [`target: ${target.label} (${target.source}${target.production ? ', production' : ''})`];
  if (!r.journal) lines.push('no journal yet: nothing has been applied by keikaku');
  if (r.standby) {
    const c = Object.entries(r.standby.conflicts);
    lines.push(
      `hot standby (read-only): the journal as replayed so far${r.standby.lastReplayedAt ? ` (last replayed commit ${at(r.standby.lastReplayedAt)})` : ''}` +
        `${r.standby.replayPaused ? ', REPLAY PAUSED' : ''}; apply runs on the primary`,
    );
    if (c.length) lines.push(`  queries cancelled here by replay conflicts: ${c.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  }
  if (r.runningBy && r.runningBy.pid === 0) lines.push(`in progress: ${t(r.runningBy.user)} holds the apply lease (keikaku.apply_lease) since ${at(r.runningBy.since)}`);
  else if (r.runningBy) lines.push(`in progress: keikaku pid ${r.runningBy.pid} (${t(r.runningBy.user)}${r.runningBy.client ? ` from ${t(r.runningBy.client)}` : ''}) holds the migration lock`);
  for (const m of r.migrations) lines.push(m.id, ...m.phases.map(phaseText));
  for (const u of r.unknown) lines.push(`${u.id}  NOT IN THE MIGRATIONS DIRECTORY (${u.phase} ${u.state})`);
  const all = r.migrations.flatMap((m) => m.phases);
  const count = (s: PhaseStatus['state']) => all.filter((p) => p.state === s).length;
  lines.push(
    `${count('applied')} applied, ${count('pending')} pending, ${count('running')} running, ${count('failed') + count('interrupted')} failed or interrupted (phases)`,
  );
  lines.push(...restoreNotes(r));
  if (r.problems.length) lines.push('apply would refuse:', ...r.problems.map((p) => `  ${p.code}: ${t(p.message)}`));
  const down = r.nextDown;
  if (down.losses.length) lines.push(`down of ${t(down.migration ?? "")}: ${lossText(down.losses, false).trimEnd()}`);
  const refusals = down.refusals.filter((x) => x.code !== 'DATA_LOSS');
  if (refusals.length) lines.push('down would refuse:', ...refusals.map((p) => `  ${p.code}: ${t(p.message)}`));
  return `${lines.join('\n')}\n`;
};

export const runStatusCommand = async (config: ResolvedConfig, a: TargetArgs & { format: 'text' | 'json' }): Promise<CommandOutput> => {
  const { target, report } = await status({ config, databaseUrl: a.databaseUrl, env: a.env, production: a.production });
  // Exit 2 while a phase is not applied (pending, running, interrupted, failed), as `check` does for pending work.
  const exitCode = report.migrations.some((m) => m.phases.some((p) => p.state !== 'applied')) ? 2 : 0;
  if (a.format === 'json') return { stdout: `${JSON.stringify({ ...report, target: target.label, production: target.production }, null, 2)}
`, exitCode };
  return { stdout: statusText(target, report), exitCode };
};
