/** Phase files read as steps (no database), and the CLI's duration parsing. */
import { describe, expect, it } from 'vitest';
import { readPhaseScript, stepLabel } from '../../src/apply/script.js';
import { parseDuration } from '../../src/cli/apply.js';

describe('readPhaseScript', () => {
  it('makes each BEGIN … COMMIT block one step, each statement outside a block its own step, session SETs settings', async () => {
    const sql = [
      '-- m: phase 1 (expand)',
      'SET check_function_bodies = off;',
      '',
      'BEGIN;',
      '',
      '-- create table public.a',
      'CREATE TABLE a (id int);',
      '',
      '-- add column public.a.b',
      'ALTER TABLE a ADD COLUMN b int;',
      '',
      'COMMIT;',
      '',
      '-- create index public.a_b [INDEX_BUILD]',
      'CREATE INDEX CONCURRENTLY a_b ON a (b);',
      '',
      "DO $$ BEGIN RAISE NOTICE 'x'; END $$;",
      '',
    ].join('\n');
    const script = await readPhaseScript(sql, 'm/1_expand.up.sql');
    expect(script.items.map((i) => i.kind)).toEqual(['setting', 'transaction', 'alone', 'alone']);
    expect(script.steps.map((s) => [s.index, s.line])).toEqual([
      [0, 4],
      [1, 15],
      [2, 17],
    ]);
    expect(script.steps.map(stepLabel)).toEqual([
      'create table public.a (+1 more statement in this transaction)',
      'create index public.a_b [INDEX_BUILD]',
      "DO $$ BEGIN RAISE NOTICE 'x'; END $$",
    ]);
  });

  it('refuses transaction control it cannot honour, naming file and line', async () => {
    await expect(readPhaseScript('BEGIN;\nCREATE TABLE a (id int);\n', 'f.sql')).rejects.toThrow('f.sql:1: BEGIN without COMMIT');
    await expect(readPhaseScript('BEGIN;\nCREATE TABLE a (id int);\nROLLBACK;\n', 'f.sql')).rejects.toThrow(/^f\.sql:3: ROLLBACK: /);
    await expect(readPhaseScript('COMMIT;\n', 'f.sql')).rejects.toThrow(/^f\.sql:1: COMMIT/);
    await expect(readPhaseScript('CREATE TABLE (;\n', 'f.sql')).rejects.toThrow(/^f\.sql:1: ERROR: syntax error/);
  });
});

describe('parseDuration', () => {
  it('reads ms, s, min, h and bare milliseconds; refuses anything else', () => {
    expect(['500ms', '2s', '1.5s', '5min', '1h', '250', 250].map((t) => parseDuration(t, '--lock-timeout'))).toEqual([
      500, 2000, 1500, 300_000, 3_600_000, 250, 250,
    ]);
    expect(() => parseDuration('soon', '--lock-timeout')).toThrow('--lock-timeout soon: expected a duration such as 500ms, 2s, 5min or 1h');
  });
});
