/**
 * What a run of `apply` or `down` will do, decided from the migration directory and the journal alone (pure):
 * the phase files to run, in order, or why it refuses. Phases are ordered migration by migration, phase by phase
 * (expand, backfill, contract); what the journal records as applied must be a prefix of that order.
 */
import { join } from 'node:path';
import { sha256 } from '../emit/checksum.js';
import { PHASE_NUMBER } from '../emit/migration.js';
import type { History, Migration } from '../load/migrations.js';
import type { PhaseName } from '../model/plan.js';
import { phaseFiles, phaseStates, stateKey, type JournalEntry, type PhaseState } from './journal.js';
import type { PlannedPhase, Refusal, RunPlan, RunRequest, TenantRun } from './types.js';
import { squashOf } from './squashed.js';

/** One (migration, phase) of the history, in run order. */
export interface HistoryPhase {
  readonly migration: Migration;
  readonly phase: PhaseName;
  readonly upFile: string;
  readonly state: PhaseState | undefined;
}

export const historyPhases = (history: History, entries: readonly JournalEntry[]): HistoryPhase[] => {
  const states = phaseStates(entries);
  return history.migrations.flatMap((m) =>
    phaseFiles(m).map(([phase, upFile]) => ({ migration: m, phase, upFile, state: states.get(stateKey(m.id, phase)) })),
  );
};

const downFile = (upFile: string) => upFile.replace(/\.up\.sql$/, '.down.sql');

const when = (e: JournalEntry | undefined) => (e ? ` (${e.finishedAt ?? e.startedAt} by ${e.appliedBy})` : '');

/** A database ran a migration that `generate --rebase` re-planned under a new id: what happened and the way out. */
const rebasedMessage = (old: string, now: string, parent: string | null, state: string): string =>
  `this database ran ${old} (${state}), which \`generate --rebase\` re-planned as ${now} after a merge` +
  `${parent ? ` (now on top of ${parent})` : ''}; its changes are here under the old id. The way out: ` +
  `\`keikaku resolve ${old} --rolled-back\` (the journal forgets the old id; nothing runs), ` +
  `${parent ? `\`keikaku apply --to ${parent}\`, ` : ''}\`keikaku resolve ${now} --applied\` (the same changes), then \`keikaku apply\``;

/** A database that stopped inside the range `keikaku squash` replaced: it cannot go on from the squashed history. */
const squashedMessage = (old: string, squash: string, state: string): string =>
  `this database ran ${old} (${state}), one of the migrations squashed into ${squash}, but not all of them: it stopped ` +
  `inside the squashed range, so ${squash} can neither run here (it creates what is already there) nor count as applied. ` +
  `The way out: apply the rest of the old migrations with the history from before the squash (its commit), then come back`;

/**
 * Everything that makes the journal and the directory disagree: refusals common to `apply`, `down` and `status`.
 * `userObjects`: relations the database already has (see user-objects.sql), checked only when nothing is applied.
 */
export const consistencyRefusals = (
  history: History,
  entries: readonly JournalEntry[],
  userObjects: readonly string[] = [],
): Refusal[] => {
  const out: Refusal[] = history.problems.map((p) => ({ code: 'HISTORY' as const, message: `${p.code}: ${p.message}` }));
  const known = new Set(history.migrations.map((m) => m.id));
  const states = phaseStates(entries);
  const reported = new Set<string>();
  for (const e of entries) {
    const s = states.get(stateKey(e.migration, e.phase));
    if (known.has(e.migration) || reported.has(e.migration) || s?.state === 'pending') continue;
    reported.add(e.migration);
    const successor = history.migrations.find((m) => m.plan.replaces?.includes(e.migration));
    const squash = squashOf(history, e.migration);
    out.push({
      code: 'UNKNOWN_MIGRATION',
      message: successor
        ? rebasedMessage(e.migration, successor.id, successor.plan.parent, s?.state ?? e.status)
        : squash
          ? squashedMessage(e.migration, squash.id, s?.state ?? e.status)
          : `the database's journal records migration ${e.migration} (${s?.state ?? e.status}${when(s?.last)}), which is not in the migrations directory: it was removed, or this is the wrong database`,
    });
  }
  const phases = historyPhases(history, entries);
  for (const p of phases) {
    const applied = p.state?.applied;
    if (!applied) continue;
    const name = `${p.migration.id}/${p.upFile}`;
    const text = p.migration.files.get(p.upFile);
    if (text === undefined) out.push({ code: 'MISSING_FILE', message: `${name} was applied${when(applied)} but the file is missing` });
    else if (sha256(text) !== applied.checksum)
      out.push({
        code: 'CHECKSUM',
        message: `${name} was edited after it was applied${when(applied)}: its checksum ${sha256(text).slice(0, 12)}… differs from the journal's ${applied.checksum.slice(0, 12)}…; write a new migration instead of editing an applied one`,
      });
  }
  const firstOpen = phases.findIndex((p) => p.state?.state !== 'applied');
  if (firstOpen >= 0) {
    const later = phases.slice(firstOpen + 1).find((p) => p.state?.state === 'applied');
    if (later) {
      const open = phases[firstOpen]!;
      out.push({
        code: 'OUT_OF_ORDER',
        message: `${open.migration.id} (${open.phase}) is ${open.state?.state ?? 'pending'} but ${later.migration.id} (${later.phase}), which comes after it, is applied: the history changed under this database (a migration added before applied ones, e.g. by a merge)`,
      });
    }
  }
  const anyApplied = phases.some((p) => p.state !== undefined);
  if (!anyApplied && !entries.some((e) => e.status !== 'reverted') && userObjects.length > 0 && history.migrations.length > 0)
    out.push({
      code: 'NOT_EMPTY',
      message: `the database has no keikaku journal but already holds ${userObjects.join(', ')}${userObjects.length >= 5 ? ', …' : ''}: it was not built by these migrations (the wrong database?); to adopt an existing database, baseline it with \`keikaku pull\``,
    });
  return out;
};

/** `tenant`: the text run is the file retargeted to its schema; the checksum stays the file's. */
const planned = (p: HistoryPhase, direction: 'up' | 'down', resumeFrom: number, tenant: TenantRun | undefined): PlannedPhase => {
  const file = direction === 'up' ? p.upFile : downFile(p.upFile);
  const text = p.migration.files.get(file) ?? '';
  const sql = tenant ? tenant.sql(p.migration.id, file, text) : text;
  const last = p.state?.last;
  const interrupted = !!last && (last.status === 'failed' || last.status === 'running') && (last.direction === 'down') === (direction === 'down');
  return { migration: p.migration.id, phase: p.phase, direction, file, path: join(p.migration.dir, file), sql, checksum: sha256(text), resumeFrom, interrupted };
};

/**
 * Where the phase `p` stands before this run touches it: steps a stopped attempt in `direction` committed
 * (resumed after), or a refusal when an attempt in the other direction stopped part-way.
 */
const resumePoint = (p: HistoryPhase, direction: 'up' | 'down', checksum: string): number | Refusal => {
  const last = p.state?.last;
  if (!last || (p.state?.state !== 'failed' && p.state?.state !== 'running') || last.stepsDone === 0) return 0;
  const where = `${p.migration.id}/${last.file}`;
  if ((last.direction === 'down') !== (direction === 'down'))
    return {
      code: 'PARTIAL',
      message: `${where} stopped after ${last.stepsDone} of ${last.stepsTotal} steps${when(last)}; finish it first with \`keikaku ${last.direction === 'down' ? 'down' : 'apply'}\``,
    };
  if (last.checksum !== checksum)
    return {
      code: 'PARTIAL',
      message: `${where} stopped after ${last.stepsDone} of ${last.stepsTotal} steps${when(last)} and has been edited since: the steps it committed no longer match the file`,
    };
  return last.stepsDone;
};

/**
 * The phases `apply` (direction up) or `down` will run, or why it refuses. `userObjects` as for
 * `consistencyRefusals`.
 */
export const planRun = (
  request: Pick<RunRequest, 'history' | 'direction' | 'to' | 'phase' | 'steps' | 'tenant'>,
  entries: readonly JournalEntry[],
  userObjects: readonly string[] = [],
): RunPlan => {
  const { history } = request;
  const refusals = consistencyRefusals(history, entries, request.direction === 'up' ? userObjects : []);
  if (request.to !== undefined && !history.migrations.some((m) => m.id === request.to))
    refusals.push({ code: 'UNKNOWN_TARGET', message: `--to ${request.to}: no such migration in the migrations directory` });
  if (refusals.length) return { kind: 'refused', refusals };
  const phases = historyPhases(history, entries);
  const out: PlannedPhase[] = [];
  if (request.direction === 'up') {
    const toIndex = request.to === undefined ? Infinity : history.migrations.findIndex((m) => m.id === request.to);
    const order = new Map(history.migrations.map((m, i) => [m.id, i]));
    for (const p of phases) {
      if (p.state?.state === 'applied') continue;
      if (order.get(p.migration.id)! > toIndex) break;
      if (request.phase && PHASE_NUMBER[p.phase] > PHASE_NUMBER[request.phase]) break;
      const next = planned(p, 'up', 0, request.tenant);
      const resume = resumePoint(p, 'up', next.checksum);
      if (typeof resume !== 'number') return { kind: 'refused', refusals: [resume] };
      out.push({ ...next, resumeFrom: resume });
    }
    return { kind: 'ready', phases: out };
  }
  // down: phases applied, or stopped part-way down, newest first
  const undoable = phases.filter((p) => p.state?.applied || (p.state?.last?.direction === 'down' && p.state.state !== 'pending')).reverse();
  const partialUp = phases.find((p) => p.state?.last?.direction === 'up' && (p.state.state === 'failed' || p.state.state === 'running') && p.state.last.stepsDone > 0);
  if (partialUp)
    return { kind: 'refused', refusals: [resumePoint(partialUp, 'down', '') as Refusal] };
  const migrationsToUndo: string[] = [];
  for (const p of undoable) if (!migrationsToUndo.includes(p.migration.id)) migrationsToUndo.push(p.migration.id);
  let chosen: Set<string>;
  if (request.to !== undefined) {
    const keep = history.migrations.findIndex((m) => m.id === request.to);
    chosen = new Set(history.migrations.slice(keep + 1).map((m) => m.id));
  } else chosen = new Set(migrationsToUndo.slice(0, request.steps ?? 1));
  // `--phase P`: the oldest migration undone keeps P and the phases before it.
  const oldest = history.migrations.find((m) => chosen.has(m.id) && undoable.some((p) => p.migration === m))?.id;
  const kept = (p: HistoryPhase) => request.phase !== undefined && p.migration.id === oldest && PHASE_NUMBER[p.phase] <= PHASE_NUMBER[request.phase];
  const adopted = undoable.filter((p) => chosen.has(p.migration.id) && !kept(p) && p.state?.applied?.direction === 'baseline');
  if (adopted.length) {
    const ids = [...new Set(adopted.map((p) => p.migration.id))];
    return {
      kind: 'refused',
      refusals: [
        {
          code: 'BASELINE',
          message:
            `${ids.join(', ')} ${ids.length === 1 ? 'is the baseline' : 'are baselines'} \`keikaku pull\` recorded for this database: it adopted objects that ` +
            `existed before keikaku, it did not create them, so its down (which drops them with their rows) is never run here. ` +
            `To remove those objects, declare their removal in schema/ and generate a migration (it archives the rows first).`,
        },
      ],
    };
  }
  for (const p of undoable) {
    if (!chosen.has(p.migration.id) || kept(p)) continue;
    const next = planned(p, 'down', 0, request.tenant);
    const resume = resumePoint(p, 'down', next.checksum);
    if (typeof resume !== 'number') return { kind: 'refused', refusals: [resume] };
    out.push({ ...next, resumeFrom: resume });
  }
  return { kind: 'ready', phases: out };
};
