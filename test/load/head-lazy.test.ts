/**
 * generated/head.json read with its schema parsed when first read (`committedHead(…, { lazySchema: true })`, what
 * `plan` and `generate` do): the same head as the whole file parsed at once, for the example app's committed head
 * and for any names; a damaged schema part behind an intact header is found when the schema is read (a
 * HeadSchemaError), where the whole-file parse calls the file unreadable; a file in another layout is parsed whole.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { renderHeadFile } from '../../src/emit/head-file.js';
import { committedHead, HEAD_FILE, type HeadFile, headFileFor, HeadSchemaError, type HeadState } from '../../src/load/head-file.js';
import { readHistory } from '../../src/load/migrations.js';
import { emptySchema } from '../../src/model/schema.js';
import { projectRoot } from '../support/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'kk-head-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
cpSync(join(projectRoot, 'generated'), dir, { recursive: true });
const migrations = readHistory(dir).migrations;
const path = join(dir, HEAD_FILE);
const committed = readFileSync(path, 'utf8');

const headOf = (s: HeadState): HeadFile => {
  if (s.kind !== 'current') throw new Error(`expected a current head, got ${s.kind}`);
  return s.head;
};
const both = (text: string) => {
  writeFileSync(path, text);
  return { eager: committedHead(dir, migrations), lazy: committedHead(dir, migrations, { lazySchema: true }) };
};
/** The head as plain data: every property read, the lazy schema included. */
const plain = (h: HeadFile) => JSON.parse(JSON.stringify(h)) as unknown;

describe('generated/head.json, its schema parsed when first read', () => {
  it('reads what the whole-file parse reads, for the example app', () => {
    const { eager, lazy } = both(committed);
    expect(plain(headOf(lazy))).toEqual(plain(headOf(eager)));
    expect(headOf(lazy).schema.tables.length).toBeGreaterThan(0);
    // Read once: the same object every time (the diff's graph is kept per schema object).
    expect(headOf(lazy).schema).toBe(headOf(lazy).schema);
  });

  it('reads what the whole-file parse reads, whatever the names', () => {
    const name = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(name, name, fc.array(name, { maxLength: 3 }), (schemaName, table, extensions) => {
        const schema = { ...emptySchema(180000), schemas: [{ name: schemaName, comment: `"schema": ${table}\n"schema": {` }] } as never;
        const head = headFileFor(schema, migrations, { context: table, script: `\n"schema": ${table}`, extensions, units: { [table]: schemaName } });
        const { eager, lazy } = both(renderHeadFile(head));
        expect(plain(headOf(lazy))).toEqual(plain(headOf(eager)));
      }),
      { numRuns: 80 },
    );
  });

  it('a damaged schema behind an intact header: unreadable whole, a HeadSchemaError when read lazily', () => {
    const at = committed.indexOf('\n"tables": [');
    expect(at).toBeGreaterThan(0);
    const { eager, lazy } = both(`${committed.slice(0, at)}\n<<<<<<< HEAD${committed.slice(at)}`);
    expect(eager.kind).toBe('unreadable');
    const head = headOf(lazy);
    expect(head.units).toEqual(headOf(both(committed).eager).units);
    expect(() => head.schema).toThrow(HeadSchemaError);
    expect(() => head.schema).toThrow(/generated\/head\.json: its schema is not JSON/);
  });

  it('a schema of the wrong shape is a HeadSchemaError too', () => {
    const at = committed.lastIndexOf('\n"schema": ');
    const { eager, lazy } = both(`${committed.slice(0, at)}\n"schema": {"tables": []}\n}\n`);
    expect(eager).toEqual({ kind: 'unreadable', reason: 'its schema is malformed' });
    expect(() => headOf(lazy).schema).toThrow(/its schema is malformed/);
  });

  it('another layout (reformatted, or text after it) is parsed whole, as before', () => {
    const pretty = JSON.stringify(JSON.parse(committed), null, 2);
    const { eager, lazy } = both(pretty);
    expect(plain(headOf(lazy))).toEqual(plain(headOf(eager)));
    const trailing = both(`${committed}{}`);
    expect(trailing.lazy).toEqual(trailing.eager);
    expect(trailing.lazy.kind).toBe('unreadable');
  });
});
