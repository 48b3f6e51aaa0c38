/**
 * A saved copy of a freshly initialised PGlite data directory. Starting PGlite runs initdb (~2 s on this
 * machine); restoring a saved fresh data directory takes a fraction of that (DESIGN §1). The copy is made once,
 * right after the first fresh start, before any statement of ours changes it, and kept per PGlite version under
 * node_modules/.cache/keikaku beside the installed PGlite (or `KEIKAKU_CACHE_DIR`). Anything wrong with it (unreadable, unwritable, fails
 * to restore) only costs the fresh start it would have saved.
 *
 * The build makes one too (`ship-fresh.ts`, into dist/pglite/), so that the first start after an install (a fresh
 * clone, CI after `npm ci`) needs no initdb either: when the cache has none, the shipped copy for the same PGlite
 * version is copied into it.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);

let location: string | null | undefined;
let installed: { readonly modules: string; readonly version: string } | null | undefined;

/** The installed PGlite: its version and the node_modules folder it is in; null when it cannot be found. */
const installedPglite = () => {
  if (installed !== undefined) return installed;
  try {
    // The package's exports hide its package.json: find it above the entry point.
    const entry = require.resolve('@electric-sql/pglite');
    const modules = entry.slice(0, entry.lastIndexOf(`${sep}node_modules${sep}`) + `${sep}node_modules`.length);
    const pkg = join(modules, '@electric-sql', 'pglite', 'package.json');
    installed = { modules, version: (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version };
  } catch {
    installed = null;
  }
  return installed;
};

/** The installed PGlite's version (its PostgreSQL decides what a normalization reads back). */
export const pgliteVersion = (): string | null => installedPglite()?.version ?? null;

/** The file name of a saved fresh data directory, in the cache and in dist/pglite/ alike. */
const savedName = (version: string): string => `pglite-${version}-fresh-1db.tar.gz`;

/** The cache file for the installed PGlite's version; null when it cannot be placed. */
export const freshDataDirFile = (): string | null => {
  if (location !== undefined) return location;
  location = null;
  if (process.env.KEIKAKU_NO_CACHE === '1') return null;
  const pglite = installedPglite();
  if (!pglite) return null;
  const dir = process.env.KEIKAKU_CACHE_DIR || join(pglite.modules, '.cache', 'keikaku');
  location = join(dir, savedName(pglite.version));
  return location;
};

/**
 * The copy the build made for the PGlite version installed with it (`ship-fresh.ts`); null when PGlite cannot be
 * found. The file may not exist (a build that could not make it, a PGlite version other than the build's).
 */
export const shippedDataDirFile = (): string | null => {
  const pglite = installedPglite();
  return pglite && join(fileURLToPath(new URL('../../dist/pglite/', import.meta.url)), savedName(pglite.version));
};

/** What earlier keikaku versions saved for the same PGlite version under other names (no reader is left). */
const earlierNames = (file: string): string[] => ['fresh', 'fresh-wal1'].map((n) => file.replace(/fresh-1db\.tar\.gz$/, `${n}.tar.gz`)).filter((f) => f !== file);

/**
 * A saved data directory as PGlite reads it: the whole tar at once (`arrayBuffer`). Node 20's own Blob hands its
 * bytes over in small chunks, a quarter of a second for the 30 MB tar, and a gzipped one then goes through a
 * DecompressionStream: here the file is gunzipped in one call when PGlite asks, and the tar is not kept after.
 */
class SavedDataDir extends Blob {
  constructor(private readonly gzipped: Buffer) {
    // Its own parts are empty (`size` 0): what it holds is what `arrayBuffer`, `stream`, `slice` and `text` give.
    super([], { type: 'application/x-tar' });
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    return this.tar();
  }

  override stream(): ReturnType<Blob['stream']> {
    return new Blob([this.tar()]).stream();
  }

  override slice(start?: number, end?: number, type?: string): Blob {
    return new Blob([this.tar()]).slice(start, end, type);
  }

  override async text(): Promise<string> {
    return new TextDecoder().decode(this.tar());
  }

  private tar(): ArrayBuffer {
    // One output chunk of the exact size (gzip's trailer holds it): no concatenation of 16 KB pieces, no copy.
    const size = this.gzipped.length >= 18 ? this.gzipped.readUInt32LE(this.gzipped.length - 4) : 0;
    const bytes = gunzipSync(this.gzipped, { chunkSize: Math.max(size, 64 * 1024) });
    return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? (bytes.buffer as ArrayBuffer)
      : (bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  }
}

let read: { readonly stamp: string; readonly blob: Blob } | undefined;

/** The saved data directory; read again only when the file changed (`warmPglite` reads it ahead of the start). */
export const readFreshDataDir = (): Blob | undefined => {
  const file = freshDataDirFile();
  if (!file) return undefined;
  if (!existsSync(file)) copyShipped(file);
  try {
    const st = statSync(file);
    const stamp = `${file}:${st.size}:${st.mtimeMs}:${st.ino}`;
    if (read?.stamp !== stamp) read = { stamp, blob: new SavedDataDir(readFileSync(file)) };
    return read.blob;
  } catch {
    return undefined;
  }
};

/** The shipped copy, when there is one, copied to `file` (the cache's place for it); a failure only costs time. */
const copyShipped = (file: string): void => {
  const shipped = shippedDataDirFile();
  if (!shipped || shipped === file) return;
  try {
    storeInCache(file, readFileSync(shipped));
  } catch {
    // No shipped copy (or an unreadable one): the first start runs initdb and saves its own.
  }
};

/**
 * `bytes` written under a temporary name and renamed, so a concurrent reader never sees half a file; the
 * temporary file is removed when that fails (a full disk), and the error thrown.
 */
export const writeFileAtomically = (file: string, bytes: Uint8Array): void => {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    // Written and renamed with no await between: a signal cannot leave the temporary file behind.
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
};

/** The cache's copy written (`writeFileAtomically`), and what earlier versions saved in its place removed. */
const storeInCache = (file: string, gzipped: Uint8Array): void => {
  writeFileAtomically(file, gzipped);
  for (const earlier of earlierNames(file)) rmSync(earlier, { force: true });
};

/** `gzipped`: the data directory as a gzipped tar, saved in the cache. */
export const saveFreshDataDir = (gzipped: Uint8Array): void => {
  const file = freshDataDirFile();
  if (!file) return;
  try {
    storeInCache(file, gzipped);
  } catch {
    // A copy that cannot be written only costs time.
  }
};

export const forgetFreshDataDir = (): void => {
  read = undefined;
  const file = freshDataDirFile();
  if (file) rmSync(file, { force: true });
};
