/**
 * The migration directory (DESIGN §5): reading it back, checking it is intact (the sum file) and linear
 * (one head), and replaying it into a database to learn the schema it leads to.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../emit/checksum.js';
import { PHASE_NUMBER, type PlanJson } from '../emit/migration.js';
import { loadSql } from '../db/load-sql.js';
import type { Db } from '../db/types.js';

export interface Migration {
  readonly id: string;
  readonly dir: string;
  readonly plan: PlanJson;
  /** File name → content. */
  readonly files: ReadonlyMap<string, string>;
}

export type HistoryProblem = {
  readonly code: 'SUM_MISSING' | 'SUM_CONFLICT' | 'SUM_MISMATCH' | 'FILE_ADDED' | 'FILE_REMOVED' | 'FILE_EDITED' | 'TWO_HEADS' | 'BROKEN_PARENT' | 'BAD_PLAN';
  readonly message: string;
  /** The file it is about, relative to the generated directory (`migrations/<id>/plan.json`, `migrations.sum`). */
  readonly file?: string;
};

export interface History {
  readonly migrations: readonly Migration[];
  readonly problems: readonly HistoryProblem[];
  /**
   * plan.md files edited since they were signed: a reviewer's note. Nothing runs them, so they are not problems
   * (apply and generate go on); `check` warns until `keikaku rehash` signs them.
   */
  readonly notes?: readonly HistoryProblem[];
}

/** The review of a migration, which nothing runs: an edit to it is a note, not a problem. */
const isReview = (file: string) => file.endsWith('/plan.md');

export const SUM_FILE = 'migrations.sum';
const SUM_HEADER = 'keikaku-sum/1';
/** A line git writes into a file it could not merge (diff3 style included). */
const CONFLICT_MARKER = /^(<{7}|={7}|>{7}|\|{7})( |$)/m;

/** Every file of every migration, as `id/file`, in order. */
const fileEntries = (migrations: readonly Migration[]) =>
  migrations.flatMap((m) => [...m.files.keys()].sort().map((f): [string, string] => [`${m.id}/${f}`, sha256(m.files.get(f)!)]));

/**
 * The sum file: a total over all lines, then one line per file. Two branches that each add a migration both
 * change the total, so git reports a conflict instead of merging them silently.
 */
export const renderSum = (migrations: readonly Migration[]): string => {
  const lines = fileEntries(migrations).map(([path, hash]) => `${path} ${hash}`);
  return `${SUM_HEADER} ${sha256(lines.join('\n'))}\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
};

export const readHistory = (generatedDir: string): History => {
  const root = join(generatedDir, 'migrations');
  const migrations: Migration[] = [];
  const problems: HistoryProblem[] = [];
  if (existsSync(root)) {
    for (const id of readdirSync(root).sort()) {
      const dir = join(root, id);
      if (!statSync(dir).isDirectory()) continue;
      const files = new Map<string, string>();
      for (const f of readdirSync(dir).sort()) files.set(f, readFileSync(join(dir, f), 'utf8'));
      let plan: PlanJson;
      try {
        plan = JSON.parse(files.get('plan.json') ?? 'null') as PlanJson;
        if (!plan || plan.format !== 'keikaku-plan/1') throw new Error('not a keikaku plan');
      } catch (e) {
        problems.push({ code: 'BAD_PLAN', message: `migrations/${id}/plan.json: ${e instanceof Error ? e.message : String(e)}`, file: `migrations/${id}/plan.json` });
        continue;
      }
      migrations.push({ id, dir, plan, files });
    }
  }
  const sum = checkSum(generatedDir, migrations);
  const reviews = sum.filter((p) => p.code === 'FILE_EDITED' && p.file && isReview(p.file));
  problems.push(...checkLinear(migrations), ...sum.filter((p) => !reviews.includes(p)));
  const notes = reviews.map((p) => ({ ...p, message: `${p.message.replace(/ after it was generated$/, '')} since it was signed (a reviewer's note): nothing runs it; \`keikaku rehash\` signs it` }));
  return { migrations, problems, notes };
};

const checkLinear = (migrations: readonly Migration[]): HistoryProblem[] => {
  const out: HistoryProblem[] = [];
  const children = new Map<string | null, string[]>();
  for (const m of migrations) children.set(m.plan.parent, [...(children.get(m.plan.parent) ?? []), m.id]);
  for (const [parent, kids] of children)
    if (kids.length > 1)
      out.push({
        code: 'TWO_HEADS',
        message: `${kids.join(' and ')} both follow ${parent ?? 'the empty schema'}: two branches were merged; run \`keikaku generate --rebase\` to re-plan the newer one on top of the other`,
        file: `migrations/${kids.at(-1)}/plan.json`,
      });
  migrations.forEach((m, i) => {
    const expected = i === 0 ? null : migrations[i - 1]!.id;
    if (m.plan.parent !== expected && !out.some((p) => p.code === 'TWO_HEADS'))
      out.push({ code: 'BROKEN_PARENT', message: `${m.id} names ${m.plan.parent ?? 'no parent'} as its parent, but follows ${expected ?? 'nothing'}`, file: `migrations/${m.id}/plan.json` });
  });
  return out;
};

const checkSum = (generatedDir: string, migrations: readonly Migration[]): HistoryProblem[] => {
  const path = join(generatedDir, SUM_FILE);
  if (!existsSync(path))
    return migrations.length ? [{ code: 'SUM_MISSING', message: `${SUM_FILE} is missing: the history cannot be checked`, file: SUM_FILE }] : [];
  const text = readFileSync(path, 'utf8');
  if (text === renderSum(migrations)) return [];
  // The total on the first line exists to make git stop here: the markers are a merge to finish, not file names.
  if (CONFLICT_MARKER.test(text))
    return [
      {
        code: 'SUM_CONFLICT',
        message: `${SUM_FILE} has a merge conflict (git conflict markers): two branches each added migrations; run \`keikaku generate --rebase\` to re-plan the newer one on top of the other and rewrite ${SUM_FILE}`,
        file: SUM_FILE,
      },
    ];
  const [head, ...rest] = text.split('\n').filter((l) => l.trim());
  const recorded = new Map(rest.map((l) => l.split(' ') as [string, string]));
  const actual = new Map<string, string>(fileEntries(migrations));
  const out: HistoryProblem[] = [];
  for (const [f, h] of actual) {
    if (!recorded.has(f)) out.push({ code: 'FILE_ADDED', message: `${f} is not in ${SUM_FILE}: added by hand or by another branch`, file: `migrations/${f}` });
    else if (recorded.get(f) !== h) out.push({ code: 'FILE_EDITED', message: `${f} was edited after it was generated`, file: `migrations/${f}` });
  }
  for (const f of recorded.keys())
    if (!actual.has(f)) out.push({ code: 'FILE_REMOVED', message: `${f} is recorded in ${SUM_FILE} but missing`, file: SUM_FILE });
  if (out.length === 0 || !head?.startsWith(SUM_HEADER))
    out.push({ code: 'SUM_MISMATCH', message: `${SUM_FILE} does not match the migrations (a merge or a hand edit)`, file: SUM_FILE });
  return out;
};

/** The up files of a migration in phase order. */
export const upFiles = (m: Migration): string[] =>
  [...m.files.keys()]
    .filter((f) => f.endsWith('.up.sql'))
    .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10) || (a < b ? -1 : 1));

export const downFiles = (m: Migration): string[] => upFiles(m).reverse().map((f) => f.replace(/\.up\.sql$/, '.down.sql')).filter((f) => m.files.has(f));

/** Applies every migration's up files in order, as psql would. */
export const replay = async (db: Db, migrations: readonly Migration[]): Promise<void> => {
  for (const m of migrations) for (const f of upFiles(m)) await loadSql(db, m.files.get(f)!, join(m.dir, f));
};

export { PHASE_NUMBER };
