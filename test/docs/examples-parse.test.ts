/** The conventions of runnable doc examples (examples.ts): what is run, and what masking hides and keeps. */
import { describe, expect, it } from 'vitest';
import { mask, outputMatches, parsePage } from './examples.js';

const ctx = { knownIds: new Set(['20261120090000']) };

describe('parsePage', () => {
  it('finds console, console server, patch and file blocks in order, and nothing else', () => {
    const page = [
      '````md',
      '```console',
      '$ keikaku not-run',
      '```',
      '````',
      '```sql file=a.sql',
      'SELECT 1;',
      '```',
      '```diff',
      '--- a/schema/x.ts',
      '+++ b/schema/x.ts',
      '@@ -1 +1 @@',
      '-a',
      '+b',
      '```',
      '```console',
      '$ keikaku plan',
      'No changes.',
      '$ echo "exit $?"',
      'exit 0',
      '```',
      '```console server',
      '$ keikaku status',
      '```',
      '```sh',
      'npm test',
      '```',
    ].join('\n');
    const { blocks, emptyProject } = parsePage(page);
    expect(emptyProject).toBe(false);
    expect(blocks.map((b) => b.kind)).toEqual(['file', 'patch', 'console', 'console']);
    const [file, patch, run, server] = blocks;
    expect(file).toMatchObject({ kind: 'file', path: 'a.sql', text: 'SELECT 1;\n', line: 6 });
    expect(patch).toMatchObject({ kind: 'patch', path: 'schema/x.ts' });
    expect(run).toMatchObject({
      kind: 'console',
      server: false,
      commands: [
        { command: 'keikaku plan', expected: 'No changes.' },
        { command: 'echo "exit $?"', expected: 'exit 0' },
      ],
    });
    expect(server).toMatchObject({ kind: 'console', server: true, commands: [{ command: 'keikaku status', expected: '' }] });
  });

  it('refuses a console block that does not start with a command', () => {
    expect(() => parsePage('```console\noutput first\n```')).toThrow(/must start with a "\$ " command line/);
  });
});

describe('mask', () => {
  it('hides durations, clock times, new migration ids, hashes, journal authors and project paths', () => {
    const text = [
      'wrote /tmp/x/test/.tmp-docs-a/generated/migrations/20261206174323_add_x',
      '  [1/1] step (138 ms)',
      'pulled in 0.7 s',
      '  expand   applied     2026-12-06 17:49:52Z  856 ms  by postgres (root@vm pid 26356)  checksum ok',
      'its checksum 7fa65d1e5160… differs',
      'PostgreSQL 15.20',
    ].join('\n');
    expect(mask(text, ctx)).toBe(
      [
        'wrote <project>/generated/migrations/<id>_add_x',
        '  [1/1] step (<duration>)',
        'pulled in <duration>',
        '  expand   applied     <time>  <duration>  by postgres (<who>)  checksum ok',
        'its checksum <hash>… differs',
        'PostgreSQL <version>',
      ].join('\n'),
    );
  });

  it('keeps the ids of migrations that existed before the run, and plain numbers', () => {
    expect(mask('20261120090000_initial_schema: 5 phases, 3 change(s)', ctx)).toBe('20261120090000_initial_schema: 5 phases, 3 change(s)');
  });
});

describe('outputMatches', () => {
  it('compares line for line', () => {
    expect(outputMatches('a\nb', 'a\nb')).toBe(true);
    expect(outputMatches('a\nb', 'a\nc')).toBe(false);
    expect(outputMatches('a', 'a\nb')).toBe(false);
    expect(outputMatches('', '')).toBe(true);
    expect(outputMatches('', 'x')).toBe(false);
  });

  it('lets a … line stand for any number of lines, and only there', () => {
    expect(outputMatches('a\n…\nz', 'a\nz')).toBe(true);
    expect(outputMatches('a\n…\nz', 'a\nb\nc\nz')).toBe(true);
    expect(outputMatches('a\n…\nz', 'a\nb\nc\ny')).toBe(false);
    expect(outputMatches('a.c', 'abc')).toBe(false);
  });
});
