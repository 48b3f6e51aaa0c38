/**
 * `keikaku rehash`: signs the migration directory as it is now, after a deliberate hand edit. migrations.sum is
 * rewritten from the files; a generated phase file whose content changed is recorded in its plan.json
 * (`edited`), so `check` keeps linting it as a person's SQL (refusing a hazard not acknowledged). Pure: returns
 * the files to write.
 *
 * What re-signing cannot mend is refused: a plan.json that does not parse, two heads, a broken parent or a sum
 * with merge conflict markers (those are `generate --rebase`'s).
 */
import { join } from 'node:path';
import type { PlanJson } from '../emit/migration.js';
import { readHistory, renderSum, SUM_FILE, type HistoryProblem, type Migration } from '../load/migrations.js';

export interface SignedFile {
  /** `<id>/<file>`, as in migrations.sum. */
  readonly file: string;
  readonly change: 'edited' | 'added' | 'removed';
}

export type RehashResult =
  | { readonly kind: 'refused'; readonly problems: readonly HistoryProblem[] }
  | {
      readonly kind: 'signed';
      readonly signed: readonly SignedFile[];
      /** Phase files newly recorded as edited by hand (`<id>/<file>`). */
      readonly marked: readonly string[];
      /** Absolute path → content; empty when the sum already matched. */
      readonly writes: ReadonlyMap<string, string>;
    };

const UNMENDABLE: ReadonlySet<HistoryProblem['code']> = new Set(['BAD_PLAN', 'TWO_HEADS', 'BROKEN_PARENT', 'SUM_CONFLICT']);

const CHANGE: Partial<Record<HistoryProblem['code'], SignedFile['change']>> = { FILE_EDITED: 'edited', FILE_ADDED: 'added', FILE_REMOVED: 'removed' };

/** `migrations/<id>/<file>` → `<id>/<file>`; FILE_REMOVED names the sum file, its message names the file. */
const signedName = (p: HistoryProblem): string =>
  p.code === 'FILE_REMOVED' ? p.message.split(' ')[0]! : (p.file ?? '').replace(/^migrations\//, '');

export const rehash = (generatedDir: string): RehashResult => {
  const history = readHistory(generatedDir);
  const refused = history.problems.filter((p) => UNMENDABLE.has(p.code));
  if (refused.length) return { kind: 'refused', problems: refused };
  const all = [...history.problems, ...(history.notes ?? [])];
  const signed = all.flatMap((p): SignedFile[] => (CHANGE[p.code] ? [{ file: signedName(p), change: CHANGE[p.code]! }] : []));
  const sumProblem = all.some((p) => p.code === 'SUM_MISSING' || p.code === 'SUM_MISMATCH');
  if (signed.length === 0 && !sumProblem) return { kind: 'signed', signed, marked: [], writes: new Map() };

  // A phase file is a person's once it differs from what was signed, in a migration that was signed before
  // (a whole migration new to the sum came from elsewhere, e.g. a branch, and is not an edit).
  const noSum = all.some((p) => p.code === 'SUM_MISSING');
  const newMigrations = new Set(signed.filter((s) => s.change === 'added' && s.file.endsWith('/plan.json')).map((s) => s.file.split('/')[0]!));
  const edits = signed.filter((s) => s.change !== 'removed' && /\.(up|down)\.sql$/.test(s.file) && !newMigrations.has(s.file.split('/')[0]!));
  const writes = new Map<string, string>();
  const marked: string[] = [];
  const migrations = history.migrations.map((m): Migration => {
    if (noSum || newMigrations.has(m.id) || m.plan.handWritten) return m;
    const files = edits.filter((s) => s.file.startsWith(`${m.id}/`)).map((s) => s.file.slice(m.id.length + 1));
    const edited = [...new Set([...(m.plan.edited ?? []), ...files])].sort();
    if (edited.length === (m.plan.edited ?? []).length) return m;
    marked.push(...files.filter((f) => !(m.plan.edited ?? []).includes(f)).map((f) => `${m.id}/${f}`));
    const plan: PlanJson = { ...m.plan, edited };
    const text = `${JSON.stringify(plan, null, 2)}\n`;
    writes.set(join(m.dir, 'plan.json'), text);
    return { ...m, plan, files: new Map([...m.files, ['plan.json', text]]) };
  });
  writes.set(join(generatedDir, SUM_FILE), renderSum(migrations));
  return { kind: 'signed', signed, marked, writes };
};
