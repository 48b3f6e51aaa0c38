/**
 * `keikaku resolve MIGRATION --applied | --rolled-back`: records in the journal what a person did by hand, as
 * `prisma migrate resolve` and `alembic stamp` do. `--applied`: the phases ran by hand (or a failed one was
 * finished by hand); `--rolled-back`: they were undone by hand (or a failed attempt was cleaned up), so `apply`
 * runs them again. Nothing but the journal is touched; rows say who resolved them.
 *
 * The journal stays a line: a phase is recorded applied only when every phase before it is applied (or resolved
 * with it), rolled back only when every phase after it is pending (or resolved with it).
 */
import { sha256 } from '../emit/checksum.js';
import type { History } from '../load/migrations.js';
import type { PhaseName } from '../model/plan.js';
import type { Db } from '../db/types.js';
import { squashedJournal } from '../apply/squashed.js';
import { closeInterrupted, journalExists, phaseStates, readJournal, recordByHand, stateKey, type JournalEntry } from '../apply/journal.js';
import { PHASE_NUMBER } from '../emit/migration.js';
import { withApplyLock, type LockHolder } from '../apply/lock.js';
import { historyPhases, type HistoryPhase } from '../apply/plan-run.js';

export type ResolveAs = 'applied' | 'rolled-back';

export interface ResolveRequest {
  readonly history: History;
  readonly migration: string;
  readonly as: ResolveAs;
  /** Only this phase of the migration (default: all its phases). */
  readonly phase?: PhaseName | undefined;
  /** `localIdentity()`. */
  readonly by: string;
  readonly onWait?: (holder: LockHolder | undefined) => void;
}

export interface ResolveRefusal {
  readonly code: 'HISTORY' | 'NO_SUCH_PHASE' | 'OUT_OF_ORDER';
  readonly message: string;
}

export interface ResolvedPhase {
  readonly phase: PhaseName;
  readonly file: string;
  /** The state before: applied, pending, failed, running. */
  readonly was: string;
}

export type ResolveResult =
  | { readonly kind: 'refused'; readonly refusals: readonly ResolveRefusal[] }
  | { readonly kind: 'done'; readonly recorded: readonly ResolvedPhase[]; readonly unchanged: readonly ResolvedPhase[] };

const stateOf = (p: HistoryPhase) => p.state?.state ?? 'pending';
const label = (p: HistoryPhase) => `${p.migration.id} (${p.phase})`;

/**
 * `--rolled-back` of a migration the directory no longer has (one `generate --rebase` re-planned under a new id):
 * the journal forgets it, phase by phase, newest first.
 */
const forget = async (db: Db, r: ResolveRequest, entries: readonly JournalEntry[]): Promise<ResolveResult> => {
  const states = phaseStates(entries);
  const phases = (Object.keys(PHASE_NUMBER) as PhaseName[])
    .filter((p) => r.phase === undefined || p === r.phase)
    .map((phase) => ({ phase, state: states.get(stateKey(r.migration, phase))?.state ?? 'pending' }));
  const todo = phases.filter((p) => p.state !== 'pending');
  if (r.as === 'applied' || todo.length === 0)
    return { kind: 'refused', refusals: [{ code: 'NO_SUCH_PHASE', message: `${r.migration} is not in the migrations directory${r.as === 'applied' ? '' : ', and the journal has nothing of it to roll back'}` }] };
  for (const p of [...todo].reverse())
    await recordByHand(db, { migration: r.migration, phase: p.phase, direction: 'down', file: `${PHASE_NUMBER[p.phase]}_${p.phase}.down.sql`, checksum: '', by: `${r.by}; keikaku resolve --rolled-back` });
  return { kind: 'done', recorded: todo.map((p) => ({ phase: p.phase, file: `${PHASE_NUMBER[p.phase]}_${p.phase}.up.sql`, was: p.state })), unchanged: [] };
};

export const resolveMigration = (db: Db, r: ResolveRequest): Promise<ResolveResult> =>
  withApplyLock(db, r.onWait ?? (() => undefined), async () => {
    if (r.history.problems.length)
      return { kind: 'refused', refusals: r.history.problems.map((p) => ({ code: 'HISTORY' as const, message: `${p.code}: ${p.message}` })) };
    // Holding the lock, a `running` row is an attempt whose process died: closed as failed first, as apply does.
    if (await journalExists(db)) await closeInterrupted(db);
    const entries = squashedJournal(r.history, await readJournal(db));
    if (!r.history.migrations.some((m) => m.id === r.migration)) return forget(db, r, entries);
    const phases = historyPhases(r.history, entries);
    const chosen = phases.filter((p) => p.migration.id === r.migration && (r.phase === undefined || p.phase === r.phase));
    if (chosen.length === 0)
      return { kind: 'refused', refusals: [{ code: 'NO_SUCH_PHASE', message: `${r.migration} has no ${r.phase ?? ''} phase file` }] };
    const target = r.as === 'applied' ? 'applied' : 'pending';
    const todo = chosen.filter((p) => stateOf(p) !== target);
    const first = phases.indexOf(chosen[0]!);
    const last = phases.indexOf(chosen.at(-1)!);
    const blocking =
      r.as === 'applied'
        ? phases.slice(0, first).filter((p) => stateOf(p) !== 'applied')
        : phases.slice(last + 1).filter((p) => stateOf(p) !== 'pending');
    if (todo.length && blocking.length)
      return {
        kind: 'refused',
        refusals: blocking.map((p) => ({
          code: 'OUT_OF_ORDER' as const,
          message:
            r.as === 'applied'
              ? `${label(p)} comes first and is ${stateOf(p)}: apply or resolve it before recording ${r.migration} as applied`
              : `${label(p)} comes after and is ${stateOf(p)}: undo or resolve it before recording ${r.migration} as rolled back`,
        })),
      };
    const by = `${r.by}; keikaku resolve --${r.as}`;
    // Rolled back newest phase first, as down would have run them.
    for (const p of r.as === 'applied' ? todo : [...todo].reverse()) {
      const file = r.as === 'applied' ? p.upFile : p.upFile.replace(/\.up\.sql$/, '.down.sql');
      const text = p.migration.files.get(file);
      await recordByHand(db, { migration: p.migration.id, phase: p.phase, direction: r.as === 'applied' ? 'up' : 'down', file, checksum: text === undefined ? '' : sha256(text), by });
    }
    const shown = (p: HistoryPhase): ResolvedPhase => ({ phase: p.phase, file: p.upFile, was: stateOf(p) });
    return { kind: 'done', recorded: todo.map(shown), unchanged: chosen.filter((p) => !todo.includes(p)).map(shown) };
  });
