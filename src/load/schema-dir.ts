/**
 * The loader: a `schema/` directory of TypeScript files → the declared objects, each with the place it was
 * written, validated and rendered to DDL. Problems are collected, not thrown one at a time: a `SchemaError`
 * lists every one as `file:line:col: error CODE: message`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { dataOf } from '../dsl/brand.js';
import { DIAGNOSTIC_CODES as C, type Diagnostic, diagnostic } from '../dsl/ddl/diagnostic.js';
import { rolesIn } from '../dsl/ddl/roles.js';
import { type DdlScript, isDeclaredKind, renderDeclared } from '../dsl/ddl/script.js';
import { type Declared, LazyMap, lazySite, type Site } from '../dsl/ddl/site.js';
import { renameHints, type RenameHintText } from '../dsl/rename-hints.js';
import { backfillExpressions } from '../dsl/backfills.js';
import { distributions, type Distribution } from '../dsl/distribution.js';
import { sha256 } from '../emit/checksum.js';
import { SchemaError } from './schema-error.js';
import { importSchemaFile, requireSchemaFiles } from './schema-import.js';
import { loadFailure } from './load-failure.js';
import { scanExports } from './export-scan.js';
import { cachingDisabled, readEntry, writeEntry } from './cache.js';
import { exportSites, type ExportSites } from './schema-positions.js';
import { validateDeclared } from './schema-validate.js';

export { SchemaError } from './schema-error.js';
export type { Diagnostic } from '../dsl/ddl/diagnostic.js';
export type { Declared, Site } from '../dsl/ddl/site.js';
export type { RenameHintText } from '../dsl/rename-hints.js';

export interface LoadedSchema {
  /** The directory, absolute. */
  readonly dir: string;
  /** The schema files read, absolute, sorted. */
  readonly files: readonly string[];
  /** Every exported declaration, by file and then by place in the file. */
  readonly declared: readonly Declared[];
  /** The DDL that creates the declared schema in an empty database, statement by statement with their sites. */
  readonly script: DdlScript['statements'];
  /** Extensions the script creates (what an embedded shadow must load). */
  readonly extensions: readonly string[];
  /** Roles the script grants to or names in policies (an embedded shadow creates them). */
  readonly roles: readonly string[];
  /**
   * `renamedFrom` hints in `--rename` syntax, each with its site. Whether an old name exists is for the caller to
   * check against the current schema.
   */
  readonly renameHints: readonly RenameHintText[];
  /** `.backfill(sql\`…\`)` declared on columns: column key → expression (for the phased plan). */
  readonly backfills: ReadonlyMap<string, string>;
  /** Citus distribution declared on tables, by table key (untested; docs/distributed.md). */
  readonly distributions: ReadonlyMap<string, Distribution>;
}

export interface LoadOptions {
  /** Diagnostics name files relative to this directory when they are inside it (default: `process.cwd()`). */
  readonly cwd?: string;
  /**
   * A project root whose cache keeps where each file's exports are (by the file's content): an unchanged file is
   * not scanned again (`export-scan.ts`, ~0.1 s for 1,000 tables).
   */
  readonly cacheRoot?: string | undefined;
}

/** `.ts` files under `dir`, recursively, sorted; declaration files, dot-files and node_modules are skipped. */
export const schemaFiles = (dir: string): string[] => {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.(ts|mts|cts)$/.test(entry.name) && !/\.d\.[mc]?ts$/.test(entry.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
};

/**
 * A cheap fingerprint of schema/ (each file's path, size and modification time), to guess before loading whether
 * it changed since the last normalization; null when it cannot be read.
 */
export const schemaStamp = (dir: string): string | null => {
  try {
    return sha256(JSON.stringify(schemaFiles(dir).map((f) => {
      const st = statSync(f);
      return [f, st.size, st.mtimeMs];
    })));
  } catch {
    return null;
  }
};

/** Content hash of each file when it was imported the plain way (once per process, then cached by the runtime). */
const imported = new Map<string, string>();

/**
 * `undefined` when the files can be imported the plain way (none changed since this process imported it);
 * otherwise a hash of all their contents, under which they are imported afresh.
 */
const freshGeneration = (files: readonly string[], texts: ReadonlyMap<string, string>): string | undefined => {
  const hashes = files.map((f) => sha256(texts.get(f)!));
  if (files.some((f, i) => imported.has(f) && imported.get(f) !== hashes[i])) return sha256(JSON.stringify([files, hashes]));
  files.forEach((f, i) => imported.set(f, hashes[i]!));
  return undefined;
};

const displayName = (file: string, cwd: string): string => {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
};

/**
 * Reads every `.ts` file under `dir` (evaluated at run time, no build step), collects the exported declarations
 * with their sites, checks them, and renders the DDL.
 * @throws SchemaError (exit 1) listing every problem: a file that throws, duplicate names, a reference to a
 *   missing column or an undeclared object, a declaration that cannot be rendered.
 */
export const loadSchemaDir = async (dir: string, options: LoadOptions = {}): Promise<LoadedSchema> => {
  const cwd = resolve(options.cwd ?? process.cwd());
  const root = resolve(cwd, dir);
  const shown = (f: string) => displayName(f, cwd);
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new SchemaError([diagnostic(C.noSchemaFiles, { file: shown(root), line: 1, col: 1 }, `no schema directory ${shown(root)}; create it or set schemaDir in keikaku.config.ts`)]);
  const files = schemaFiles(root);

  const problems: Diagnostic[] = [];
  const modules: { file: string; exports: Record<string, unknown> }[] = [];
  // Each file is read once: its text decides the module generation and places its exports.
  const texts = new Map(files.map((f) => [f, readFileSync(f, 'utf8')]));
  const required = await requireSchemaFiles(files, texts);
  const generation = required ? undefined : freshGeneration(files, texts);
  for (const file of files) {
    try {
      modules.push({ file, exports: required?.get(file) ?? (await importSchemaFile(file, generation)) });
    } catch (error) {
      const { line, col, message, excerpt } = loadFailure(error, file, texts.get(file)!, shown, files);
      problems.push(diagnostic(C.evaluationFailed, { file: shown(file), line, col }, message, excerpt));
    }
  }

  const scans = keptScans(options.cacheRoot, root);
  // A value exported from several files (re-exports) is declared where its own file has the `export const`.
  const byData = new Map<object, Declared>();
  const fallback = new Map<object, Declared>();
  for (const { file, exports } of modules) {
    const text = texts.get(file)!;
    const name = shown(file);
    // The tokenizer places each export (enough for order and most messages); the syntax tree, for the parts'
    // positions, is built only if a message needs one.
    const scanned = scans.scan(text, name);
    let tree: Map<string, ExportSites> | undefined;
    const precise = () => (tree ??= exportSites(text, name));
    for (const [exportName, value] of Object.entries(exports)) {
      const data = dataOf(value);
      if (!data || !isDeclaredKind(data.kind) || byData.has(data)) continue;
      const s = scanned.get(exportName);
      const site: Site = s ?? lazySite(name, () => precise().get(exportName)?.site ?? { file: name, line: 1, col: 1 });
      const parts = new LazyMap(() => precise().get(exportName)?.parts ?? new Map<string, Site>());
      const declared: Declared = { data, exportName, site, parts };
      if (s) byData.set(data, declared);
      else if (!fallback.has(data)) fallback.set(data, declared);
    }
  }
  for (const [data, d] of fallback) if (!byData.has(data)) byData.set(data, d);
  scans.save();
  const order = new Map(files.map((f, i) => [shown(f), i]));
  const declared = [...byData.values()].sort(
    (a, b) => order.get(a.site.file)! - order.get(b.site.file)! || a.site.line - b.site.line || a.site.col - b.site.col,
  );

  problems.push(...validateDeclared(declared));
  const script = renderDeclared(declared);
  problems.push(...script.problems);
  const hints = renameHints(declared);
  problems.push(...hints.problems);
  const distributed = distributions(declared);
  problems.push(...distributed.problems);
  if (problems.length) throw new SchemaError(dedupe(problems));

  return {
    dir: root,
    files,
    declared,
    script: script.statements,
    extensions: declared.filter((d) => d.data.kind === 'extension').map((d) => (d.data as unknown as { name: string }).name).sort(),
    roles: rolesIn(declared),
    renameHints: hints.hints,
    backfills: backfillExpressions(declared),
    distributions: distributed.byTable,
  };
};

interface ScanEntry {
  readonly version: 1;
  /** sha256 of a file's text → its exports: name, line, column. */
  readonly files: Readonly<Record<string, readonly (readonly [string, number, number])[]>>;
}

/**
 * `scanExports`, with the results kept in the cache by each file's content (the last load's files only). Without a
 * cache root, every file is scanned.
 */
const keptScans = (cacheRoot: string | undefined, dir: string) => {
  const name = `exports-${sha256(dir).slice(0, 16)}`;
  const caching = cacheRoot !== undefined && !cachingDisabled();
  const kept = caching ? readEntry<ScanEntry>(cacheRoot, name) : null;
  const before = kept?.version === 1 && typeof kept.files === 'object' && kept.files !== null ? kept.files : {};
  const now: Record<string, readonly (readonly [string, number, number])[]> = {};
  let changed = false;
  return {
    scan: (text: string, file: string): Map<string, Site> => {
      const hash = sha256(text);
      const hit = before[hash];
      if (Array.isArray(hit) && hit.every((e) => Array.isArray(e) && typeof e[0] === 'string' && Number.isInteger(e[1]) && Number.isInteger(e[2]))) {
        now[hash] = hit;
        return new Map(hit.map(([n, line, col]) => [n, { file, line, col }]));
      }
      const scanned = scanExports(text, file);
      now[hash] = [...scanned].map(([n, s]) => [n, s.line, s.col] as const);
      changed = true;
      return scanned;
    },
    save: (): void => {
      if (caching && (changed || Object.keys(now).length !== Object.keys(before).length)) writeEntry(cacheRoot, name, { version: 1, files: now } satisfies ScanEntry);
    },
  };
};

/** The same problem found twice (a reference seen by two renderers) is reported once. */
const dedupe = (ds: readonly Diagnostic[]): Diagnostic[] => {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.file}:${d.line}:${d.col}:${d.code}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
};
