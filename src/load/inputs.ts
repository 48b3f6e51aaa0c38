/**
 * What an evaluation of the project's TypeScript read — the files (a hash of each one's content) and the
 * environment variables (a hash of their values) — so that its result can be kept and reused while none of them
 * changed. The config and schema/ are code: what they evaluate to depends on every module they import and on
 * every variable they read, not only on their own text.
 *
 * The values of the variables are never stored, only a hash of them: a URL with a password read by the config
 * does not reach the cache.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../emit/checksum.js';

/** The inputs of one evaluation, as a cache entry records them. */
export interface InputStamp {
  /**
   * Absolute path and content hash of every file the evaluation read. Contents, not modification times: a file
   * saved twice within a clock tick, at the same size, would look unchanged (the "racy" stat of git's index).
   */
  readonly files: readonly (readonly [string, string])[];
  /** The environment variables it read, by name. */
  readonly env: readonly string[];
  /** A hash of their values (absent: a variable that was not set). */
  readonly envHash: string;
}

const envHash = (names: readonly string[]): string => sha256(JSON.stringify(names.map((n) => [n, process.env[n] ?? null])));

const fileHash = (f: string): string => sha256(readFileSync(f));

/** The files and variables as they are now; null when a file cannot be read (nothing to compare against). */
export const stampInputs = (files: Iterable<string>, env: Iterable<string>): InputStamp | null => {
  const stamped: [string, string][] = [];
  try {
    for (const f of [...new Set(files)].sort()) stamped.push([f, fileHash(f)]);
  } catch {
    return null;
  }
  const names = [...new Set(env)].sort();
  return { files: stamped, env: names, envHash: envHash(names) };
};

/** Whether every file and variable of `stamp` is as it was (a file that is gone, or any change: no). */
export const inputsUnchanged = (stamp: InputStamp | undefined | null): boolean => {
  if (!stamp || !Array.isArray(stamp.files) || !Array.isArray(stamp.env)) return false;
  try {
    for (const [f, hash] of stamp.files) if (fileHash(f) !== hash) return false;
  } catch {
    return false;
  }
  return envHash(stamp.env) === stamp.envHash;
};

/**
 * `before` (the files hashed before they were read) with the other files the evaluation imported and the
 * variables it read; null when the files read are not the ones hashed (one was added or removed meanwhile).
 */
export const withImports = (before: InputStamp, read: readonly string[], imported: Iterable<string>, env: Iterable<string>): InputStamp | null => {
  const hashed = new Set(before.files.map(([f]) => f));
  if (read.length !== hashed.size || read.some((f) => !hashed.has(f))) return null;
  const rest = stampInputs([...imported].filter((f) => !hashed.has(f)), env);
  if (!rest) return null;
  return { files: [...before.files, ...rest.files].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)), env: rest.env, envHash: rest.envHash };
};

let recording: { readonly real: NodeJS.ProcessEnv; readonly seen: Map<string, string | undefined>; depth: number } | null = null;

/**
 * Runs `fn` with reads of `process.env` recorded: the names read (set or not) and the values they had. Nested and
 * concurrent recordings share one record (a name read by either is in both: a cache key only gets stricter).
 */
export const recordingEnv = async <T>(fn: () => Promise<T>): Promise<{ readonly value: T; readonly env: ReadonlyMap<string, string | undefined> }> => {
  const descriptor = Object.getOwnPropertyDescriptor(process, 'env');
  if (!descriptor || !('value' in descriptor)) return { value: await fn(), env: new Map() };
  if (!recording) {
    const real = descriptor.value as NodeJS.ProcessEnv;
    const seen = new Map<string, string | undefined>();
    const note = (k: string | symbol) => {
      if (typeof k === 'string' && !seen.has(k)) seen.set(k, real[k]);
    };
    const proxy = new Proxy(real, {
      get: (t, k) => (note(k), Reflect.get(t, k)),
      has: (t, k) => (note(k), Reflect.has(t, k)),
      getOwnPropertyDescriptor: (t, k) => (note(k), Reflect.getOwnPropertyDescriptor(t, k)),
      // Listing the variables reads all of them.
      ownKeys: (t) => {
        for (const k of Reflect.ownKeys(t)) note(k);
        return Reflect.ownKeys(t);
      },
    });
    recording = { real, seen, depth: 0 };
    Object.defineProperty(process, 'env', { ...descriptor, value: proxy });
  }
  const r = recording;
  r.depth++;
  try {
    const value = await fn();
    return { value, env: new Map(r.seen) };
  } finally {
    if (--r.depth === 0) {
      Object.defineProperty(process, 'env', { ...descriptor, value: r.real });
      recording = null;
    }
  }
};

/**
 * The project's own files that decide how its TypeScript is read, when present: `package.json` (`"type"`: ES
 * modules or CommonJS) and `tsconfig.json` (paths, JSX, decorators).
 */
export const projectFiles = (root: string): string[] => ['package.json', 'tsconfig.json'].map((f) => join(root, f)).filter((f) => existsSync(f));

/** Files loaded as CommonJS so far (tsx's require hooks), outside any node_modules. */
export const requiredFiles = (): string[] => {
  const cache = createRequire(import.meta.url).cache;
  return Object.keys(cache).filter((f) => isAbsolute(f) && !/[\\/]node_modules[\\/]/.test(f));
};

/** A `file:` URL as a path (query and hash dropped); other URLs (`node:`, `data:`): undefined. */
const fileOfUrl = (url: string): string | undefined => {
  if (!url.startsWith('file:')) return undefined;
  try {
    const u = new URL(url);
    u.search = '';
    u.hash = '';
    return fileURLToPath(u);
  } catch {
    return undefined;
  }
};

/**
 * The files a tsx loader reports loading (its `onImport`), as paths. The loader thread reports each load on a port
 * of its own: `files()` lets the messages still on their way in before it answers.
 */
export const loadRecorder = () => {
  const seen = new Set<string>();
  return {
    onImport: (url: string): void => {
      const f = fileOfUrl(url);
      if (f) seen.add(f);
    },
    files: async (): Promise<ReadonlySet<string>> => {
      await new Promise((r) => setImmediate(r));
      return seen;
    },
  };
};

/**
 * Whether `text` (a cached value, as JSON) holds the value of a variable the evaluation read: such a value is not
 * written to the cache (it may be a secret, and the cache is plain files). Short values are ignored, since they
 * occur by chance ("1", "on").
 */
export const holdsEnvValue = (text: string, env: ReadonlyMap<string, string | undefined>): boolean => {
  for (const v of env.values()) if (v !== undefined && v.length >= 6 && text.includes(JSON.stringify(v).slice(1, -1))) return true;
  return false;
};
