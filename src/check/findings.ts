/** Findings from typed inputs: history problems, planned steps (ungenerated changes, drift). */
import { notNullLabel } from '../model/not-null-name.js';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Site } from '../dsl/ddl/site.js';
import type { HistoryProblem } from '../load/migrations.js';
import type { Change } from '../model/change.js';
import { describeChange } from '../model/describe.js';
import type { Step } from '../model/plan.js';
import { siteOfChange, type Sites } from './sites.js';
import type { DriftKind, Finding, Location } from './types.js';

/** Paths in findings are relative to the repository root, so GitHub and SARIF viewers find the file. */
export interface Paths {
  /** The project root (where keikaku.config.ts is): schema sites are relative to it. */
  readonly root: string;
  /** The repository root: locations are relative to it. */
  readonly repoRoot: string;
}

export const repoPath = (paths: Paths, file: string): string => {
  const rel = relative(paths.repoRoot, resolve(paths.root, file));
  return (rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : resolve(paths.root, file)).split(sep).join('/');
};

export const siteLocation = (paths: Paths, s: Site): Location => ({ file: repoPath(paths, s.file), line: s.line, col: s.col });

const LINEAR: ReadonlySet<HistoryProblem['code']> = new Set(['TWO_HEADS', 'BROKEN_PARENT']);

/** One finding per problem of the migration directory; all are refusals (exit 3). */
export const historyFindings = (problems: readonly HistoryProblem[], paths: Paths, generatedDir: string): Finding[] =>
  problems.map((p) => ({
    rule: LINEAR.has(p.code) ? 'history-not-linear' : 'history-not-intact',
    level: 'error',
    message: `${p.code}: ${p.message}`,
    ...(p.file ? { location: { file: repoPath(paths, resolve(generatedDir, p.file)), line: 1, col: 1 } } : {}),
  }));

/** `column public.offices.note` from `add column public.offices.note`: the change's object without its verb. */
export const objectOf = (c: Change): string => describeChange(c).replace(/^\S+\s+/, '');

/** One property two versions of an object differ in; the values when they are plain (text, number, flag, null). */
export interface FieldDifference {
  readonly field: string;
  readonly from?: string;
  readonly to?: string;
}

const plain = (v: unknown): string | undefined =>
  v === null ? 'none' : typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/** The top-level properties two versions of an object differ in, sorted by name (`position` is not compared). */
export const changedFields = (c: Change): FieldDifference[] => {
  if (!('from' in c) || !('to' in c)) return [];
  let from = c.from as unknown as Record<string, unknown>;
  let to = c.to as unknown as Record<string, unknown>;
  // A column's NOT NULL constraint name counts only where the user chose it (PostgreSQL 18 names every one).
  if (c.kind === 'alter_column') {
    from = { ...from, notNullName: notNullLabel(c.table.name, c.from) };
    to = { ...to, notNullName: notNullLabel(c.table.name, c.to) };
  }
  return Object.keys(to)
    .filter((k) => k !== 'position' && JSON.stringify(from[k]) !== JSON.stringify(to[k]))
    .sort()
    .map((field) => {
      const [a, b] = [plain(from[field]), plain(to[field])];
      return a !== undefined && b !== undefined ? { field, from: a, to: b } : { field };
    });
};

/** `default is 'UTC'::text, <expected> 'Asia/Tokyo'::text; grants`: what differs, with values where they are plain. */
export const describeFields = (fields: readonly FieldDifference[], expected: string): string =>
  fields.map((f) => (f.from !== undefined ? `${f.field} is ${f.from}, ${expected} ${f.to}` : f.field)).join('; ');

/** Steps from the live database to the migrations: a drop means the database has something extra, and so on. */
export const driftKind = (c: Change): DriftKind => {
  const verb = c.kind.split('_')[0];
  if (verb === 'drop') return 'added';
  if (verb === 'create' || verb === 'add') return 'removed';
  return 'changed';
};

const DRIFT_TEXT: Record<DriftKind, string> = {
  added: 'is in the database but not in the migrations (added by hand)',
  removed: 'is in the migrations but missing from the database (removed by hand)',
  changed: 'differs from the migrations (changed by hand)',
};

const at = (c: Change, sites: Sites, paths: Paths) => {
  const s = siteOfChange(c, sites);
  return s ? { location: siteLocation(paths, s) } : {};
};

/** Drift: one finding per step that would bring the live database back to the migrations. */
export const driftFindings = (steps: readonly Step[], sites: Sites, paths: Paths): Finding[] =>
  steps.map((s) => {
    const kind = driftKind(s.change);
    const fields = kind === 'changed' ? describeFields(changedFields(s.change), 'the migrations say') : '';
    const object = objectOf(s.change);
    return {
      rule: `drift-${kind}`,
      level: 'error',
      message: `${object} ${DRIFT_TEXT[kind]}${fields ? `: ${fields}` : ''}`,
      object,
      fix: s.sql,
      ...at(s.change, sites, paths),
    };
  });

/** Changes schema/ declares that no migration holds. */
export const ungeneratedFindings = (steps: readonly Step[], sites: Sites, paths: Paths): Finding[] =>
  steps.map((s) => ({
    rule: 'ungenerated-change',
    level: 'error',
    message: `schema/ has a change no migration holds: ${describeChange(s.change)}`,
    object: objectOf(s.change),
    ...at(s.change, sites, paths),
  }));
