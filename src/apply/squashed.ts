/**
 * The journal as a squashed history reads it (pure). `keikaku squash` replaces the migrations up to one with a
 * baseline whose plan.json lists them (`squashes`); databases migrated before the squash still carry the old ids.
 * A database whose journal shows every phase of every replaced migration applied has applied the baseline: its
 * rows for the old ids are read as one applied row per phase of the baseline (at the place of the last of them, so
 * anything the baseline itself recorded later still decides). A database that stopped inside the replaced range
 * keeps its rows as they are: `consistencyRefusals` names the squash and the way out.
 */
import { sha256 } from '../emit/checksum.js';
import type { History } from '../load/migrations.js';
import { phaseFiles, phaseStates, stateKey, type JournalEntry } from './journal.js';

export const squashedJournal = (history: Pick<History, 'migrations'>, entries: readonly JournalEntry[]): JournalEntry[] => {
  let out = [...entries];
  for (const b of history.migrations) {
    const squashed = b.plan.squashes;
    if (!squashed?.length) continue;
    const ids = new Set(squashed.map((s) => s.id));
    const old = out.filter((e) => ids.has(e.migration));
    if (old.length === 0) continue;
    const rest = out.filter((e) => !ids.has(e.migration));
    const states = phaseStates(old);
    const complete = squashed.every((s) => s.phases.every((p) => states.get(stateKey(s.id, p))?.state === 'applied'));
    if (!complete) continue;
    const last = old.reduce((a, e) => (e.seq > a.seq ? e : a));
    const as = phaseFiles(b).map(([phase, file]): JournalEntry => ({
      ...last,
      migration: b.id,
      phase,
      direction: 'up',
      file,
      checksum: sha256(b.files.get(file) ?? ''),
      status: 'applied',
      stepsDone: 0,
      stepsTotal: 0,
      error: null,
      restorePoint: null,
      appliedBy: `${last.appliedBy}, as the ${squashed.length} migrations squashed into ${b.id}`,
    }));
    out = [...rest, ...as].sort((x, y) => x.seq - y.seq);
  }
  return out;
};

/** The squash that replaced `id`, when one did. */
export const squashOf = (history: Pick<History, 'migrations'>, id: string) => history.migrations.find((m) => m.plan.squashes?.some((s) => s.id === id));
