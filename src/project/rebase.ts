/**
 * `generate --rebase`: after a merge, two migrations follow the same parent. The newer one is removed, so the
 * next `generate` plans what it did again, on top of the other (schema/ holds both branches' changes).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ResolvedConfig } from '../config/index.js';
import { UserError } from '../db/errors.js';
import { readHistory, renderSum, SUM_FILE } from '../load/migrations.js';

/** Returns the removed migration's id (its name part is reused for the new one); undefined when there was nothing to do. */
export const rebase = (config: ResolvedConfig): string | undefined => {
  const history = readHistory(config.generatedDir);
  const byParent = new Map<string | null, string[]>();
  for (const m of history.migrations) byParent.set(m.plan.parent, [...(byParent.get(m.plan.parent) ?? []), m.id]);
  const heads = [...byParent.values()].filter((ids) => ids.length > 1);
  if (heads.length === 0) return undefined;
  if (heads.length > 1 || heads[0]!.length > 2) throw new UserError('more than two branches meet: rebase them one at a time', 3);
  const newer = heads[0]!.sort().at(-1)!;
  const ids = history.migrations.map((m) => m.id);
  if (ids.indexOf(newer) !== ids.length - 1)
    throw new UserError(`${newer} is not the last migration: migrations were generated after the merge; rebase by hand`, 3);
  rmSync(join(config.generatedDir, 'migrations', newer), { recursive: true, force: true });
  const kept = history.migrations.filter((m) => m.id !== newer);
  writeFileSync(join(config.generatedDir, SUM_FILE), renderSum(kept));
  return newer;
};

/**
 * After the re-plan: the new head records the id it replaces (`replaces` in plan.json, signed again), so a database
 * that ran the old migration is told what happened and the way out (see consistencyRefusals) instead of only
 * "not in the migrations directory".
 */
export const recordReplaced = (config: ResolvedConfig, removed: string): void => {
  const history = readHistory(config.generatedDir);
  const head = history.migrations.at(-1);
  if (!head || head.id === removed || head.plan.replaces?.includes(removed)) return;
  const text = `${JSON.stringify({ ...head.plan, replaces: [...(head.plan.replaces ?? []), removed] }, null, 2)}\n`;
  writeFileSync(join(head.dir, 'plan.json'), text);
  writeFileSync(join(config.generatedDir, SUM_FILE), renderSum(readHistory(config.generatedDir).migrations));
};
