/**
 * `printedIdent` is the one function that says how PostgreSQL prints an identifier. Judged by the server itself:
 * for every keyword `pg_get_keywords()` lists, and for hostile and ordinary names, it gives what `quote_ident`
 * gives, on each backend (PGlite is PostgreSQL 18; the server may be older and know fewer keywords).
 */
import { describe, expect, it } from 'vitest';
import { ident, printedIdent } from '../../src/render/quote.js';
import { backends, withFreshDb } from '../support/backends.js';

const SAMPLES = [
  'users',
  'office_id',
  '_private',
  'a1',
  '1a',
  'User',
  'user table',
  'price$',
  'a"b',
  '"',
  'inj\nDROP TABLE "表"; --',
  'end */ x /* y',
  "it's",
  'back\\slash',
  '\u001b[31mred',
  'rtl\u202e',
  '表',
  'é',
  'x'.repeat(63),
];

describe.each(await backends())('printedIdent on $title', (backend) => {
  it('equals quote_ident for every keyword and for sample names', () =>
    withFreshDb(backend, async (db) => {
      const [{ v }] = (await db.query<{ v: number }>(`SELECT current_setting('server_version_num')::int AS v`)) as [{ v: number }];
      const keywords = await db.query<{ word: string; quoted: string }>(`SELECT word, quote_ident(word) AS quoted FROM pg_get_keywords() ORDER BY word`);
      expect(keywords.length).toBeGreaterThan(400);
      const mismatches = keywords.filter((k) => printedIdent(k.word, v) !== k.quoted).map((k) => `${k.word}: ${printedIdent(k.word, v)} vs ${k.quoted}`);
      expect(mismatches).toEqual([]);
      // Every keyword the server quotes is quoted; at least one reserved, type-name and column-name one among them.
      expect(keywords.filter((k) => k.quoted !== k.word).length).toBeGreaterThan(70);
      for (const name of SAMPLES) {
        const [{ quoted }] = (await db.query<{ quoted: string }>(`SELECT quote_ident($1) AS quoted`, [name])) as [{ quoted: string }];
        expect(printedIdent(name, v), JSON.stringify(name)).toBe(quoted);
      }
    }));

  it('a quoted name reads back as itself (ident)', () =>
    withFreshDb(backend, async (db) => {
      for (const name of SAMPLES) {
        const [{ n }] = (await db.query<{ n: string }>(`SELECT ${ident(name)}::text AS n FROM (SELECT $1::text AS ${ident(name)}) s`, [name])) as [{ n: string }];
        expect(n).toBe(name);
      }
    }));
});
