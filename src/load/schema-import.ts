/**
 * Evaluates TypeScript schema files at run time with no build step. tsx's loader hooks (esbuild) are registered
 * once per process for both module systems: a project without `"type": "module"` runs its `.ts` files as
 * CommonJS, and imports between schema files (`./offices.js` → `offices.ts`) must resolve either way. A schema
 * file imports `keikaku` like any package: the project's own dependency, or this package itself by name.
 *
 * Modules are cached by the runtime, so each file is evaluated once per process. A process that loads schema/
 * again after its files changed (a test, a long-running tool) names a *generation*: its files are then imported
 * in a module namespace of their own, so it sees the new code (imports between them included). Only then: error
 * positions in a namespace are less exact than in the first, plain import.
 */
import { pathToFileURL } from 'node:url';
import { loadRecorder } from './inputs.js';

let registered: Promise<void> | undefined;

/** Every file the loader has loaded as ES module in this process (schema files and what they import). */
const loaded = loadRecorder();

const registerLoader = (): Promise<void> =>
  (registered ??= (async () => {
    const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
    esm.register({ onImport: loaded.onImport });
    cjs.register();
  })());

/**
 * Whether no schema file was imported in this process yet. A later load may meet modules the runtime kept from an
 * earlier one (a file outside schema/ that changed since is not evaluated again), so only a first load is a
 * faithful record of what its files say.
 */
export const firstLoad = (): boolean => registered === undefined;

/** The files loaded as ES modules through the loader so far in this process (a superset of what schema/ imports). */
export const importedFiles = (): Promise<ReadonlySet<string>> => loaded.files();

const scoped = new Map<string, Promise<(specifier: string, parent: string) => Promise<unknown>>>();

const scopedImport = (generation: string) => {
  let entry = scoped.get(generation);
  if (!entry) {
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
export const errorPosition = (error: unknown, file: string): { line: number; col: number } | undefined => {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const url = pathToFileURL(file).href;
  for (const line of stack.split('\n')) {
    const at = line.indexOf(url) >= 0 ? line.indexOf(url) + url.length : line.indexOf(file) >= 0 ? line.indexOf(file) + file.length : -1;
    if (at < 0) continue;
    const m = /^(?:\?[^:]*)?:(\d+):(\d+)/.exec(line.slice(at));
    if (m) return { line: Number(m[1]), col: Number(m[2]) };
  }
  return undefined;
};
