/**
 * `push` (development only): the local database brought straight to `schema/`, no migration written. The plan is
 * the project diff against the live database; a production database is refused before anything is read, a step
 * that would destroy rows is refused (with live counts) unless data loss is allowed (then the rows are archived in
 * keikaku_archive first, as `generate` does), and nothing runs until `yes` or `confirm` says so. Afterwards the
 * database is read again: what still differs from `schema/` is reported (a push that does not converge is a bug).
 */
import { readPhaseScript } from '../apply/script.js';
import { journalExists, phaseStates, readJournal } from '../apply/journal.js';
import { measureLosses, type MeasuredLoss } from '../apply/preflight.js';
import { DEFAULT_TIMEOUTS, type Timeouts } from '../apply/types.js';
import type { ResolvedConfig } from '../config/index.js';
import { pgErrorFields, UserError } from '../db/errors.js';
import { connectPg } from '../db/pg.js';
import type { Db } from '../db/types.js';
import { diff } from '../diff/index.js';
import { migrationStamp } from '../emit/migration-id.js';
import { renderScript } from '../emit/script.js';
import { readSchema, readSource } from '../load/source.js';
import { describeChange } from '../model/describe.js';
import { terminalText as t } from '../model/escape.js';
import type { Step } from '../model/plan.js';
import { archiveDrops } from '../plan/archive-drops.js';
import { projectDiff, type DesiredLoader, type ProjectDiffOptions } from './diff.js';
import { connectionTarget, resolveTarget, withDatabaseMark, type Target, type TargetArgs } from './target.js';

export interface PushOptions extends TargetArgs, Omit<ProjectDiffOptions, 'fromDb' | 'fromConnection'> {
  /** A connection to push to instead of a URL (e.g. an embedded PGlite); it is left open. */
  readonly db?: Db | undefined;
  /** Steps that destroy rows run, their rows archived in keikaku_archive first; without it they are refused. */
  readonly allowDataLoss?: boolean | undefined;
  /** Show what would run; run nothing. */
  readonly dryRun?: boolean | undefined;
  /** Run without asking `confirm`. */
  readonly yes?: boolean | undefined;
  /** Asked once the plan is known (unless `yes`): true runs it. Without it (and without `yes`) push is refused. */
  readonly confirm?: ((preview: PushPreview) => Promise<boolean>) | undefined;
  readonly timeouts?: Partial<Timeouts> | undefined;
  /** The clock, for archive names. */
  readonly now?: Date | undefined;
}

export interface PushPreview {
  readonly target: Target;
  readonly steps: readonly Step[];
  /** The script push runs, as `diff`'s up.sql would read. */
  readonly sql: string;
  /** Rows the steps destroy (archived first when data loss is allowed). */
  readonly losses: readonly MeasuredLoss[];
  /** Migrations `keikaku apply` recorded in this database's journal: a push moves it away from them. */
  readonly appliedMigrations: number;
}

export type PushOutcome =
  | { readonly kind: 'unchanged'; readonly target: Target; readonly appliedMigrations: number }
  | { readonly kind: 'dry-run'; readonly preview: PushPreview }
  | { readonly kind: 'declined'; readonly preview: PushPreview }
  /** `remaining`: what still differs from `schema/` after the push (empty when it converged). */
  | { readonly kind: 'pushed'; readonly preview: PushPreview; readonly ms: number; readonly remaining: readonly string[] };

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

const appliedCount = async (db: Db): Promise<number> => {
  if (!(await journalExists(db))) return 0;
  const migrations = new Set<string>();
  for (const [, s] of phaseStates(await readJournal(db))) if (s.state === 'applied' && s.applied) migrations.add(s.applied.migration);
  return migrations.size;
};

const FILE = '(push)';

/** Runs the script: each `BEGIN … COMMIT` block as one transaction, a statement that must run alone by itself. */
const runScript = async (db: Db, sql: string, timeouts: Timeouts): Promise<void> => {
  const script = await readPhaseScript(sql, FILE);
  await db.query(`SELECT set_config('lock_timeout', $1, false)`, [`${timeouts.lockTimeoutMs}ms`]);
  let done = 0;
  for (const item of script.items) {
    const statements = item.kind === 'transaction' ? item.statements : [item.statement];
    try {
      if (item.kind === 'transaction') {
        await db.exec('BEGIN');
        try {
          for (const s of statements) await db.query(s.text);
          await db.exec('COMMIT');
        } catch (e) {
          await db.exec('ROLLBACK').catch(() => undefined);
          throw e;
        }
      } else await db.query(statements[0]!.text);
    } catch (e) {
      const f = pgErrorFields(e);
      const line = item.kind === 'setting' ? item.statement.line : item.line;
      throw new UserError(
        `push stopped at line ${line} of its script (${plural(done, 'step')} of ${script.steps.length} committed before it): ${t(f?.message ?? (e instanceof Error ? e.message : String(e)))}` +
          `\n  the database is part-way to schema/; fix the cause and push again (it plans from what is there now)`,
        1,
        { cause: e },
      );
    }
    if (item.kind !== 'setting') done++;
  }
};

export const pushProject = async (config: ResolvedConfig, loadDesired: DesiredLoader, o: PushOptions): Promise<PushOutcome> => {
  const given = o.db ? connectionTarget(o.db, o.production === true) : resolveTarget(config, o);
  const timeouts = { ...DEFAULT_TIMEOUTS, ...o.timeouts };
  const db = o.db ?? (await connectPg(given.url));
  try {
    // Production is refused before the slow part: push writes no migration, so nothing could be reviewed or undone.
    const target = await withDatabaseMark(given, db);
    if (target.production)
      throw new UserError(
        `refusing to push to production database ${target.label} (${target.source}): push is for development databases; ` +
          'write a migration with `keikaku generate` and run it with `keikaku apply`',
        3,
      );
    const appliedMigrations = await appliedCount(db);
    const pd = await projectDiff(config, loadDesired, o.db ? { ...o, fromConnection: o.db } : { ...o, fromDb: given.url });
    if (pd.steps.length === 0) return { kind: 'unchanged', target, appliedMigrations };
    const steps = o.allowDataLoss ? archiveDrops(pd.steps, `${migrationStamp(o.now ?? new Date())}_push`) : pd.steps;
    const sql = renderScript(steps, 'up', ['keikaku push', `to: ${target.label}`, `${steps.length} step(s)`]);
    const script = await readPhaseScript(sql, FILE);
    const losses: MeasuredLoss[] = [];
    for (const item of script.steps) losses.push(...(await measureLosses(db, item.kind === 'transaction' ? item.statements : [item.statement], FILE)));
    const preview: PushPreview = { target, steps, sql, losses, appliedMigrations };
    if (losses.length && !o.allowDataLoss)
      throw new UserError(
        `refused: this push would destroy rows; nothing was run:\n${losses.map((l) => `  ${t(l.what)}: ${plural(l.rows, l.kind === 'drop_table' ? 'row' : 'value')}`).join('\n')}` +
          `\n  pass --allow-data-loss to archive them in keikaku_archive first, or declare a rename (renamedFrom / --rename) if that is what happened`,
        3,
      );
    if (o.dryRun) return { kind: 'dry-run', preview };
    if (!o.yes) {
      if (!o.confirm) throw new UserError(`push changes ${target.label}: pass --yes to run it without a terminal to ask on (nothing was run)`, 3);
      if (!(await o.confirm(preview))) return { kind: 'declined', preview };
    }
    const started = performance.now();
    await runScript(db, sql, timeouts);
    const ms = Math.round(performance.now() - started);
    const after = o.db ? await readSchema(o.db) : await readSource({ kind: 'url', url: given.url }, {});
    const remaining = diff(after, pd.desired, []).changes.map(describeChange);
    return { kind: 'pushed', preview, ms, remaining };
  } finally {
    if (!o.db) await db.close().catch(() => undefined);
  }
};
