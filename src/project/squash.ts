/**
 * `squash --to MIGRATION`: the history up to and including MIGRATION collapsed into one baseline that creates the
 * schema those migrations made. Before anything is written it is proved, in the shadow, that the baseline alone makes
 * the schema the replaced migrations made, and that the new history makes the same head as the old one. The baseline
 * lists what it replaced (plan.json `squashes`), so a database that ran them all counts as having run it
 * (apply/squashed.ts) and goes on with the migrations after it; the next migration's parent is the baseline.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import { diff } from '../diff/index.js';
import { migrationSlug } from '../emit/migration-id.js';
import { renderMigration, type PlanJson } from '../emit/migration.js';
import { writeMigration } from '../emit/write.js';
import { headFileFor } from '../load/head-file.js';
import { historySchema } from '../load/history-schema.js';
import { readHistory, type Migration } from '../load/migrations.js';
import { describeChange } from '../model/describe.js';
import { emptySchema } from '../model/schema.js';
import { plan } from '../plan/index.js';
import { toPhases } from '../plan/phases.js';
import { assertHistory } from './diff.js';
import { matchMigration } from './history.js';
import { embeddedNote, withSlowNotice, type Notifier } from './notice.js';

export interface SquashOptions {
  /** The last migration to squash: its id or a unique beginning of it. */
  readonly to: string;
  /** A few words for the baseline's folder name (default `squashed`). */
  readonly name?: string | undefined;
  /** Prove and report; write nothing. */
  readonly dryRun?: boolean | undefined;
  readonly notify?: Notifier | undefined;
}

export interface Squashed {
  /** The baseline's id. */
  readonly id: string;
  /** The migrations it replaced, oldest first. */
  readonly replaced: readonly string[];
  /** Migrations after it, kept as they were (the first now follows the baseline). */
  readonly kept: readonly string[];
  /** Steps of the baseline's up. */
  readonly steps: number;
  /** Replaced migrations written or edited by hand: what their SQL did beyond the schema (data) is not in the baseline. */
  readonly handWritten: readonly string[];
  readonly written: boolean;
}

const withPlan = (m: Migration, plan: PlanJson): Migration => ({ ...m, plan, files: new Map([...m.files, ['plan.json', `${JSON.stringify(plan, null, 2)}\n`]]) });

export const squashProject = async (config: ResolvedConfig, o: SquashOptions): Promise<Squashed> => {
  const history = readHistory(config.generatedDir);
  assertHistory(history);
  const found = matchMigration(config, o.to);
  if (!found.id)
    throw new UserError(`squash --to ${o.to}: no such migration in ${config.generatedDir}/migrations${found.matches.length > 1 ? ` (it begins ${found.matches.length} of them)` : ''}`);
  const at = history.migrations.findIndex((m) => m.id === found.id);
  if (at < 1) throw new UserError(`squash --to ${found.id}: it is the first migration; there is nothing to squash it with`);
  const replaced = history.migrations.slice(0, at + 1);
  const kept = history.migrations.slice(at + 1);
  const last = replaced.at(-1)!;
  const ids = new Set(replaced.map((m) => m.id));
  let id = `${last.id.slice(0, 14)}_${migrationSlug(o.name ?? 'squashed')}`;
  while (ids.has(id) || kept.some((m) => m.id === id)) id = `${id}_baseline`;
  if (id >= (kept[0]?.id ?? '\uffff')) throw new UserError(`squash: the baseline's id ${id} would not sort before ${kept[0]!.id}; choose another --name`);

  const shadow = { shadowUrl: config.shadowUrl, cacheRoot: config.root };
  const n = replaced.length;
  const made = await withSlowNotice(o.notify, `replaying the ${n} migrations to squash${embeddedNote(config.shadowUrl)}`, historySchema(replaced, shadow));
  const steps = plan(diff(emptySchema(made.serverVersion), made)).steps;
  const phases = toPhases(steps, 'simple');
  const files = renderMigration({ id, parent: null, renames: [], strategy: 'simple' }, phases);
  const baselinePlan: PlanJson = { ...(JSON.parse(files.get('plan.json')!) as PlanJson), squashes: replaced.map((m) => ({ id: m.id, phases: m.plan.phases.map((p) => p.name) })) };
  const baseline = withPlan({ id, dir: join(config.generatedDir, 'migrations', id), plan: baselinePlan, files }, baselinePlan);
  const after = kept.map((m, i) => (i === 0 ? withPlan(m, { ...m.plan, parent: id }) : m));

  // The proof, before anything is written: the baseline makes what the replaced migrations made, and the new
  // history the same head as the old one.
  const [alone, oldHead, newHead] = await withSlowNotice(
    o.notify,
    `proving the squash: replaying the baseline and both histories${embeddedNote(config.shadowUrl)}`,
    Promise.all([historySchema([baseline], shadow), kept.length ? historySchema(history.migrations, shadow) : made, kept.length ? historySchema([baseline, ...after], shadow) : null]),
  );
  const differs = [...diff(made, alone).changes, ...(newHead ? diff(oldHead, newHead).changes : [])];
  if (differs.length)
    throw new UserError(
      `squash refused: the baseline would not make the schema the migrations made (a keikaku bug; nothing was written):\n${differs.map((c) => `  ${describeChange(c)}`).join('\n')}`,
      1,
    );
  const handWritten = replaced.filter((m) => m.plan.handWritten || m.plan.edited?.length).map((m) => m.id);
  const result = { id, replaced: replaced.map((m) => m.id), kept: kept.map((m) => m.id), steps: steps.length, handWritten };
  if (o.dryRun) return { ...result, written: false };

  // The new folder and the sum first, then the replaced folders go: an interruption leaves extra folders the sum
  // does not list (check reports them), never a history without its baseline.
  // The head is what it was; head.json says so for the new history (when the embedded shadow replayed it).
  const headFile = config.shadowUrl ? undefined : headFileFor(newHead ?? made, [baseline, ...after], null);
  writeMigration({ generatedDir: config.generatedDir, id, files: baseline.files, before: [], after, head: kept.length ? undefined : made, headNote: ' (squashed)', headFile });
  if (after[0]) writeFileSync(join(after[0].dir, 'plan.json'), after[0].files.get('plan.json')!);
  for (const m of replaced) rmSync(m.dir, { recursive: true, force: true });
  const problems = readHistory(config.generatedDir).problems;
  if (problems.length) throw new UserError(`squash wrote a history that is not intact (a keikaku bug): ${problems.map((p) => p.message).join('; ')}`);
  return { ...result, written: true };
};
