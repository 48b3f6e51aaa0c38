/**
 * `check`, the CI gate (DESIGN §4): (a) the migration directory is intact and linear; (b) schema/ has no change
 * that `generate` has not written; (c) with a database: nothing pending and no drift. Returns findings; the CLI
 * prints them in the format asked for.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ResolvedConfig } from '../config/index.js';
import { maskUrl } from '../db/url.js';
import { diff } from '../diff/index.js';
import { readHistory, upFiles, type History, type Migration } from '../load/migrations.js';
import { plan } from '../plan/index.js';
import { diffWithHistory } from '../project/diff.js';
import { driftFindings, historyFindings, repoPath, ungeneratedFindings, type Paths } from './findings.js';
import { headFileFindings } from './head-file.js';
import { readLive, readTenantLive, type LiveShadow, type LiveState, type ReplayMemo } from './live.js';
import { declaredSites } from './sites.js';
import type { CheckReport, Finding, SectionState } from './types.js';

export type { CheckReport, Finding, Location, CheckRule, DriftKind } from './types.js';
export { CHECK_RULES } from './types.js';
export type { ReplayMemo } from './live.js';

/** One hazard `keikaku lint` finds in a SQL text: what a linter hands to `check`. */
export interface LintFinding {
  readonly line: number;
  readonly col?: number;
  readonly rule: string;
  readonly hazard: string;
  readonly message: string;
  /** `error`: refuses a file a person wrote (hand-written migration, hand edit) unless its hazard is allowed. */
  readonly severity?: 'error' | 'warning';
}

/**
 * Lints one SQL file's text; `file` names it in messages; `context` is the SQL that ran before it, file by file
 * (the earlier migrations' up files, and for a down file its own migration's too), so a linter knows which tables
 * exist.
 */
export type Linter = (sql: string, file: string, context: readonly string[]) => Promise<readonly LintFinding[]> | readonly LintFinding[];

export interface CheckOptions {
  /** The live database to check for pending migrations and drift; none: parts (a) and (b) only. */
  readonly databaseUrl?: string | undefined;
  /** Where live and migration schemas are brought to one version (see `readLive`). */
  readonly liveShadow?: LiveShadow;
  /**
   * Runs on every migration file. Findings in generated files are warnings (the exit code does not change); in
   * files a person wrote (`generate --empty`, an edit recorded by `rehash` or not yet signed) an error-level
   * finding whose hazard is not in `allowHazards` refuses (exit 3), as `generate` refuses such a hazard.
   */
  readonly lint?: Linter | undefined;
  /** Hazards allowed without a `-- keikaku:allow` (the gate's defaults and the config's `allowHazards`). */
  readonly allowHazards?: readonly string[];
}

/** The repository root (the nearest directory with `.git` above the project), else the project root. */
export const findRepoRoot = (start: string): string => {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return start;
  }
};

/** Migration files a person wrote: `<id>/<file>` of hand-written migrations, recorded edits and unsigned edits. */
const personal = (m: Migration, f: string, unsigned: ReadonlySet<string>): boolean =>
  m.plan.handWritten === true || (m.plan.edited ?? []).includes(f) || unsigned.has(`${m.id}/${f}`);

const lintFindings = async (history: History, lint: Linter, paths: Paths, allowHazards: readonly string[]): Promise<Finding[]> => {
  const out: Finding[] = [];
  const before: string[] = [];
  const unsigned = new Set(history.problems.filter((p) => p.code === 'FILE_EDITED' || p.code === 'FILE_ADDED').map((p) => (p.file ?? '').replace(/^migrations\//, '')));
  for (const m of history.migrations) {
    const ups = upFiles(m).map((f) => m.files.get(f)!);
    for (const f of [...m.files.keys()].filter((x) => x.endsWith('.sql')).sort()) {
      const file = repoPath(paths, join(m.dir, f));
      const context = f.endsWith('.down.sql') ? [...before, ...ups] : [...before];
      const strict = personal(m, f, unsigned);
      for (const x of await lint(m.files.get(f)!, file, context)) {
        const refused = strict && x.severity === 'error' && !allowHazards.includes(x.hazard);
        out.push({
          rule: refused ? 'lint-refused' : 'lint',
          level: refused ? 'error' : 'warning',
          message: `${x.hazard} (${x.rule}): ${x.message}${refused ? ` (in ${m.plan.handWritten ? 'a hand-written migration' : 'a hand edit'}; acknowledge it with \`-- keikaku:allow ${x.rule}\` above the statement after review)` : ''}`,
          location: { file, line: x.line, col: x.col ?? 1 },
        });
      }
    }
    before.push(...ups);
  }
  return out;
};

/** Part (b): the declared schema, and generated/head.json, against the history replayed in the shadow. */
const schemaFindings = async (config: ResolvedConfig, migrations: readonly Migration[], paths: Paths) => {
  const { steps, desired, current } = await diffWithHistory(config, migrations);
  const sites = declaredSites(desired.declared ?? []);
  // head.json records the embedded shadow's head: a replay on a server is not compared with it.
  const head = config.shadowUrl ? [] : headFileFindings(config.generatedDir, migrations, current, paths);
  return { findings: [...ungeneratedFindings(steps, sites, paths), ...head], sites };
};

/** Part (c): the journal against the directory, and the live schema against its applied phases. */
const databaseFindings = (live: LiveState, sites: ReturnType<typeof declaredSites>, paths: Paths, config: ResolvedConfig): Finding[] => {
  const out: Finding[] = [];
  for (const m of live.journal.mismatches)
    out.push({
      rule: 'history-not-intact',
      level: 'error',
      message: m.message,
      ...(m.file ? { location: { file: repoPath(paths, join(config.generatedDir, 'migrations', m.migration, m.file)), line: 1, col: 1 } } : {}),
    });
  for (const i of live.journal.issues) {
    const location = { file: repoPath(paths, join(config.generatedDir, 'migrations', i.migration, i.file)), line: 1, col: 1 };
    out.push(
      i.state === 'pending'
        ? { rule: 'pending-migration', level: 'error', message: `${i.migration} phase ${i.phase} is not applied${live.journal.hasJournal ? '' : ' (the database has no keikaku journal)'}`, location }
        : { rule: 'migration-failed', level: 'error', message: `${i.migration} phase ${i.phase} is ${i.state}${i.error ? `: ${i.error}` : ''}`, location },
    );
  }
  out.push(...driftFindings(plan(diff(live.live, live.expected)).steps, sites, paths));
  return out;
};

const state = (fs: readonly Finding[]): SectionState => (fs.some((f) => f.level === 'error') ? 'failed' : 'ok');

export const check = async (config: ResolvedConfig, options: CheckOptions = {}): Promise<CheckReport> => (await checkProject(config, options)).report;

/** What a fleet's `check` needs to check more databases against one repository check (see `checkDatabase`). */
export interface RepositoryChecked {
  readonly report: CheckReport;
  /** Absent when the history was refused (nothing else was checked). */
  readonly sites?: ReturnType<typeof declaredSites>;
  readonly migrations: readonly Migration[];
}

/**
 * Part (c) for one more database, after `checkProject` checked the repository once: its findings (pending,
 * failed, not intact, drift), located as `check` locates them.
 */
export const checkDatabase = async (
  config: ResolvedConfig,
  repository: RepositoryChecked,
  databaseUrl: string,
  liveShadow?: LiveShadow,
  /** `check --schemas`: this tenant schema of the database, against its template (one `memo` per fleet run). */
  tenant?: { readonly schema: string; readonly template: string; readonly memo: ReplayMemo },
): Promise<{ readonly target: string; readonly findings: readonly Finding[] }> => {
  const paths: Paths = { root: config.root, repoRoot: findRepoRoot(config.root) };
  const options = { shadow: liveShadow, cacheRoot: config.root };
  const live = tenant ? await readTenantLive(databaseUrl, repository.migrations, tenant, tenant.memo, options) : await readLive(databaseUrl, repository.migrations, options);
  const head = { file: repoPath(paths, join(config.generatedDir, 'schema.sql')), line: 1, col: 1 };
  const findings = databaseFindings(live, repository.sites ?? new Map(), paths, config).map((f) => (f.location ? f : { ...f, location: head }));
  return { target: live.target, findings };
};

/** `check`, keeping what a fleet needs to check more databases with `checkDatabase`. */
export const checkProject = async (config: ResolvedConfig, options: CheckOptions = {}): Promise<RepositoryChecked> => {
  const paths: Paths = { root: config.root, repoRoot: findRepoRoot(config.root) };
  const history = readHistory(config.generatedDir);
  const lint = options.lint ? await lintFindings(history, options.lint, paths, options.allowHazards ?? []) : [];
  const lintRefused = lint.some((f) => f.rule === 'lint-refused');
  const notes: Finding[] = historyFindings(history.notes ?? [], paths, config.generatedDir).map((f) => ({ ...f, rule: 'plan-md-edited', level: 'warning' }));
  const refused = historyFindings(history.problems, paths, config.generatedDir);
  const target = options.databaseUrl ? { target: maskUrl(options.databaseUrl) } : {};
  if (refused.length)
    return {
      migrations: history.migrations,
      report: {
        ...target,
        migrations: history.migrations.length,
        sections: { history: 'failed', schema: 'skipped', database: 'skipped' },
        findings: [...refused, ...notes, ...lint],
        exitCode: 3,
      },
    };

  const [schema, live] = await Promise.all([
    schemaFindings(config, history.migrations, paths),
    options.databaseUrl ? readLive(options.databaseUrl, history.migrations, { shadow: options.liveShadow, cacheRoot: config.root }) : undefined,
  ]);
  const database = live ? databaseFindings(live, schema.sites, paths, config) : [];
  // An object schema/ does not declare (a table added by hand, one dropped from schema/) is pointed at the file
  // that records the migrations' schema: code scanning wants a location for every result.
  const head = { file: repoPath(paths, join(config.generatedDir, 'schema.sql')), line: 1, col: 1 };
  const located = (fs: readonly Finding[]) => fs.map((f) => (f.location ? f : { ...f, location: head }));
  const findings = [...located(schema.findings), ...located(database), ...notes, ...lint];
  const stale = database.some((f) => f.rule === 'history-not-intact');
  const errors = findings.some((f) => f.level === 'error');
  return {
    migrations: history.migrations,
    sites: schema.sites,
    report: {
      ...(live ? { target: live.target, normalization: live.normalization } : {}),
      migrations: history.migrations.length,
      sections: { history: stale ? 'failed' : 'ok', schema: state(schema.findings), database: live ? state(database) : 'skipped' },
      findings,
      exitCode: stale || lintRefused ? 3 : errors ? 2 : 0,
    },
  };
};
