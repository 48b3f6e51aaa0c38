/**
 * The plan `generate` would write, and writing it: the project diff phased by the strategy, table sizes from a live
 * database, the hazard gate, and the migration folder (through `emit/write.ts`). Returns data; the CLI prints it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nextMigrationId } from '../emit/migration-id.js';
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import { renderMigration, type MigrationMeta } from '../emit/migration.js';
import { writeMigration } from '../emit/write.js';
import { readTableSizes } from '../introspect/sizes.js';
import { terminalText as t } from '../model/escape.js';
import type { Phase, Step } from '../model/plan.js';
import { acknowledgedHazards } from '../plan/gate.js';
import { planPhases, type PhasedPlan } from '../plan/phases.js';
import { withSizes } from '../plan/sizes.js';
import { renderHeadFile, writeHeadFile } from '../emit/head-file.js';
import { HEAD_FILE, headFileFor, type HeadFile } from '../load/head-file.js';
import type { History, Migration } from '../load/migrations.js';
import { predictHistorySchema } from '../load/history-schema.js';
import { projectDiff, type DesiredLoader, type ProjectDiffOptions } from './diff.js';
import { hazardRefusalMessage, parseAllowHazards } from './hazard-gate.js';

export interface PlanOptions extends ProjectDiffOptions {
  readonly strategy?: 'phased' | 'simple' | undefined;
  /** `--allow-hazards CODE,…` (added to the config's `allowHazards`). */
  readonly allowHazards?: readonly string[] | undefined;
}

export interface ProjectPlan {
  readonly history: History;
  /** Compared with a live database (`fromDb`) rather than the replayed history. */
  readonly fromDb: boolean;
  readonly steps: readonly Step[];
  readonly phases: readonly Phase[];
  /** `id` is `(pending)`: nothing is written. */
  readonly meta: MigrationMeta;
  /** Changes that cannot roll out without downtime as declared. */
  readonly refusals: PhasedPlan['refusals'];
  /** The hazard gate's refusal (several lines), or null when every hazard is allowed. */
  readonly refusedHazards: string | null;
  /** `generate` would write this plan (no refusal of either kind). */
  readonly generatable: boolean;
}

export interface GenerateOptions extends PlanOptions {
  /** A few words for the folder name. */
  readonly name: string;
  /** Rows per committed backfill batch, and seconds between batches. */
  readonly batchSize?: number | undefined;
  readonly batchPause?: number | undefined;
  /** The clock, injectable so the same input writes byte-identical files. */
  readonly now: Date;
}

export type Generated =
  /** `headWritten`: generated/head.json was absent or out of date, and is written (`refreshHeadFile`). */
  | { readonly kind: 'unchanged'; readonly headWritten?: true }
  | { readonly kind: 'written'; readonly id: string; readonly dir: string; readonly phases: readonly Phase[] };

/** The plan, written nowhere: what `plan` shows and `generate` would write (with its refusals, not thrown). */
export const planProject = async (config: ResolvedConfig, loadDesired: DesiredLoader, o: PlanOptions): Promise<ProjectPlan> => {
  const { history, steps, hints, result, backfills } = await projectDiff(config, loadDesired, o);
  const strategy = o.strategy ?? config.strategy;
  const planned = planPhases(steps, strategy, { current: result.current, backfills });
  const phases = o.fromDb && steps.length ? withSizes(planned.phases, await readTableSizes(o.fromDb)) : planned.phases;
  const refusedHazards = hazardRefusalMessage(phases, [...config.allowHazards, ...parseAllowHazards(o.allowHazards ?? [])]);
  const meta = { id: '(pending)', parent: history.migrations.at(-1)?.id ?? null, renames: hints, strategy };
  const generatable = planned.refusals.length === 0 && refusedHazards === null;
  return { history, fromDb: o.fromDb !== undefined, steps, phases, meta, refusals: planned.refusals, refusedHazards, generatable };
};

/**
 * With nothing to generate, `head.json` is written when it does not say what it would (absent, stale, edited), so
 * that `keikaku generate` is the one fix `check` names; the file is left alone when it is right.
 */
const refreshHeadFile = (generatedDir: string, head: HeadFile | undefined): boolean => {
  if (!head) return false;
  const path = join(generatedDir, HEAD_FILE);
  if (existsSync(path) && readFileSync(path, 'utf8') === renderHeadFile(head)) return false;
  writeHeadFile(generatedDir, head);
  return true;
};

/**
 * The next migration folder, `schema.sql` at head and the sum file. Refuses (exit 3, nothing written) a change that
 * cannot roll out online and a hazard nobody allowed.
 */
export const generateMigration = async (config: ResolvedConfig, loadDesired: DesiredLoader, o: GenerateOptions): Promise<Generated> => {
  if (o.batchSize !== undefined && !(Number.isInteger(o.batchSize) && o.batchSize > 0))
    throw new UserError(`--batch-size ${o.batchSize}: expected a whole number of rows above 0`);
  if (o.batchPause !== undefined && !(o.batchPause >= 0)) throw new UserError(`--batch-pause ${o.batchPause}: expected seconds, 0 or more`);
  const { history, steps, hints, desired, units, result, backfills } = await projectDiff(config, loadDesired, o);
  const embedded = !o.fromDb && !config.shadowUrl && config.shadowPostgres === undefined;
  const headFile = (migrations: readonly Migration[]) => (embedded && units && migrations.length ? headFileFor(desired, migrations, units) : undefined);
  if (steps.length === 0) {
    return refreshHeadFile(config.generatedDir, headFile(history.migrations)) ? { kind: 'unchanged', headWritten: true } : { kind: 'unchanged' };
  }
  const parent = history.migrations.at(-1)?.id ?? null;
  const id = nextMigrationId(parent, o.now, o.name);
  const strategy = o.strategy ?? config.strategy;
  const planned = planPhases(steps, strategy, { id, current: result.current, backfills, batchSize: o.batchSize, pause: o.batchPause });
  if (planned.refusals.length)
    throw new UserError(`refused: ${planned.refusals.length} change(s) cannot roll out without downtime as declared (nothing written):\n${planned.refusals.map((r) => `  ${t(r.object)}: ${t(r.message)}`).join('\n')}`, 3);
  const phases = o.fromDb ? withSizes(planned.phases, await readTableSizes(o.fromDb)) : planned.phases;
  const refused = hazardRefusalMessage(phases, [...config.allowHazards, ...parseAllowHazards(o.allowHazards ?? [])]);
  if (refused) throw new UserError(refused, 3);
  const files = renderMigration({ id, parent, renames: hints, strategy }, phases, acknowledgedHazards(phases));
  // The history's checksum depends on the files only: the new one is known before it is written.
  const next = [...history.migrations, { id, dir: join(config.generatedDir, 'migrations', id), plan: JSON.parse(files.get('plan.json')!), files }];
  const migration = writeMigration({ generatedDir: config.generatedDir, id, files, before: history.migrations, head: desired, headFile: headFile(next) });
  // The next plan need not replay the history it just extended (only where the history is what was compared).
  if (embedded) predictHistorySchema([...history.migrations, migration], desired, config.root);
  return { kind: 'written', id, dir: migration.dir, phases };
};
