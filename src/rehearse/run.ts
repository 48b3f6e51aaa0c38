/**
 * The rehearsal proper, on the copy: the pending migrations up, phase by phase, by the same runner as `apply`
 * (src/apply), measured step by step while the workload runs; then every down and the up again, with the data of
 * the touched tables compared each way. Nothing here knows how the copy was made.
 */
import { localIdentity } from '../apply/journal.js';
import { runMigrations } from '../apply/index.js';
import { readPhaseScript, stepLabel } from '../apply/script.js';
import type { PlannedPhase, RunResult, StepObserver, Timeouts } from '../apply/types.js';
import { connectPg } from '../db/pg.js';
import type { Db } from '../db/types.js';
import type { History } from '../load/migrations.js';
import type { PhaseName } from '../model/plan.js';
import { qname } from '../render/quote.js';
import { differingColumns, readRelfilenodes, readShapes, rowsDigest, type RowsDigest, type TableShape } from './catalog.js';
import { emptyFigures, startClient, type ClientTable, type WorkloadFigures } from './workload.js';

export interface MeasuredStep {
  readonly migration: string;
  readonly phase: PhaseName;
  /** 1-based, as `apply` numbers steps. */
  readonly step: number;
  readonly description: string;
  readonly durationMs: number;
  readonly maxLockWaitMs: number;
  readonly failedStatements: number;
  readonly workloadStatements: number;
  readonly workloadErrors: readonly string[];
  readonly rowsPerSecond: number | null;
  readonly rewrote: boolean;
  readonly rewroteTables: readonly string[];
  readonly walBytes: number | null;
  /** Tables the step's SQL names. */
  readonly tables: readonly string[];
  /** The steps of the migration's plan.json (0-based, in this phase) whose SQL this phase-file step runs. */
  readonly planSteps: readonly number[];
  /** The step failed for good (the run stopped there). */
  readonly failed: boolean;
  /** Its time in the round trip's second up (no workload), when that ran: a second measure against noise. */
  readonly againMs: number | null;
}

export interface TableRoundTrip {
  readonly table: string;
  readonly rowsBefore: number;
  readonly rowsAfterDown: number;
  readonly rowsAfterUp: number;
  /**
   * After the down, the rows (over the columns before the migrations) are the rows before them; when the
   * workload updated the table (its triggers may change rows, e.g. an `updated_at`), the row count only.
   */
  readonly downRestored: boolean;
  /** Whether `downRestored` compared the rows' hash (false: the workload wrote the table, counts compared). */
  readonly downHashCompared: boolean;
  /** Columns whose values differ after the down (from before) or after the up again (from the first up). */
  readonly differ: readonly string[];
  /** After the up again, the rows (over the columns after it) are those after the first up. */
  readonly upReapplied: boolean;
}

export interface RoundTrip {
  readonly downMs: number;
  readonly upMs: number;
  readonly ok: boolean;
  readonly tables: readonly TableRoundTrip[];
  /** Why it stopped, when a down or the second up failed or was refused. */
  readonly failure?: string;
}

export interface MeasuredRun {
  readonly steps: readonly MeasuredStep[];
  /** The first up's failure, when a step failed. */
  readonly failure?: string;
  readonly roundTrip: RoundTrip | null;
  /** Tables the migrations touch, with their rows on the copy before they ran. */
  readonly touched: ReadonlyMap<string, number>;
}

export interface RunInput {
  readonly copyUrl: string;
  readonly history: History;
  readonly timeouts: Timeouts;
  /** The pending phases (up), as the preview planned them. */
  readonly phases: readonly PlannedPhase[];
  /**
   * Tables after each pending migration, by migration id (from a second, emptied copy): the new-shaped client's
   * columns. A migration missing here: the columns as they are when its phase starts, `_kk_` ones left out.
   */
  readonly after?: ReadonlyMap<string, ReadonlyMap<string, TableShape>> | undefined;
  readonly onProgress?: ((text: string) => void) | undefined;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether SQL text works on a table: its qualified name, quoted as keikaku writes it or bare, or (for `public`) its
 * bare name after a word that names a table (`ALTER TABLE child`, `UPDATE child`, `REFERENCES child`, …).
 */
export const names = (sql: string, t: Pick<TableShape, 'schema' | 'name'>): boolean => {
  if (sql.includes(qname(t.schema, t.name))) return true;
  if (new RegExp(`(?<![\\w$".])${escapeRegExp(`${t.schema}.${t.name}`)}(?![\\w$])`).test(sql)) return true;
  if (t.schema !== 'public') return false;
  const name = `(?:"${escapeRegExp(t.name.replace(/"/g, '""'))}"|${escapeRegExp(t.name)}(?![\\w$]))`;
  return new RegExp(`\\b(?:TABLE|UPDATE|FROM|INTO|JOIN|REFERENCES|ON)\\s+(?:ONLY\\s+)?(?:IF\\s+EXISTS\\s+)?${name}`, 'i').test(sql);
};

const RANK: Record<PhaseName, number> = { expand: 0, backfill: 1, contract: 2 };

/**
 * Phases in which a client of each shape runs (DESIGN §6): the old until contract, and not from the phase on that
 * has a BREAKS_OLD_CLIENTS step (that phase promises nothing to it, nor do those after it); the new from backfill on.
 */
export const clientsOf = (phase: Pick<PlannedPhase, 'migration' | 'phase'>, history: History): { old: boolean; new: boolean } => {
  const plan = history.migrations.find((m) => m.id === phase.migration)?.plan;
  const broken = (plan?.phases ?? []).some((p) => RANK[p.name] <= RANK[phase.phase] && p.steps.some((s) => s.hazards.some((h) => h.code === 'BREAKS_OLD_CLIENTS')));
  return { old: phase.phase !== 'contract' && !broken, new: phase.phase !== 'expand' };
};

/** The plan.json steps of the phase whose first statement is in `text` (a phase-file step may run several). */
const planStepsIn = (history: History, phase: PlannedPhase, text: string): number[] => {
  const steps = history.migrations.find((m) => m.id === phase.migration)?.plan.phases.find((p) => p.name === phase.phase)?.steps ?? [];
  const squash = (s: string) => s.replace(/\s+/g, ' ').replace(/;\s*$/, '').trim();
  const body = squash(text);
  return steps.flatMap((s, i) => (s.sql[0] !== undefined && body.includes(squash(s.sql[0])) ? [i] : []));
};

const walPosition = async (db: Db): Promise<string | null> => {
  try {
    return (await db.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'))[0]?.lsn ?? null;
  } catch {
    return null;
  }
};

const walDiff = async (db: Db, from: string | null, to: string | null): Promise<number | null> => {
  if (from === null || to === null) return null;
  try {
    return Number((await db.query<{ n: string }>('SELECT pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn)::text AS n', [to, from]))[0]!.n);
  } catch {
    return null;
  }
};

const backfilled = async (db: Db): Promise<number> => {
  try {
    return Number((await db.query<{ n: string }>(`SELECT coalesce(sum(done), 0)::text AS n FROM keikaku.backfill_progress`))[0]!.n);
  } catch {
    return 0;
  }
};

const digests = async (db: Db, tables: readonly TableShape[], columnsOf: (t: TableShape) => readonly string[]) => {
  const out = new Map<string, RowsDigest>();
  for (const t of tables) out.set(t.key, await rowsDigest(db, t, columnsOf(t)));
  return out;
};

const describeResult = (r: RunResult): string | undefined =>
  r.outcome === 'failed'
    ? `${r.failure.migration} ${r.failure.phase} step ${r.failure.step}: ${r.failure.message}`
    : r.outcome === 'refused'
      ? r.refusals.map((x) => x.message).join('; ')
      : undefined;

export const rehearseRun = async (input: RunInput): Promise<MeasuredRun> => {
  const connect = () => connectPg(input.copyUrl);
  const [main, monitor, oldDb, newDb] = await Promise.all([connect(), connect(), connect(), connect()]);
  const say = input.onProgress ?? (() => undefined);
  try {
    const before = await readShapes(monitor);
    const allSql = input.phases.map((p) => p.sql).join('\n');
    const touched = [...before.values()].filter((t) => names(allSql, t));
    const rowsBefore = await digests(monitor, touched, (t) => t.columns);

    let current: WorkloadFigures = emptyFigures();
    const wrote = new Set<string>();
    const oldClient = startClient(oldDb, () => current, wrote);
    const newClient = startClient(newDb, () => current, wrote);
    const sqlOf = (migration: string) => input.phases.filter((p) => p.migration === migration).map((p) => p.sql).join('\n');
    let startShape = before;
    const steps: MeasuredStep[] = [];
    let lastPhase = '';
    let mark: { t0: number; nodes: Map<string, number>; lsn: string | null; rows: number; tables: string[]; description: string; planSteps: number[] } | undefined;

    /** A client's tables: those the migration names, with their columns in `shape`, `_kk_` ones left out. */
    const shaped = (migration: string, shape: ReadonlyMap<string, TableShape>): ClientTable[] => {
      const sql = sqlOf(migration);
      return [...shape.values()]
        .filter((t) => names(sql, t))
        .map((t) => ({ table: t, columns: t.columns.filter((c) => !c.startsWith('_kk_')) }));
    };
    let lastMigration = '';

    const observeStep: StepObserver = {
      async before(phase, index) {
        const key = `${phase.migration}/${phase.phase}`;
        if (key !== lastPhase) {
          lastPhase = key;
          // The old shape of a migration is the database as its first phase finds it (after the migrations before it).
          if (phase.migration !== lastMigration) {
            lastMigration = phase.migration;
            startShape = await readShapes(monitor);
          }
          const who = clientsOf(phase, input.history);
          oldClient.use(who.old ? shaped(phase.migration, startShape) : []);
          newClient.use(who.new ? shaped(phase.migration, input.after?.get(phase.migration) ?? (await readShapes(monitor))) : []);
          say(`${phase.migration} ${phase.phase}: old-shaped client ${who.old ? 'on' : 'off'}, new-shaped client ${who.new ? 'on' : 'off'}`);
        }
        const script = await readPhaseScript(phase.sql, phase.path);
        const item = script.steps[index]!;
        const text = item.kind === 'alone' ? item.statement.text : item.statements.map((s) => s.text).join('\n');
        mark = {
          t0: performance.now(),
          nodes: await readRelfilenodes(monitor),
          lsn: await walPosition(monitor),
          rows: await backfilled(monitor),
          tables: touched.filter((t) => names(text, t)).map((t) => t.key),
          description: stepLabel(item),
          planSteps: planStepsIn(input.history, phase, text),
        };
        current = emptyFigures();
      },
      async after(phase, index, failed) {
        const m = mark!;
        const durationMs = Math.round(performance.now() - m.t0);
        const figures = current;
        current = emptyFigures();
        const nodes = await readRelfilenodes(monitor);
        const rewroteTables = [...m.nodes].filter(([k, n]) => nodes.has(k) && nodes.get(k) !== n).map(([k]) => k);
        const rows = (await backfilled(monitor)) - m.rows;
        steps.push({
          migration: phase.migration,
          phase: phase.phase,
          step: index + 1,
          description: m.description,
          durationMs,
          maxLockWaitMs: Math.round(figures.maxMs),
          failedStatements: figures.failed,
          workloadStatements: figures.statements,
          workloadErrors: figures.errors,
          rowsPerSecond: rows > 0 ? Math.round((rows * 1000) / Math.max(1, durationMs)) : null,
          rewrote: rewroteTables.length > 0,
          rewroteTables,
          walBytes: await walDiff(monitor, m.lsn, await walPosition(monitor)),
          tables: m.tables,
          planSteps: m.planSteps,
          failed,
          againMs: null,
        });
        say(`  step ${index + 1} of ${phase.file}: ${durationMs} ms`);
      },
    };

    const request = { history: input.history, timeouts: input.timeouts, by: `${localIdentity()} (keikaku rehearse)`, connect };
    let up: RunResult;
    try {
      up = await runMigrations(main, { ...request, direction: 'up', observeStep });
    } finally {
      oldClient.use([]);
      newClient.use([]);
      await Promise.all([oldClient.stop(), newClient.stop()]);
    }
    const touchedRows = new Map([...rowsBefore].map(([k, v]) => [k, v.rows]));
    const failure = describeResult(up);
    if (failure) return { steps, failure, roundTrip: null, touched: touchedRows };

    // The round trip: every pending migration down, then up again, without the workload.
    const afterUp = await readShapes(monitor);
    const afterColumns = (t: TableShape) => afterUp.get(t.key)?.columns ?? [];
    const rowsUp = await digests(monitor, touched.filter((t) => afterUp.has(t.key)), afterColumns);
    const migrations = new Set(input.phases.map((p) => p.migration)).size;
    say(`round trip: ${migrations} migration(s) down, then up again`);
    const t0 = performance.now();
    const down = await runMigrations(main, { ...request, direction: 'down', steps: migrations, allowDataLoss: true });
    const downMs = Math.round(performance.now() - t0);
    const downFailure = describeResult(down);
    if (downFailure) return { steps, roundTrip: { downMs, upMs: 0, ok: false, tables: [], failure: `down: ${downFailure}` }, touched: touchedRows };
    const rowsDown = await digests(monitor, touched, (t) => t.columns);
    const t1 = performance.now();
    const timed = new Map<string, number>();
    let started = 0;
    const again = await runMigrations(main, {
      ...request,
      direction: 'up',
      observeStep: {
        before: async () => {
          started = performance.now();
        },
        after: async (phase, index) => {
          timed.set(`${phase.migration}/${phase.phase}/${index + 1}`, Math.round(performance.now() - started));
        },
      },
    });
    for (const [i, s] of steps.entries()) steps[i] = { ...s, againMs: timed.get(`${s.migration}/${s.phase}/${s.step}`) ?? null };
    const upMs = Math.round(performance.now() - t1);
    const againFailure = describeResult(again);
    const rowsAgain = againFailure ? new Map<string, RowsDigest>() : await digests(monitor, touched.filter((t) => afterUp.has(t.key)), afterColumns);
    const tables = touched.map((t): TableRoundTrip => {
      const b = rowsBefore.get(t.key)!;
      const d = rowsDown.get(t.key);
      const u = rowsUp.get(t.key);
      const a = rowsAgain.get(t.key);
      const hashed = !wrote.has(t.key);
      return {
        table: t.key,
        rowsBefore: b.rows,
        rowsAfterDown: d?.rows ?? 0,
        rowsAfterUp: a?.rows ?? 0,
        downRestored: d !== undefined && d.rows === b.rows && (!hashed || d.hash === b.hash),
        downHashCompared: hashed,
        differ: [...new Set([...(d && hashed ? differingColumns(b, d) : []), ...(u && a ? differingColumns(u, a) : [])])],
        upReapplied: u === undefined ? a === undefined : a !== undefined && a.rows === u.rows && a.hash === u.hash,
      };
    });
    const ok = !againFailure && tables.every((t) => t.downRestored && t.upReapplied);
    return { steps, roundTrip: { downMs, upMs, ok, tables, ...(againFailure ? { failure: `up again: ${againFailure}` } : {}) }, touched: touchedRows };
  } finally {
    await Promise.all([main, monitor, oldDb, newDb].map((d) => d.close().catch(() => undefined)));
  }
};
