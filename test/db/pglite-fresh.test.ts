/**
 * The saved fresh data directory: made on a fresh start (or copied from the one the build ships), restored by later
 * starts, the same empty database either way (extensions still load), and a damaged copy is replaced instead of
 * failing the start.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPglite, writeFreshDataDir } from '../../src/db/pglite.js';
import { gunzipSync } from 'node:zlib';
import { freshDataDirFile, shippedDataDirFile } from '../../src/db/pglite-fresh.js';
import { filterTar } from '../../src/db/tar-filter.js';
import { introspect } from '../../src/introspect/index.js';

// A directory of this file's own: other test files running at the same time use the shared copy.
process.env.KEIKAKU_CACHE_DIR = mkdtempSync(join(tmpdir(), 'kk-fresh-'));

const emptyState = async (extensions: readonly string[]) => {
  const db = await openPglite({ extensions });
  try {
    await db.exec('CREATE EXTENSION pg_trgm; CREATE TABLE t (id int PRIMARY KEY, name text); CREATE INDEX ON t USING gin (name gin_trgm_ops)');
    const schema = await introspect(db);
    const rows = await db.query<{ oid: number; wal: string; db: string }>(
      `SELECT 't'::regclass::oid AS oid, current_setting('wal_segment_size') AS wal,
              (SELECT oid FROM pg_database WHERE datname = current_database())::text AS db`,
    );
    return { schema, oid: rows[0]!.oid, wal: rows[0]!.wal, db: rows[0]!.db };
  } finally {
    await db.close();
  }
};

describe('the saved fresh PGlite data directory', () => {
  const file = freshDataDirFile();

  it("is put in the cache by the first start (the build's copy, or initdb's) and restored by the next, giving the same database", async () => {
    expect(file).toMatch(/kk-fresh-\w+\/pglite-[\d.]+-fresh-1db\.tar\.gz$/);
    rmSync(file!, { force: true });
    // What earlier keikaku versions saved for the same PGlite under other names goes when this one is stored.
    const earlier = ['fresh', 'fresh-wal1'].map((n) => file!.replace(/fresh-1db\.tar\.gz$/, `${n}.tar.gz`));
    for (const f of earlier) writeFileSync(f, 'an old copy');
    const fresh = await emptyState(['pg_trgm']);
    expect(existsSync(file!)).toBe(true);
    expect(earlier.filter((f) => existsSync(f))).toEqual([]);
    const saved = readFileSync(file!);
    const restored = await emptyState(['pg_trgm', 'uuid-ossp']);
    expect(readFileSync(file!).equals(saved)).toBe(true); // restored, not made again
    expect(restored.schema).toEqual(fresh.schema);
    expect(restored.oid).toBe(fresh.oid); // the same initdb state: object ids are handed out alike
    // Small WAL segments: the first one is in every copy, and held in memory by every start.
    expect([fresh.wal, restored.wal]).toEqual(['1MB', '1MB']);
    // Only the shadow's own database and the WAL from the last checkpoint on are kept.
    const paths: string[] = [];
    expect(filterTar(gunzipSync(saved), (p) => (paths.push(p), false))).not.toBeNull();
    const databases = new Set(paths.flatMap((p) => /^base\/(\d+)\//.exec(p)?.[1] ?? []));
    expect([...databases]).toEqual([restored.db]);
    const segments = paths.filter((p) => /^pg_wal\/[0-9A-F]{24}$/.test(p));
    expect(segments.length).toBeGreaterThanOrEqual(1);
    expect(segments.length).toBeLessThanOrEqual(2);
    expect(paths).toContain('global/pg_control');
  });

  it('with none in the cache, the first start copies the one the build ships there and restores it (no initdb)', async () => {
    const shipped = shippedDataDirFile()!;
    // What `npm run build` does (`ship-fresh.ts`), when this checkout was not built.
    if (!existsSync(shipped)) await writeFreshDataDir(shipped);
    rmSync(file!, { force: true });
    const first = await emptyState(['pg_trgm']);
    // A fresh start would have saved a new initdb's copy (another system identifier): this is the shipped one.
    expect(readFileSync(file!).equals(readFileSync(shipped))).toBe(true);
    expect(first.wal).toBe('1MB');
  });

  it('a damaged copy costs a fresh start and is replaced', async () => {
    writeFileSync(file!, 'not a tarball');
    const state = await emptyState(['pg_trgm']);
    expect(state.schema.tables.map((t) => t.name)).toEqual(['t']);
    // initdb's own copy, saved in its place (not the shipped one: that is only taken when the cache has none).
    const replaced = readFileSync(file!);
    expect(replaced.length).toBeGreaterThan(1000);
    expect((await emptyState(['pg_trgm'])).schema).toEqual(state.schema);
    expect(readFileSync(file!).equals(replaced)).toBe(true);
  });
});
