/**
 * What a long-lived process (the daemon) keeps between runs (`keepInMemory`, src/load/cache.ts): the last schemas
 * read or written, by cache key, whose files are written only at `flushCacheWrites`; and the heads it parsed or
 * wrote (`parseHeadAhead`, `writtenHead`). A kept schema is the very object, and always what the file holds or
 * will hold; what is pending reaches the disk at the flush, one schema under two keys as one file linked twice;
 * only written entries are dropped, the oldest first, beyond the limit of distinct schemas. Off, every write goes
 * to the disk at once and every read parses the file.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { renderHeadFile, writeHeadFile } from '../../src/emit/head-file.js';
import { cacheDir, flushCacheWrites, hasCached, keepInMemory, readCached, writeCached } from '../../src/load/cache.js';
import { HEAD_FILE, headFileFor, parseHeadAhead } from '../../src/load/head-file.js';
import { emptySchema, type Schema } from '../../src/model/schema.js';
import { forgetSchemaTexts, schemaJson } from '../../src/model/schema-json.js';

const dirs: string[] = [];
const project = () => {
  const d = mkdtempSync(join(tmpdir(), 'kk-kept-'));
  dirs.push(d);
  return d;
};
afterEach(() => keepInMemory(0));
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A schema told apart by its schema names (plain data, as the cache's JSON keeps it). */
const schemaNamed = (...names: string[]): Schema => ({ ...emptySchema(150000), schemas: names.map((name) => ({ name, comment: null })) as unknown as Schema['schemas'] });
const file = (root: string, key: string) => join(cacheDir(root), `${key}.json`);
const onDisk = (root: string, key: string): unknown => JSON.parse(readFileSync(file(root, key), 'utf8'));

describe('keepInMemory', () => {
  it('keeps a written schema for later reads and writes its file only at the flush', () => {
    const root = project();
    keepInMemory(2);
    const s = schemaNamed('a');
    writeCached(root, 'k1', s);
    expect(existsSync(file(root, 'k1'))).toBe(false);
    expect(hasCached(root, 'k1')).toBe(true);
    expect(readCached(root, 'k1')).toBe(s);
    flushCacheWrites();
    expect(onDisk(root, 'k1')).toEqual(s);
    // Still the same object after the flush.
    expect(readCached(root, 'k1')).toBe(s);
  });

  it('writes one schema under two keys as one file linked twice', () => {
    const root = project();
    keepInMemory(2);
    const s = schemaNamed('a', 'b');
    writeCached(root, 'k1', s);
    writeCached(root, 'k2', s);
    flushCacheWrites();
    expect(onDisk(root, 'k2')).toEqual(s);
    expect(statSync(file(root, 'k1')).ino).toBe(statSync(file(root, 'k2')).ino);
  });

  it('drops the oldest written schemas beyond the limit of distinct ones, never a pending one', () => {
    const root = project();
    keepInMemory(2);
    const [a, b, c] = [schemaNamed('a'), schemaNamed('b'), schemaNamed('c')];
    writeCached(root, 'ka', a);
    writeCached(root, 'kb', b);
    writeCached(root, 'kc', c);
    // Three pending: none is dropped before it is written.
    expect([readCached(root, 'ka'), readCached(root, 'kb'), readCached(root, 'kc')]).toEqual([a, b, c]);
    expect(readCached(root, 'ka')).toBe(a);
    flushCacheWrites();
    // `ka` was read last before the flush, `kb` is now the oldest: dropped, read from its file again.
    const again = readCached(root, 'kb');
    expect(again).not.toBe(b);
    expect(again).toEqual(b);
  });

  it('off: writes at once and parses every read; turning it off writes what is pending', () => {
    const root = project();
    const s = schemaNamed('x');
    writeCached(root, 'k', s);
    expect(onDisk(root, 'k')).toEqual(s);
    expect(readCached(root, 'k')).not.toBe(s);
    keepInMemory(2);
    const t = schemaNamed('y');
    writeCached(root, 'k2', t);
    expect(existsSync(file(root, 'k2'))).toBe(false);
    keepInMemory(0);
    expect(onDisk(root, 'k2')).toEqual(t);
    expect(readCached(root, 'k2')).not.toBe(t);
  });

  it('any sequence of writes, reads and flushes: a read is the schema written under its key, and so is the file after a flush', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('write' as const), key: fc.integer({ min: 0, max: 4 }) }),
      fc.record({ kind: fc.constant('read' as const), key: fc.integer({ min: 0, max: 4 }) }),
      fc.record({ kind: fc.constant('flush' as const) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.array(op, { maxLength: 25 }), (limit, ops) => {
        const root = project();
        keepInMemory(limit);
        // A key decides its schema (it is a hash of what made it); keys 0 and 3, 1 and 4 share one.
        const schemas = [0, 1, 2].map((i) => schemaNamed(`s${i}`));
        const last = new Map<number, Schema>();
        for (const o of ops) {
          if (o.kind === 'write') {
            writeCached(root, `k${o.key}`, schemas[o.key % 3]!);
            last.set(o.key, schemas[o.key % 3]!);
          } else if (o.kind === 'read') {
            const got = readCached(root, `k${o.key}`);
            if (last.has(o.key)) expect(got).toEqual(last.get(o.key));
            else expect(got).toBeNull();
          } else flushCacheWrites();
        }
        keepInMemory(0);
        for (const [k, s] of last) expect(onDisk(root, `k${k}`)).toEqual(s);
      }),
      { numRuns: 60 },
    );
  });
});

describe('the heads a process parsed or wrote', () => {
  const headIn = (dir: string, s: Schema) => headFileFor(s, [], null);

  it('lets go of the schema texts; a kept schema written after that gets the same text again', () => {
    const root = project();
    keepInMemory(2);
    const s = schemaNamed('a', 'b');
    const text = schemaJson(s);
    expect(schemaJson(s)).toBe(text); // one text per schema
    writeCached(root, 'k1', s);
    forgetSchemaTexts();
    flushCacheWrites();
    expect(readFileSync(file(root, 'k1'), 'utf8')).toContain(text);
    expect(schemaJson(s)).toEqual(text);
    expect(onDisk(root, 'k1')).toEqual(JSON.parse(text));
  });

  it('parses a head again only when its text changed', () => {
    const dir = project();
    keepInMemory(2);
    writeFileSync(join(dir, HEAD_FILE), renderHeadFile(headIn(dir, schemaNamed('a'))));
    const first = parseHeadAhead(dir)!;
    expect(parseHeadAhead(dir)).toBe(first);
    writeFileSync(join(dir, HEAD_FILE), renderHeadFile(headIn(dir, schemaNamed('b'))));
    const second = parseHeadAhead(dir)!;
    expect(second).not.toBe(first);
    expect(second.schema.schemas.map((s) => s.name)).toEqual(['b']);
    // The first text back (a branch switched back): the first head, not parsed again.
    writeFileSync(join(dir, HEAD_FILE), renderHeadFile(headIn(dir, schemaNamed('a'))));
    expect(parseHeadAhead(dir)).toBe(first);
  });

  it('takes the head it wrote itself, and its schema deep-equals the parsed one', () => {
    const dir = project();
    keepInMemory(2);
    const s = schemaNamed('w');
    writeHeadFile(dir, headIn(dir, s));
    const read = parseHeadAhead(dir)!;
    expect(read.schema).toBe(s);
    expect(JSON.parse(readFileSync(join(dir, HEAD_FILE), 'utf8')).schema).toEqual(s);
  });

  it('off: every parse is a new one', () => {
    const dir = project();
    const s = schemaNamed('o');
    writeHeadFile(dir, headIn(dir, s));
    const a = parseHeadAhead(dir)!;
    expect(a.schema).not.toBe(s);
    expect(a.schema).toEqual(s);
    expect(parseHeadAhead(dir)).not.toBe(a);
  });
});
