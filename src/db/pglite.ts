import type { Extension, PGlite } from '@electric-sql/pglite';
import v8 from 'node:v8';
import { UserError } from './errors.js';
import { gzipSync } from 'node:zlib';
import { forgetFreshDataDir, readFreshDataDir, saveFreshDataDir, writeFileAtomically } from './pglite-fresh.js';
import { filterTar } from './tar-filter.js';
import type { Db, DbNotice } from './types.js';
import { asIs, OID } from './value-types.js';

export interface OpenPgliteOptions {
  /**
   * Extensions to make available, named as in `CREATE EXTENSION` (`uuid-ossp`, `pg_trgm`, …); see
   * `extensionsNeeded`. Only these are registered: each one adds start-up time (all eight common ones ~0.25 s).
   */
  readonly extensions?: readonly string[];
  /** A data directory saved with `dumpDataDir()`; restoring one is much faster than a fresh start. */
  readonly dataDir?: Blob;
}

/** The embedded database, plus what only it can do. */
export interface PgliteDb extends Db {
  /** PGlite always reports notices. */
  onNotice(listener: (notice: DbNotice) => void): () => void;
  /** The whole data directory as a tarball, for `OpenPgliteOptions.dataDir`. */
  dumpDataDir(): Promise<Blob>;
}

/** Extensions that need more than their own bundle. */
const REQUIRES: Readonly<Record<string, readonly string[]>> = { earthdistance: ['cube'] };

/**
 * Extensions the embedded PGlite (0.5, PostgreSQL 18) can load, by `CREATE EXTENSION` name, and the module that
 * registers each. `vector` is listed but only present when the installed PGlite ships `@electric-sql/pglite/vector`.
 */
const MODULES: Readonly<Record<string, { readonly specifier: string; readonly exportName: string }>> = {
  ...Object.fromEntries(
    [
      'amcheck', 'bloom', 'btree_gin', 'btree_gist', 'citext', 'cube', 'dict_int', 'dict_xsyn', 'earthdistance',
      'file_fdw', 'fuzzystrmatch', 'hstore', 'intarray', 'isn', 'lo', 'ltree', 'moddatetime', 'pageinspect',
      'pg_buffercache', 'pg_freespacemap', 'pg_stat_statements', 'pg_surgery', 'pg_trgm', 'pg_visibility',
      'pg_walinspect', 'pgcrypto', 'seg', 'tablefunc', 'tcn', 'tsm_system_rows', 'tsm_system_time', 'unaccent',
      'uuid-ossp',
    ].map((name) => {
      const exportName = name.replace(/-/g, '_');
      return [name, { specifier: `@electric-sql/pglite/contrib/${exportName}`, exportName }];
    }),
  ),
  vector: { specifier: '@electric-sql/pglite/vector', exportName: 'vector' },
};

/** Built into every PostgreSQL: nothing to register. */
const BUILT_IN = new Set(['plpgsql']);

/** The extensions registered by default in tests and wherever the needed set is not known up front. */
export const COMMON_EXTENSIONS: readonly string[] = [
  'btree_gin', 'btree_gist', 'citext', 'hstore', 'ltree', 'pg_trgm', 'pgcrypto', 'uuid-ossp',
];

// Comments, string literals and quoted identifiers are matched first so that text inside them is skipped.
const CREATE_EXTENSION =
  /--[^\n]*|\/\*[\s\S]*?\*\/|[eE]'(?:[^'\\]|\\[\s\S]|'')*'|'(?:[^']|'')*'|\$([A-Za-z_][\w]*)?\$[\s\S]*?\$\1\$|"(?:[^"]|"")*"|\bcreate\s+extension\s+(?:if\s+not\s+exists\s+)?("(?:[^"]|"")+"|[A-Za-z_][\w$]*)/gi;

/**
 * The extensions a SQL script creates (`CREATE EXTENSION [IF NOT EXISTS] name`), plus those they require, sorted;
 * `plpgsql` is left out. Text in comments and string literals does not count.
 */
export const extensionsNeeded = (sql: string): string[] => {
  const found = new Set<string>();
  for (const m of sql.matchAll(CREATE_EXTENSION)) {
    const name = m[2];
    if (name === undefined) continue;
    const plain = name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name.toLowerCase();
    if (!BUILT_IN.has(plain)) found.add(plain);
  }
  for (const name of [...found]) for (const required of REQUIRES[name] ?? []) found.add(required);
  return [...found].sort();
};

/** Loads the registration object of each extension; unknown or uninstalled ones are a UserError. */
const loadExtensions = async (names: readonly string[]): Promise<Record<string, Extension>> => {
  const wanted = new Set<string>();
  for (const name of names) {
    if (BUILT_IN.has(name)) continue;
    wanted.add(name);
    for (const required of REQUIRES[name] ?? []) wanted.add(required);
  }
  const out: Record<string, Extension> = {};
  const missing: string[] = [];
  for (const name of [...wanted].sort()) {
    const source = MODULES[name];
    let extension: unknown;
    if (source) {
      try {
        extension = ((await import(source.specifier)) as Record<string, unknown>)[source.exportName];
      } catch {
        extension = undefined;
      }
    }
    if (extension === undefined) missing.push(name);
    else out[source!.exportName] = extension as Extension;
  }
  if (missing.length > 0) {
    const list = missing.map((n) => `"${n}"`).join(', ');
    throw new UserError(
      `extension${missing.length > 1 ? 's' : ''} ${list} not available in the embedded PGlite; ` +
        'use a PostgreSQL server that has it for the shadow database (--shadow-url)',
    );
  }
  return out;
};

/**
 * PostgreSQL's `shared_buffers` in the embedded shadow. A shadow holds a schema and no rows: its catalogs fit in
 * a few megabytes, and PGlite's default (128 MB of WebAssembly memory, touched at start) was a third of a
 * normalization's peak memory.
 */
const SHARED_BUFFERS = '16MB';

/**
 * PGlite's own start parameters (it has no API to add one without restating them), plus `shared_buffers`. When
 * this PGlite does not expose them, its defaults stand.
 */
const startParams = (pgliteClass: unknown): { startParams?: string[] } => {
  const defaults = (pgliteClass as { defaultStartParams?: unknown }).defaultStartParams;
  if (!Array.isArray(defaults) || !defaults.every((p) => typeof p === 'string')) return {};
  return { startParams: [...(defaults as string[]), '-c', `shared_buffers=${SHARED_BUFFERS}`] };
};

let quick = false;

/**
 * From now on, PGlite's WebAssembly (9 MB) is compiled by V8's baseline compiler only, never recompiled by the
 * optimizing one. For a shadow that creates a few tables (an incremental normalization) that halves the CPU time
 * and saves ~90 MB: the optimizing compiler's work, on the other core, costs more than it gains in a second of
 * SQL. A long replay is faster optimized, so only callers that know the work is small ask for this. The flag is
 * the process's, and V8 reads it when a module is compiled: PGlite instances started before keep their code.
 */
export const quickWasm = (): void => {
  if (quick || process.env.KEIKAKU_WASM_TIERING === '1') return;
  quick = true;
  try {
    v8.setFlagsFromString('--liftoff-only');
  } catch {
    // Only speed depends on it.
  }
};

/** Loads PGlite's module and reads the saved data directory, so that a start that follows skips both. */
export const warmPglite = async (): Promise<void> => {
  await import('@electric-sql/pglite');
  readFreshDataDir();
};

const WAL_SEGMENT = /^pg_wal\/([0-9A-F]{24})$/;

/**
 * A fresh instance's data directory as a tar, without what a restored one never reads: the template databases
 * (a shadow works in its own database, and PGlite cannot `CREATE DATABASE`) and the WAL segments outside the last
 * checkpoint's redo and the current insert position (initdb leaves several recycled ones). Two thirds of the
 * archive: every start restores a third of the files, in ~0.4 s less and ~100 MB less memory. Unfiltered when the
 * positions cannot be read or the archive is not the plain tar this expects.
 */
const freshCopy = async (pglite: PGlite): Promise<Uint8Array> => {
  let keep: { db: string; first: string; last: string } | undefined;
  try {
    const { rows } = await pglite.query<{ db: string; first: string; last: string }>(
      `SELECT (SELECT oid FROM pg_database WHERE datname = current_database())::text AS db,
              pg_walfile_name(redo_lsn) AS first, pg_walfile_name(pg_current_wal_insert_lsn()) AS last
         FROM pg_control_checkpoint()`,
    );
    keep = rows[0];
  } catch {
    keep = undefined;
  }
  const tar = new Uint8Array(await (await pglite.dumpDataDir('none')).arrayBuffer());
  if (!keep || !/^\d+$/.test(keep.db)) return tar;
  const { db, first, last } = keep;
  const filtered = filterTar(tar, (path) => {
    const base = /^base\/(\d+)(?:\/|$)/.exec(path);
    if (base) return base[1] !== db;
    const wal = WAL_SEGMENT.exec(path);
    return wal !== null && (wal[1]! < first || wal[1]! > last);
  });
  return filtered ?? tar;
};

/**
 * How initdb makes a fresh data directory, for a start and for the copy the build ships alike: 1 MB WAL segments
 * (the first segment is part of every saved copy and every start; 16 MB by default, a third of the data directory
 * held in memory).
 */
const FRESH_INITDB = { initDbStartParams: ['--wal-segsize=1'] };

/**
 * A fresh data directory (initdb, no saved copy read) written to `file` as a saved copy is (`freshCopy`, gzipped):
 * what the build ships (`ship-fresh.ts`). Throws when PGlite cannot start or the file cannot be written.
 */
export const writeFreshDataDir = async (file: string): Promise<void> => {
  const { PGlite: PGliteClass } = await import('@electric-sql/pglite');
  const pglite = await PGliteClass.create({ ...startParams(PGliteClass), ...FRESH_INITDB });
  try {
    writeFileAtomically(file, gzipSync(await freshCopy(pglite)));
  } finally {
    await pglite.close();
  }
};

/**
 * Starts an in-process PostgreSQL 18 (PGlite), in memory. A fresh start takes ~2 s and ~700 MB, so PGlite is
 * imported only here, on first use, and later starts restore a saved fresh data directory (`pglite-fresh.ts`).
 * Close it when done: an open instance keeps the Node.js process alive.
 */
export const openPglite = async (options: OpenPgliteOptions = {}): Promise<PgliteDb> => {
  const extensions = await loadExtensions(options.extensions ?? []);
  const { PGlite: PGliteClass } = await import('@electric-sql/pglite');
  const start = (loadDataDir: Blob | undefined) =>
    PGliteClass.create({
      extensions,
      ...startParams(PGliteClass),
      ...(loadDataDir ? {} : FRESH_INITDB),
      parsers: { [OID.int8]: asIs, [OID.date]: asIs, [OID.timestamp]: asIs },
      ...(loadDataDir ? { loadDataDir } : {}),
    });
  let pglite: PGlite;
  try {
    if (options.dataDir) pglite = await start(options.dataDir);
    else {
      const saved = readFreshDataDir();
      let restored = false;
      if (saved) {
        try {
          pglite = await start(saved);
          restored = true;
        } catch {
          forgetFreshDataDir();
          pglite = await start(undefined);
        }
      } else pglite = await start(undefined);
      if (!restored) saveFreshDataDir(gzipSync(await freshCopy(pglite)));
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(`cannot start the embedded PGlite: ${reason}`, 1, { cause: error });
  }
  const noticeListeners = new Set<(notice: DbNotice) => void>();
  const onNotice = (n: { severity?: string; message?: string }) => {
    const notice = { severity: n.severity ?? 'NOTICE', message: n.message ?? '' };
    for (const listener of noticeListeners) listener(notice);
  };
  return {
    label: 'embedded PGlite',
    async query<R>(sql: string, params?: readonly unknown[]): Promise<R[]> {
      const result = await pglite.query<R>(sql, params ? [...params] : undefined, { onNotice });
      return result.rows;
    },
    async exec(sql: string): Promise<void> {
      await pglite.exec(sql, { onNotice });
    },
    onNotice(listener) {
      noticeListeners.add(listener);
      return () => noticeListeners.delete(listener);
    },
    async close(): Promise<void> {
      if (!pglite.closed) await pglite.close();
    },
    async dumpDataDir(): Promise<Blob> {
      return pglite.dumpDataDir('none');
    },
  };
};
