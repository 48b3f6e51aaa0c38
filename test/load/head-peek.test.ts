/**
 * The extensions of generated/head.json read from its first lines (the guess the early shadow starts with): the
 * same list the whole file holds, whatever the names, with many units before the schema; null when there is no
 * such line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { renderHeadFile } from '../../src/emit/head-file.js';
import { HEAD_FILE, headFileFor, peekHeadExtensions } from '../../src/load/head-file.js';
import { emptySchema } from '../../src/model/schema.js';

const dir = mkdtempSync(join(tmpdir(), 'kk-head-peek-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const headWith = (extensions: readonly string[], unitCount: number) => {
  const units = Object.fromEntries(Array.from({ length: unitCount }, (_, i) => [`["table","public","t${i}"]`, 'f'.repeat(64)]));
  const head = headFileFor(emptySchema(180000), [], { context: 'c', script: 's', extensions, units });
  writeFileSync(join(dir, HEAD_FILE), renderHeadFile(head));
};

describe('peekHeadExtensions', () => {
  it('reads the list the whole file holds, for any names', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', minLength: 1, maxLength: 63 }), { maxLength: 6 }), fc.nat(2000), (names, units) => {
        headWith(names, units);
        expect(peekHeadExtensions(dir)).toEqual(names);
      }),
      { numRuns: 60 },
    );
  });

  it('is null without a head file, or without the line', () => {
    rmSync(join(dir, HEAD_FILE), { force: true });
    expect(peekHeadExtensions(dir)).toBeNull();
    writeFileSync(join(dir, HEAD_FILE), '<<<<<<< HEAD\n{"extensions": ["pg_trgm"]}\n');
    expect(peekHeadExtensions(dir)).toBeNull();
  });
});
