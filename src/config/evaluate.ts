/**
 * `keikaku.config.ts` evaluated (tsx), or its value as the last evaluation left it when neither the file, nor a
 * module it imports, nor an environment variable it read has changed since. Evaluating TypeScript starts tsx's
 * loader thread (a quarter of a second); a `plan` that finds nothing to do should not pay that on every run.
 *
 * Only plain data is kept (the config is data: strings, numbers, lists), and never a value that came from an
 * environment variable or a password written in the file (a URL with its password): such a config is evaluated
 * every time.
 */
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sha256 } from '../emit/checksum.js';
import { cachingDisabled, keikakuVersion, readEntry, writeEntry } from '../load/cache.js';
import { holdsEnvValue, inputsUnchanged, loadRecorder, projectFiles, recordingEnv, requiredFiles, stampInputs, withImports, type InputStamp } from '../load/inputs.js';
import { pinEsbuild, requireFiles } from '../load/schema-import.js';

interface ConfigEntry {
  readonly version: string;
  readonly inputs: InputStamp;
  readonly value: unknown;
}

const entryName = (file: string) => `config-${sha256(file).slice(0, 16)}`;

/** Only what JSON keeps as it is: objects of plain data, arrays, strings, finite numbers, booleans, null. */
const isPlainData = (v: unknown): boolean => {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every((x) => x !== undefined && isPlainData(x));
  if (typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  if (Object.getOwnPropertySymbols(v).length) return false;
  return Object.values(v as Record<string, unknown>).every((x) => x === undefined || isPlainData(x));
};

/** A URL with a password (`scheme://user:password@`) or a `password=` setting: not copied into the cache. */
const holdsPassword = (text: string): boolean => /:\/\/[^\s"/@]*:[^\s"/@]*@|password\s*=/i.test(text);

let firstEvaluation = true;

/**
 * The last evaluation of each config file in this process, with what it read: a process that evaluates it again
 * (the daemon, a program using the API) reuses it while nothing it read changed — any config, also one the cache
 * on disk may not hold (a secret in it), since this never leaves the process.
 */
const evaluated = new Map<string, { readonly inputs: InputStamp; readonly mod: unknown }>();

/** The config as an ES module import sees it (tsx, on its loader thread). */
const importConfig = async (file: string, parentURL: string, onImport: (url: string) => void): Promise<unknown> => {
  pinEsbuild();
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(pathToFileURL(file).href, { parentURL, onImport });
};

/**
 * A required module as its ES module namespace: a transformed ES module's exports as they are (`default` is its
 * default export), a CommonJS module's `module.exports` as `default`.
 */
const namespaceOf = (exports: unknown): unknown =>
  typeof exports === 'object' && exports !== null && (exports as { __esModule?: unknown }).__esModule === true ? exports : { default: exports };

/**
 * The module namespace of the config file at `file` (its `default` export is the config), from the cache of the
 * project it is in when that is current; `beforeEvaluate` runs only when it is not.
 */
export const evaluateConfig = async (
  file: string,
  o: { readonly parentUrl: string; readonly beforeEvaluate?: (() => Promise<unknown> | void) | undefined },
): Promise<unknown> => {
  const root = dirname(file);
  const name = entryName(file);
  const caching = !cachingDisabled();
  if (caching) {
    const here = evaluated.get(file);
    if (here && inputsUnchanged(here.inputs)) return here.mod;
    const hit = readEntry<ConfigEntry>(root, name);
    if (hit && hit.version === keikakuVersion() && inputsUnchanged(hit.inputs)) return hit.value;
  }
  await o.beforeEvaluate?.();
  // The file is hashed before it is read: one saved while it loads is seen as changed next time.
  const before = caching ? stampInputs([file], []) : null;
  const imports = loadRecorder();
  const {
    value: { mod, files, untracked },
    env,
  } = await recordingEnv(async () => {
    const required = new Set(requiredFiles());
    // `require` first (no loader thread to start: `requireFiles`); a config that cannot be required, or throws,
    // is imported as an ES module, which also reports its error.
    // Only the first evaluation in a process: the runtime keeps what it required, a later one must see changes.
    const viaRequire = firstEvaluation ? await requireFiles([file]) : null;
    firstEvaluation = false;
    const mod = viaRequire ? namespaceOf(viaRequire.exports.get(file)) : await importConfig(file, o.parentUrl, imports.onImport);
    const files = [...(await imports.files()), ...requiredFiles().filter((f) => !required.has(f))];
    return { mod, files, untracked: viaRequire?.untracked ?? false };
  });
  if (caching && !untracked) {
    const plain = { default: (mod as { default?: unknown }).default };
    const text = isPlainData(plain.default) ? JSON.stringify(plain) : null;
    const secret = text === null || holdsEnvValue(text, env) || holdsPassword(text);
    const inputs = before ? withImports(before, [file], [...files, ...projectFiles(root)], env.keys()) : null;
    if (inputs) evaluated.set(file, { inputs, mod });
    if (inputs && !secret) writeEntry(root, name, { version: keikakuVersion(), inputs, value: plain } satisfies ConfigEntry);
  }
  return mod;
};
