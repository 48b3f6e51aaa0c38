/**
 * The journal (DESIGN §7): table `keikaku.journal`, one row per attempt to run one phase file of one migration in
 * one direction. A phase's state is what its latest row says; earlier rows are the history (who tried, what
 * failed). Writers (`apply`, `down`, baselining) hold the advisory lock of `lock.ts`; readers need nothing.
 *
 * Works on any `Db` (server or PGlite). Schema `keikaku` is skipped by introspection, so none of this is ever
 * part of a diff.
 */
import { readFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import type { Db } from '../db/types.js';
import { sha256 } from '../emit/checksum.js';
import { PHASE_NUMBER, type PlanJson } from '../emit/migration.js';
import type { PhaseName } from '../model/plan.js';
import type { RestorePoint } from './restore-point.js';

export type JournalDirection = 'up' | 'down' | 'baseline';

/**
 * `running`: started, not finished (in progress, or its process died: see `lockHolder` in lock.ts);
 * `applied`: an up (or baseline) finished; `reverted`: a down finished; `failed`: stopped by an error, with
 * `stepsDone` of `stepsTotal` steps committed.
 */
export type JournalStatus = 'running' | 'applied' | 'reverted' | 'failed';

export interface JournalEntry {
  readonly seq: number;
  readonly migration: string;
  readonly phase: PhaseName;
  readonly direction: JournalDirection;
  /** The phase file run, e.g. `1_expand.up.sql`. */
  readonly file: string;
  /** sha256 of that file's content, as in `migrations.sum`. */
  readonly checksum: string;
  readonly status: JournalStatus;
  /** Steps (a transaction block, or one statement run alone) committed by this attempt and those it resumed. */
  readonly stepsDone: number;
  readonly stepsTotal: number;
  /** ISO 8601, UTC. */
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  /** `current_user` on the database, then the OS user, host and process: `app (deploy@web-1 pid 4242)`. */
  readonly appliedBy: string;
  readonly error: string | null;
  /** How to get back to just before this attempt (restore-point.ts); null for baselines and older journals' rows. */
  readonly restorePoint: RestorePoint | null;
}

/** What a migration needs to be recorded: its id and phase files (a `Migration` of src/load fits). */
export interface JournalMigration {
  readonly id: string;
  readonly plan: Pick<PlanJson, 'phases'>;
  readonly files: ReadonlyMap<string, string>;
}

const sqlTexts = new Map<string, Promise<string>>();
/** The `.sql` files beside this module, read through `src/` so that `dist/apply/` finds them too. */
export const applySql = (name: 'journal-create' | 'journal-read' | 'journal-exists' | 'blockers' | 'lock-holder' | 'index-state' | 'enum-label' | 'user-objects' | 'column-state' | 'restore-columns' | 'archive-present'): Promise<string> => {
  let text = sqlTexts.get(name);
  if (!text) {
    text = readFile(new URL(`../../src/apply/sql/${name}.sql`, import.meta.url), 'utf8');
    sqlTexts.set(name, text);
  }
  return text;
};

/** Who is running this: the OS user, host and process (the database adds `current_user`). */
export const localIdentity = (): string => {
  let user = '';
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? '';
  }
  return `${user || 'unknown'}@${hostname()} pid ${process.pid}`;
};

/** Creates schema `keikaku` and its journal when absent. Call it holding the advisory lock. */
export const ensureJournal = async (db: Db): Promise<void> => {
  await db.exec(await applySql('journal-create'));
};

export const journalExists = async (db: Db): Promise<boolean> =>
  (await db.query<{ exists: boolean }>(await applySql('journal-exists')))[0]?.exists === true;

interface JournalRow {
  seq: string;
  migration: string;
  phase: PhaseName;
  direction: JournalDirection;
  file: string;
  checksum: string;
  status: JournalStatus;
  steps_done: number;
  steps_total: number;
  started_at: string;
  finished_at: string | null;
  duration_ms: string | null;
  applied_by: string;
  error: string | null;
  restore_lsn: string | null;
  restore_at: string | null;
  restore_point: string | null;
  restore_notes: string[] | null;
}

const decode = (r: JournalRow): JournalEntry => ({
  seq: Number(r.seq),
  migration: r.migration,
  phase: r.phase,
  direction: r.direction,
  file: r.file,
  checksum: r.checksum,
  status: r.status,
  stepsDone: Number(r.steps_done),
  stepsTotal: Number(r.steps_total),
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
  appliedBy: r.applied_by,
  error: r.error,
  restorePoint: r.restore_at === null ? null : { lsn: r.restore_lsn, at: r.restore_at, name: r.restore_point, notes: r.restore_notes ?? [] },
});

/**
 * A journal's scope: `''` the database's own (every command), else the name of the tenant schema whose journal it
 * is (`apply --schemas`, docs/fleets.md). Rows of one scope never decide anything of another.
 */
export type JournalScope = string;

/** Every attempt of `scope`, oldest first; `[]` when the journal does not exist (nothing is created). */
export const readJournal = async (db: Db, scope: JournalScope = ''): Promise<JournalEntry[]> => {
  if (!(await journalExists(db))) return [];
  return (await db.query<JournalRow>(await applySql('journal-read'), [scope])).map(decode);
};

export interface AttemptStart {
  readonly migration: string;
  readonly phase: PhaseName;
  readonly direction: JournalDirection;
  readonly file: string;
  readonly checksum: string;
  /** Steps already committed by an earlier attempt this one resumes. */
  readonly stepsDone: number;
  readonly stepsTotal: number;
  /** `localIdentity()`; the database's `current_user` is put in front. */
  readonly by: string;
  /** Where the database stood just before the attempt, recorded by `captureRestorePoint`. */
  readonly restorePoint?: RestorePoint | undefined;
  /** Whose journal (see `JournalScope`); default the database's. */
  readonly scope?: JournalScope | undefined;
}

const INSERT = `INSERT INTO keikaku.journal
  (migration, phase, direction, file, checksum, status, steps_done, steps_total, applied_by, finished_at, duration_ms,
   restore_lsn, restore_at, restore_point, restore_notes, scope)
VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::int, $8::int, current_user || ' (' || $9::text || ')',
        CASE WHEN $6::text = 'running' THEN NULL ELSE clock_timestamp() END, CASE WHEN $6::text = 'running' THEN NULL ELSE 0 END,
        $10::text, $11::timestamptz, $12::text, $13::text[], $14::text)
RETURNING seq::text AS seq`;

/**
 * Runs a journal-only write in a transaction committed without waiting for the WAL flush
 * (`synchronous_commit = off`): a run pays one flush per step, as psql does, instead of three per phase. Nothing
 * is lost that matters: WAL is written in order, so the next step's (synchronous) commit makes the start record
 * durable too; a finish record lost to a server crash leaves the attempt `running` with all its steps counted,
 * and the next run closes it without running anything again.
 */
const lightly = async <T>(db: Db, write: () => Promise<T>): Promise<T> => {
  await db.exec('BEGIN; SET LOCAL synchronous_commit = off');
  try {
    const result = await write();
    await db.exec('COMMIT');
    return result;
  } catch (error) {
    await db.exec('ROLLBACK').catch(() => undefined);
    throw error;
  }
};

/** Records the start of an attempt (status `running`) and returns its `seq`. */
export const startAttempt = (db: Db, a: AttemptStart): Promise<number> =>
  lightly(db, async () => {
    const [row] = await db.query<{ seq: string }>(INSERT, [
      a.migration, a.phase, a.direction, a.file, a.checksum, 'running', a.stepsDone, a.stepsTotal, a.by,
      a.restorePoint?.lsn ?? null, a.restorePoint?.at ?? null, a.restorePoint?.name ?? null, a.restorePoint?.notes ?? null, a.scope ?? '',
    ]);
    return Number(row!.seq);
  });

/** `recordProgress` as SQL text, to send with the step's COMMIT in one round trip. */
export const progressSql = (seq: number, stepsDone: number): string => {
  if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(stepsDone)) throw new Error(`bad journal numbers ${seq}, ${stepsDone}`);
  return `UPDATE keikaku.journal SET steps_done = ${stepsDone} WHERE seq = ${seq}`;
};

/**
 * Records that `stepsDone` steps are committed. Run it inside the transaction of the step it counts, so the
 * step and its record commit together: a crash leaves the journal true either way.
 */
export const recordProgress = async (db: Db, seq: number, stepsDone: number): Promise<void> => {
  await db.query('UPDATE keikaku.journal SET steps_done = $2::int WHERE seq = $1::bigint', [seq, stepsDone]);
};

/** Closes an attempt: `applied` / `reverted` on success, `failed` with the error text. */
export const finishAttempt = (
  db: Db,
  seq: number,
  status: Exclude<JournalStatus, 'running'>,
  error: string | null = null,
): Promise<void> =>
  lightly(db, async () => {
    await db.query(
      `UPDATE keikaku.journal
          SET status = $2::text, error = $3::text, finished_at = clock_timestamp(),
              duration_ms = (extract(epoch FROM clock_timestamp() - started_at) * 1000)::bigint
        WHERE seq = $1::bigint`,
      [seq, status, error],
    );
  });

/**
 * Closes attempts left `running` by a process that died (killed, connection lost). Call it holding the advisory
 * lock: then no live keikaku is running any of them.
 */
export const closeInterrupted = async (db: Db, scope: JournalScope = ''): Promise<number> => {
  // Only this scope's: the lock held is this scope's, so another tenant's run may be alive.
  const rows = await db.query(
    `UPDATE keikaku.journal
        SET status = 'failed', finished_at = clock_timestamp(),
            error = coalesce(error, 'interrupted: the process stopped (killed or disconnected) before the phase finished')
      WHERE status = 'running' AND coalesce(to_jsonb(journal) ->> 'scope', '') = $1::text
  RETURNING seq`,
    [scope],
  );
  return rows.length;
};

/** The phase files of a migration, in phase order: `[phase, up file]`. */
export const phaseFiles = (m: JournalMigration): [PhaseName, string][] =>
  [...m.plan.phases]
    .map((p) => p.name)
    .sort((a, b) => PHASE_NUMBER[a] - PHASE_NUMBER[b])
    .map((p): [PhaseName, string] => [p, `${PHASE_NUMBER[p]}_${p}.up.sql`])
    .filter(([, f]) => m.files.has(f));

/**
 * Baselining (`pull`): records `phases` of `migration` as applied without running them, because the database
 * already has what they create. Each gets a `baseline` row with the checksum of its up file, so later runs check
 * the files as for applied ones. Phases already applied are left alone. Call it holding the advisory lock
 * (`withApplyLock`), or where nothing else writes.
 */
export const markApplied = async (
  db: Db,
  migration: JournalMigration,
  phases: readonly PhaseName[],
  by: string = localIdentity(),
): Promise<void> => {
  await ensureJournal(db);
  const states = phaseStates(await readJournal(db));
  for (const [phase, file] of phaseFiles(migration)) {
    if (!phases.includes(phase)) continue;
    if (states.get(stateKey(migration.id, phase))?.state === 'applied') continue;
    await db.query(INSERT, [migration.id, phase, 'baseline', file, sha256(migration.files.get(file)!), 'applied', 0, 0, by, null, null, null, null, '']);
  }
};

/**
 * Records what a person did by hand (`keikaku resolve`): a finished `up` row (`applied`) or `down` row
 * (`reverted`) that ran nothing, so the phase's state follows. `by` says it was resolved. Call it holding the
 * advisory lock.
 */
export const recordByHand = async (
  db: Db,
  row: { readonly migration: string; readonly phase: PhaseName; readonly direction: 'up' | 'down'; readonly file: string; readonly checksum: string; readonly by: string },
): Promise<void> => {
  await ensureJournal(db);
  const status = row.direction === 'up' ? 'applied' : 'reverted';
  // Nothing ran: no restore point is recorded for it.
  await db.query(INSERT, [row.migration, row.phase, row.direction, row.file, row.checksum, status, 0, 0, row.by, null, null, null, null, '']);
};

/** Where a phase stands, from its latest journal row. */
export type PhaseStateName = 'applied' | 'pending' | 'running' | 'failed';

export interface PhaseState {
  readonly state: PhaseStateName;
  /** The latest row; absent when the phase never ran. */
  readonly last?: JournalEntry;
  /** The row that applied it (up or baseline), while it stays applied. */
  readonly applied?: JournalEntry;
  /**
   * The first attempt of the run `last` belongs to: itself, unless it resumed attempts of the same direction
   * that failed or were cut off. Its restore point is the one from before the phase's first step.
   */
  readonly lastFrom?: JournalEntry;
  /** The same for `applied`. */
  readonly appliedFrom?: JournalEntry;
}

export const stateKey = (migration: string, phase: PhaseName): string => `${migration}\u0000${phase}`;

/**
 * The state of every (migration, phase) the journal mentions: the latest row decides. An up or baseline that
 * finished → `applied`; a finished down → `pending` again; unfinished → `running`; stopped by an error →
 * `failed` (its direction and `stepsDone` say how far it got).
 */
export const phaseStates = (entries: readonly JournalEntry[]): Map<string, PhaseState> => {
  const out = new Map<string, PhaseState>();
  for (const e of entries) {
    const key = stateKey(e.migration, e.phase);
    const before = out.get(key);
    const resumes = before?.last && before.last.direction === e.direction && (before.last.status === 'failed' || before.last.status === 'running');
    const from = resumes ? (before.lastFrom ?? before.last!) : e;
    switch (e.status) {
      case 'applied':
        out.set(key, { state: 'applied', last: e, applied: e, lastFrom: from, appliedFrom: from });
        break;
      case 'reverted':
        out.set(key, { state: 'pending', last: e, lastFrom: from });
        break;
      case 'running':
      case 'failed': {
        if (e.direction === 'down' && before?.applied) {
          // A down that committed nothing left the phase applied; part-way, it is neither applied nor pending.
          out.set(key, {
            state: e.stepsDone === 0 ? 'applied' : e.status,
            last: e,
            applied: before.applied,
            lastFrom: from,
            ...(before.appliedFrom ? { appliedFrom: before.appliedFrom } : {}),
          });
        } else out.set(key, { state: e.status, last: e, lastFrom: from });
        break;
      }
    }
  }
  return out;
};

/** Rows a batched backfill committed under one attempt (`keikaku.backfill_progress`, see render/backfill.ts). */
export interface BackfillRecord {
  readonly seq: number;
  /** `schema.table`. */
  readonly table: string;
  /** The backfill's SET list (which column it fills). */
  readonly target: string;
  readonly done: number;
  readonly total: number;
}

/** Every record, oldest attempt first; `[]` where none was ever written (a journal older than the table). */
export const readBackfillProgress = async (db: Db): Promise<BackfillRecord[]> => {
  const [exists] = await db.query<{ present: boolean }>(`SELECT to_regclass('keikaku.backfill_progress') IS NOT NULL AS present`);
  if (!exists?.present) return [];
  const rows = await db.query<{ seq: string; table_name: string; target: string; done: string; total: string }>(
    'SELECT seq::text AS seq, table_name, target, done::text AS done, total::text AS total FROM keikaku.backfill_progress ORDER BY seq, table_name, target',
  );
  return rows.map((r) => ({ seq: Number(r.seq), table: r.table_name, target: r.target, done: Number(r.done), total: Number(r.total) }));
};
