/**
 * The one JSON rendering of a schema (head.json's "schema", the cache's entries): it reads back as the schema,
 * one object per line, and is made once per schema object.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCHEMA_LISTS, schemaJson } from '../../src/model/schema-json.js';
import type { Schema } from '../../src/model/schema.js';

const object = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });
const schema = fc
  .record({
    lists: fc.tuple(...SCHEMA_LISTS.map(() => fc.array(object, { maxLength: 4 }))),
    serverVersion: fc.integer({ min: 0, max: 999999 }),
  })
  .map(({ lists, serverVersion }) => ({ ...Object.fromEntries(SCHEMA_LISTS.map((k, i) => [k, lists[i]])), serverVersion }) as unknown as Schema);

describe('schemaJson', () => {
  it('parses back to the schema, each list element on a line of its own', () => {
    fc.assert(
      fc.property(schema, (s) => {
        const text = schemaJson(s);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(s)));
        const lines = text.split('\n');
        for (const k of SCHEMA_LISTS) {
          for (const o of s[k]) {
            const line = JSON.stringify(o);
            expect(lines.some((l) => l === line || l === `${line},`)).toBe(true);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('is rendered once per schema object', () => {
    const s = { ...Object.fromEntries(SCHEMA_LISTS.map((k) => [k, []])), serverVersion: 180000 } as unknown as Schema;
    const mutable = s as unknown as { tables: unknown[] };
    const first = schemaJson(s);
    mutable.tables = [{ name: 'later' }];
    // The same object: the kept text (schemas are not changed once made); another object: its own text.
    expect(schemaJson(s)).toBe(first);
    expect(schemaJson({ ...s })).toContain('"later"');
  });
});
