/**
 * filterTar against GNU tar: archives GNU tar writes (ustar) are filtered, and GNU tar reads the result back with
 * exactly the entries kept, their contents intact; archives with extended headers are left alone (null).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { filterTar } from '../../src/db/tar-filter.js';

const hasTar = (() => {
  try {
    execFileSync('tar', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const root = mkdtempSync(join(tmpdir(), 'kk-tar-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A ustar (or `format`) archive of `files` (path → content) made by GNU tar, and its own listing of files. */
const archive = (files: ReadonlyMap<string, Buffer>, format = 'ustar'): Buffer => {
  const dir = join(root, `a${n++}`);
  for (const [p, content] of files) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
  return execFileSync('tar', [`--format=${format}`, '-C', dir, '-cf', '-', ...[...files.keys()].sort()], { maxBuffer: 64 << 20 });
};
const listing = (tar: Buffer): string[] => execFileSync('tar', ['-tf', '-'], { input: tar }).toString().split('\n').filter(Boolean);
const contentOf = (tar: Buffer, path: string): Buffer => execFileSync('tar', ['-xOf', '-', path], { input: tar, maxBuffer: 64 << 20 });

const segment = fc.stringMatching(/^[a-z0-9_]{1,12}$/);
const files = fc
  .uniqueArray(fc.tuple(fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/')), fc.uint8Array({ maxLength: 1500 })), {
    minLength: 1,
    maxLength: 12,
    selector: ([p]) => p,
  })
  // No file may also be a directory of another.
  .filter((entries) => entries.every(([a]) => entries.every(([b]) => a === b || !b.startsWith(`${a}/`))))
  .map((entries) => new Map(entries.map(([p, c]) => [p, Buffer.from(c)])));

describe.skipIf(!hasTar)('filterTar', () => {
  it('keeps exactly the entries not dropped, byte for byte, as GNU tar reads them', () => {
    fc.assert(
      fc.property(files, fc.integer({ min: 0, max: 2 ** 31 }), (entries, seed) => {
        const paths = [...entries.keys()];
        const dropped = new Set(paths.filter((_, i) => ((seed >> i % 31) & 1) === 1));
        const out = filterTar(archive(entries), (p) => dropped.has(p));
        expect(out).not.toBeNull();
        expect(listing(out!).sort()).toEqual(paths.filter((p) => !dropped.has(p)).sort());
        for (const p of paths.filter((q) => !dropped.has(q))) expect(contentOf(out!, p).equals(entries.get(p)!)).toBe(true);
      }),
      { numRuns: 15 },
    );
  });

  it('names entries by their whole path, prefix field included', () => {
    const long = `${'d'.repeat(90)}/${'e'.repeat(60)}/file`;
    const tar = archive(new Map([[long, Buffer.from('x')], ['short', Buffer.from('y')]]));
    const seen: string[] = [];
    filterTar(tar, (p) => (seen.push(p), false));
    expect(seen).toContain(long);
    expect(listing(filterTar(tar, (p) => p === long)!)).toEqual(['short']);
  });

  it('leaves an archive with extended headers, or a damaged one, unfiltered (null)', () => {
    const pax = archive(new Map([['a', Buffer.from('1')]]), 'pax');
    expect(filterTar(pax, () => false)).toBeNull();
    const plain = archive(new Map([['a', Buffer.from('1')]]));
    expect(filterTar(plain.subarray(0, 700), () => false)).toBeNull();
    expect(filterTar(Buffer.from('not a tarball'), () => false)).toBeNull();
  });

  it('reads the archive PGlite dumps (the saved data directory is such a tar)', () => {
    // The prefix-less ustar entries with a leading "/" of PGlite's tar: the path is given without it.
    const header = Buffer.alloc(512);
    header.write('/pg_wal/000000010000000000000007', 0, 'latin1');
    header.write('0000644\0', 100);
    header.write('00000000001\0', 124);
    header.write('0', 156);
    header.write('ustar\0' + '00', 257, 'latin1');
    const tar = Buffer.concat([header, Buffer.from('z'.padEnd(512, '\0')), Buffer.alloc(1024)]);
    const seen: string[] = [];
    expect(filterTar(tar, (p) => (seen.push(p), false))?.equals(tar)).toBe(true);
    expect(seen).toEqual(['pg_wal/000000010000000000000007']);
    expect(filterTar(tar, () => true)?.equals(Buffer.alloc(1024))).toBe(true);
  });
});
