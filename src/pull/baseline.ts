/**
 * Baselining an adopted database: its current schema becomes the first migration of `generated/` (up creates the
 * whole schema from nothing, down drops it), and the journal of that database records the migration as already
 * applied, so `apply` leaves it alone and the next `generate` / `plan` starts from it. The files go through the
 * same emit path as `generate` (plan.json, plan.md, phase files, schema.sql, migrations.sum).
 */
import { markApplied, withApplyLock } from '../apply/index.js';
import type { Db } from '../db/types.js';
import { diff } from '../diff/index.js';
import { renderMigration } from '../emit/migration.js';
import { writeMigration } from '../emit/write.js';
import { readHistory } from '../load/migrations.js';
import { emptySchema, type Schema } from '../model/schema.js';
import { plan } from '../plan/index.js';
import { toPhases } from '../plan/phases.js';

export type BaselineOutcome =
  | { readonly kind: 'written'; readonly id: string; readonly dir: string; readonly steps: number }
  /** generated/ already has a history: a baseline is only ever the first migration. */
  | { readonly kind: 'history-exists'; readonly migrations: number }
  /** The database holds nothing to baseline. */
  | { readonly kind: 'empty' };

export interface BaselineOptions {
  readonly generatedDir: string;
  /** `YYYYMMDDHHMMSS`, from the injected clock. */
  readonly stamp: string;
  readonly name?: string;
  /** Write the files but leave the journal alone (`--dry-run` style checks, or no database to mark). */
  readonly markDatabase: boolean;
  /** Told when another keikaku holds the apply lock. */
  readonly onWait?: () => void;
}

/** Writes the baseline migration for `schema` (the database behind `db`) and marks it applied there. */
export const baseline = async (db: Db, schema: Schema, o: BaselineOptions): Promise<BaselineOutcome> => {
  const history = readHistory(o.generatedDir);
  if (history.migrations.length > 0) return { kind: 'history-exists', migrations: history.migrations.length };
  const steps = plan(diff(emptySchema(schema.serverVersion), schema)).steps;
  if (steps.length === 0) return { kind: 'empty' };
  const id = `${o.stamp}_${o.name ?? 'baseline'}`;
  // One phase: nothing runs it on this database, and on a new one (CI, a developer's) it creates everything at once.
  const phases = toPhases(steps, 'simple');
  const files = renderMigration({ id, parent: null, renames: [], strategy: 'simple' }, phases);
  const migration = writeMigration({ generatedDir: o.generatedDir, id, files, before: [], head: schema, headNote: ' (baseline of an existing database)' });
  if (o.markDatabase)
    await withApplyLock(db, () => o.onWait?.(), () => markApplied(db, migration, phases.map((p) => p.name)));
  return { kind: 'written', id, dir: migration.dir, steps: steps.length };
};
