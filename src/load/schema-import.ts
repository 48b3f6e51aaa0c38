/**
 * Evaluates TypeScript schema files at run time with no build step. tsx's loader hooks (esbuild) are registered
 * once per process for both module systems: a project without `"type": "module"` runs its `.ts` files as
 * CommonJS, and imports between schema files (`./offices.js` → `offices.ts`) must resolve either way. A schema
 * file imports `keikaku` like any package: the project's own dependency, or this package itself by name.
 *
 * A process's first load tries `require` first (`requireSchemaFiles`): tsx's CommonJS hooks run on this thread,
 * while its ES module hooks run on a loader thread of their own, which takes a quarter of a second to start and a
 * round trip per module. What cannot be required (top-level `await`, an ES module that awaits) and any file that
 * throws are imported as ES modules instead, which also gives an error its exact position.
 *
 * Modules are cached by the runtime, so each file is evaluated once per process. A process that loads schema/
 * again after its files changed (a test, a long-running tool) names a *generation*: its files are then imported
 * in a module namespace of their own, so it sees the new code (imports between them included). Only then: error
 * positions in a namespace are less exact than in the first, plain import.
 */
import Module, { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { types } from 'node:util';
import { sha256 } from '../emit/checksum.js';
import { loadRecorder, recordingEnv } from './inputs.js';

let registered: Promise<void> | undefined;
let cjsRegistered: Promise<void> | undefined;
/** Whether a load went through `require` in this process. */
let required = false;
/** Whether that load met an ES module outside node_modules (through `require(esm)`), whose imports are not listed. */
let untracked = false;

/** Every file the loader has loaded as ES module in this process (schema files and what they import). */
const loaded = loadRecorder();

/** This package's root: a directory that exists as long as keikaku runs. */
const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `fn()` run with the working directory at this package's root, then put back. Synchronous: nothing else runs
 * meanwhile.
 */
const inPackageDir = <T>(fn: () => T): T => {
  let here: string;
  try {
    here = process.cwd();
    process.chdir(PACKAGE_ROOT);
  } catch {
    return fn();
  }
  try {
    return fn();
  } finally {
    process.chdir(here);
  }
};

let pinned = false;
/**
 * esbuild loaded once from this package's root (`inPackageDir`), before tsx imports it on this thread. esbuild
 * keeps the directory it was loaded in and starts its service process there, maybe much later: a project
 * directory removed in between (a long-running process that moved on to another project) would fail every later
 * transform. Only esbuild: tsx itself reads the project's tsconfig.json from the working directory.
 */
export const pinEsbuild = (): void => {
  if (pinned) return;
  pinned = true;
  try {
    inPackageDir(() => createRequire(import.meta.resolve('tsx/esm/api'))('esbuild'));
  } catch {
    // tsx loads it itself.
  }
};

const registerCjs = (): Promise<void> =>
  (cjsRegistered ??= (async () => {
    pinEsbuild();
    const cjs = await import('tsx/cjs/api');
    cjs.register();
  })());

const registerLoader = (): Promise<void> =>
  (registered ??= (async () => {
    pinEsbuild();
    const [esm] = await Promise.all([import('tsx/esm/api'), registerCjs()]);
    esm.register({ onImport: loaded.onImport });
  })());

/**
 * Whether no schema file was imported in this process yet. A later load may meet modules the runtime kept from an
 * earlier one (a file outside schema/ that changed since is not evaluated again), so only a first load is a
 * faithful record of what its files say.
 */
export const firstLoad = (): boolean => registered === undefined && !required;

/**
 * Whether the next load of schema files will be required (`requireSchemaFiles`) if its files can be, which makes
 * it as faithful a record of what its files say as a first load.
 */
export const requiresAgain = (): boolean => firstLoad() || (kept !== null && !untracked && process.env.KEIKAKU_SCHEMA_IMPORT !== 'esm');

/** The files loaded as ES modules through the loader so far in this process (a superset of what schema/ imports). */
export const importedFiles = (): Promise<ReadonlySet<string>> => loaded.files();

/**
 * Whether a load met a module whose own imports are not known (an ES module required natively outside
 * node_modules): what it read cannot be listed, so the load is not kept for reuse.
 */
export const untrackedImports = (): boolean => untracked;

/** This package's own modules (`keikaku` imported by a schema file of this repository, or through a link). */
const OWN_MODULES = [join(PACKAGE_ROOT, 'dist') + sep, join(PACKAGE_ROOT, 'src') + sep];

/** A module of the project: not in node_modules, not this package's own. */
const projectModule = (path: string): boolean =>
  isAbsolute(path) && !/[\\/]node_modules[\\/]/.test(path) && !OWN_MODULES.some((d) => path.startsWith(d));

/**
 * A required module's exports as `importSchemaFile` gives them, by name in the order of an ES module namespace
 * (sorted): a transformed ES module's as they are; a CommonJS module's `module.exports` spread when it is a plain
 * object of values, else (a function, a DSL value) as `default`.
 */
const sortedExports = (exports: unknown): Record<string, unknown> => {
  const object = typeof exports === 'object' && exports !== null;
  const esModule = object && (exports as { __esModule?: unknown }).__esModule === true;
  if (!esModule && !(object && Object.getOwnPropertySymbols(exports).length === 0)) return { default: exports };
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(exports as object).sort()) out[k] = (exports as Record<string, unknown>)[k];
  return out;
};

/**
 * `require('keikaku')` of a file that resolves to this very package (a schema of this repository, or a project
 * that links it) gets the DSL this process runs, as `import` would: not a second copy of it transformed to
 * CommonJS module by module. An installed `keikaku` elsewhere is required as it is.
 */
const shareOwnModules = async (require: NodeJS.Require): Promise<void> => {
  const index = fileURLToPath(new URL('../index.js', import.meta.url));
  if (require.cache[index]) return;
  let own: object;
  try {
    own = (await import(new URL('../index.js', import.meta.url).href)) as object;
  } catch {
    return; // only a second copy of the DSL to load
  }
  const m = new Module(index);
  m.filename = index;
  m.loaded = true;
  m.exports = own;
  require.cache[index] = m;
};

type Resolve = (request: string, parent: Module | undefined, isMain: boolean, options?: unknown) => string;
const cjs = Module as unknown as { _resolveFilename: Resolve };

/**
 * While files are required, what needs no doing when they load: source maps (positions are for errors, and a
 * file that throws is imported again as an ES module, which has them: `requireSchemaFiles`), and resolving the same
 * request from the same directory again (each schema file imports `keikaku`). Returns the undo.
 */
const quickRequire = (): (() => void) => {
  const maps = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  const resolve = cjs._resolveFilename;
  const resolved = new Map<string, string>();
  const memo: Resolve = function (this: unknown, request, parent, isMain, options) {
    const from = parent?.filename;
    if (options !== undefined || typeof from !== 'string') return resolve.call(this, request, parent, isMain, options);
    // Resolution reads the parent's directory (node_modules, package scope, tsconfig) and, in tsx, its extension.
    const key = `${dirname(from)}\0${extname(from)}\0${request}`;
    let path = resolved.get(key);
    if (path === undefined) {
      path = resolve.call(this, request, parent, isMain, options);
      resolved.set(key, path);
    }
    return path;
  };
  cjs._resolveFilename = memo;
  return () => {
    if (cjs._resolveFilename === memo) cjs._resolveFilename = resolve;
    process.setSourceMapsEnabled(maps);
  };
};

/** Why the last `requireFiles` returned null. */
let lastRequireFailure: unknown;

/**
 * Whether `error` says the files cannot be required at all (top-level `await`), as opposed to a file that threw
 * this time: then requiring them again is only a second evaluation.
 */
const neverRequirable = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_REQUIRE_ASYNC_MODULE' || (error instanceof Error && /top-level await/i.test(error.message));
};

/**
 * Each file's `module.exports` loaded with `require` (tsx's CommonJS hooks, registered on first use); null when one
 * cannot be loaded that way or throws. `untracked`: an ES module outside node_modules was required natively, whose
 * own imports are not listed among the files loaded.
 */
export const requireFiles = async (files: readonly string[]): Promise<{ readonly exports: Map<string, unknown>; readonly untracked: boolean } | null> => {
  if (process.env.KEIKAKU_SCHEMA_IMPORT === 'esm') return null;
  await registerCjs();
  const require = createRequire(import.meta.url);
  await shareOwnModules(require);
  const before = new Set(Object.keys(require.cache));
  const exports = new Map<string, unknown>();
  const restore = quickRequire();
  try {
    for (const file of files) exports.set(file, require(file));
  } catch (e) {
    lastRequireFailure = e;
    return null;
  } finally {
    restore();
  }
  let esm = false;
  for (const [path, m] of Object.entries(require.cache)) {
    if (!before.has(path) && m && types.isModuleNamespaceObject(m.exports) && projectModule(path)) esm = true;
  }
  return { exports, untracked: esm };
};

let lastWay: 'require' | 'import' = 'import';

/** How the last load of schema files had them: all required, or imported as ES modules (for `KEIKAKU_DEBUG`). */
export const lastLoadWay = (): 'require' | 'import' => lastWay;

/**
 * The modules the last load required for schema/ and what they were made of: each project file reachable from a
 * schema file (not node_modules, not this package) with the hash of its content, and the variables their
 * evaluation read. A later load evaluates again only the modules whose file changed and those that import them
 * (`requireSchemaFiles`); null before the first load, and once a load met an ES module it cannot follow.
 */
let kept: { readonly files: Map<string, string>; readonly env: ReadonlyMap<string, string | undefined> } | null = null;

const contentHash = (file: string): string | null => {
  try {
    return sha256(readFileSync(file));
  } catch {
    return null;
  }
};

/** The project modules reachable from `roots` through what each required (`module.children`). */
const reachable = (cache: NodeJS.Require['cache'], roots: readonly string[]): Set<string> => {
  const seen = new Set<string>();
  const stack = roots.filter((r) => cache[r]);
  while (stack.length) {
    const path = stack.pop()!;
    if (seen.has(path) || !projectModule(path)) continue;
    seen.add(path);
    for (const child of cache[path]?.children ?? []) stack.push(child.id);
  }
  return seen;
};

/**
 * The kept modules that must be evaluated again: those whose file changed or is gone, and every kept module that
 * imports one of them (a module holds its imports' values). All of them when a variable their evaluation read
 * changed.
 */
const staleModules = (cache: NodeJS.Require['cache']): Set<string> => {
  if (!kept) return new Set();
  const all = new Set(kept.files.keys());
  for (const [name, value] of kept.env) if (process.env[name] !== value) return all;
  const stale = new Set<string>();
  for (const [file, hash] of kept.files) if (contentHash(file) !== hash || !cache[file]) stale.add(file);
  if (stale.size === 0) return stale;
  const importers = new Map<string, string[]>();
  for (const file of all)
    for (const child of cache[file]?.children ?? []) {
      const list = importers.get(child.id) ?? [];
      list.push(file);
      importers.set(child.id, list);
    }
  const stack = [...stale];
  while (stack.length)
    for (const parent of importers.get(stack.pop()!) ?? [])
      if (!stale.has(parent)) {
        stale.add(parent);
        stack.push(parent);
      }
  return stale;
};

/** Removes `files` from the runtime's module cache, and from the lists of what their importers required. */
const evict = (cache: NodeJS.Require['cache'], files: Iterable<string>): void => {
  const gone = new Set(files);
  for (const file of gone) delete cache[file];
  for (const m of Object.values(cache)) if (m?.children.some((c) => gone.has(c.id))) m.children = m.children.filter((c) => !gone.has(c.id));
};

/**
 * The exports of every schema file, loaded with `require` (`requireFiles`); null when any file cannot be loaded
 * that way or throws — the caller then imports them as ES modules (which reports a failure at its place).
 *
 * A process's later load requires again only what changed: the modules whose file changed since the last load,
 * and every module that imports one of them, are evicted from the runtime's cache and evaluated again; the rest
 * keep the values they had (the DSL's values are immutable). Schema files are hashed before they are required
 * (from `texts`, what the caller read of them, when given), so a file saved while it loads is seen as changed next
 * time. After a load that failed, the next one evaluates every
 * module again. After one that cannot be required at all (top-level `await`), or met an ES module it cannot
 * follow (`untrackedImports`), schema files are imported as ES modules from then on, as they are in a process
 * whose first load was imported.
 */
export const requireSchemaFiles = async (files: readonly string[], texts?: ReadonlyMap<string, string>): Promise<Map<string, Record<string, unknown>> | null> => {
  lastWay = 'import';
  if (!firstLoad() && !kept) return null;
  required = true;
  const cache = createRequire(import.meta.url).cache;
  const before = new Map(files.map((f) => [f, texts?.has(f) ? sha256(texts.get(f)!) : contentHash(f)]));
  const stale = staleModules(cache);
  evict(cache, stale);
  const present = new Set(Object.keys(cache));
  const { value: r, env } = await recordingEnv(() => requireFiles(files));
  if (!r) {
    // What the failed load evaluated may be half done: the next load evaluates every module again.
    evict(cache, [...(kept?.files.keys() ?? []), ...Object.keys(cache).filter((f) => !present.has(f) && projectModule(f))]);
    kept = neverRequirable(lastRequireFailure) ? null : { files: new Map(), env: new Map() };
    return null;
  }
  untracked ||= r.untracked;
  if (untracked) kept = null;
  else {
    const next = new Map<string, string>();
    for (const file of reachable(cache, files)) {
      const hash = before.get(file) ?? (stale.has(file) ? undefined : kept?.files.get(file)) ?? contentHash(file);
      if (hash !== null && hash !== undefined) next.set(file, hash);
    }
    // Variables read by modules kept as they were still count; none when every module was evaluated again.
    const everything = kept !== null && stale.size === kept.files.size;
    kept = { files: next, env: new Map([...(everything ? [] : (kept?.env ?? [])), ...env]) };
  }
  lastWay = 'require';
  return new Map([...r.exports].map(([f, e]) => [f, sortedExports(e)]));
};

const scoped = new Map<string, Promise<(specifier: string, parent: string) => Promise<unknown>>>();

const scopedImport = (generation: string) => {
  let entry = scoped.get(generation);
  if (!entry) {
    pinEsbuild();
    entry = import('tsx/esm/api').then((esm) => esm.register({ namespace: `keikaku-${generation}`, onImport: loaded.onImport }).import);
    scoped.set(generation, entry);
  }
  return entry;
};

/**
 * The module's exports; a CommonJS module's `module.exports` when that is all the namespace holds.
 * @param generation when given, a hash of the content of the whole schema/: the files are imported in a module
 *   namespace of that generation (they share modules with each other, not with earlier loads).
 */
export const importSchemaFile = async (file: string, generation?: string): Promise<Record<string, unknown>> => {
  await registerLoader();
  const url = pathToFileURL(file).href;
  const ns = (
    generation === undefined ? await import(url) : await (await scopedImport(generation))(url, import.meta.url)
  ) as Record<string, unknown>;
  const keys = Object.keys(ns);
  const dflt = ns.default;
  const cjsExports =
    keys.every((k) => k === 'default' || k === 'module.exports') &&
    typeof dflt === 'object' && dflt !== null && !Object.getOwnPropertySymbols(dflt).length;
  return cjsExports ? { ...(dflt as Record<string, unknown>) } : ns;
};

/** `file:line:col` of the first stack frame in `file`, for an error thrown while the file was evaluated. */
export const errorPosition = (error: unknown, file: string): { line: number; col: number } | undefined => firstFrameIn(error, [file]);

/** The first frame of `error`'s stack in one of `files`, with its 1-based position. */
export const firstFrameIn = (error: unknown, files: readonly string[]): { file: string; line: number; col: number } | undefined => {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const places = files.map((file) => ({ file, url: pathToFileURL(file).href }));
  for (const line of stack.split('\n')) {
    for (const { file, url } of places) {
      const at = line.indexOf(url) >= 0 ? line.indexOf(url) + url.length : line.indexOf(file) >= 0 ? line.indexOf(file) + file.length : -1;
      if (at < 0) continue;
      const m = /^(?:\?[^:]*)?:(\d+):(\d+)/.exec(line.slice(at));
      if (m) return { file, line: Number(m[1]), col: Number(m[2]) };
    }
  }
  return undefined;
};
