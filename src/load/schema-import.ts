/**
 * Evaluates TypeScript schema files at run time with no build step. tsx's loader hooks (esbuild) are registered
 * once per process for both module systems: a project without `"type": "module"` runs its `.ts` files as
 * CommonJS, and imports between schema files (`./offices.js` → `offices.ts`) must resolve either way. A schema
 * file imports `keikaku` like any package: the project's own dependency, or this package itself by name.
 *
 * Modules are cached by the runtime, so each file is evaluated once per process.
 */
import { pathToFileURL } from 'node:url';

let registered: Promise<void> | undefined;

const registerLoader = (): Promise<void> =>
  (registered ??= (async () => {
    const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
    esm.register();
    cjs.register();
  })());

/** The module's exports; a CommonJS module's `module.exports` when that is all the namespace holds. */
export const importSchemaFile = async (file: string): Promise<Record<string, unknown>> => {
  await registerLoader();
  const ns = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
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
