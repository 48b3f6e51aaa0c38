/**
 * A merge that git could not finish in generated/migrations.sum (two branches each added a migration) is reported
 * as what it is — a sum file with a merge conflict that `generate --rebase` resolves, exit 3 — not as missing
 * files named `=======`. The conflicted file is made by git itself (`git merge-file`).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHistory } from '../../src/load/migrations.js';
import { ensureBuilt } from '../load/built.js';
import { runCliIn } from '../support/cli.js';
import { edited, project, removeProjects } from './tmp-project.js';

const tables = (...names: string[]) => ({
  'tables.ts': `import { integer, table } from 'keikaku';\n\n${names.map((n) => `export const ${n} = table('${n}', { id: integer().primaryKey() });\n`).join('')}`,
});

// tsc may take minutes on a busy machine.
beforeAll(ensureBuilt, 600_000);
afterAll(removeProjects);

const generate = async (dir: string, name: string, now: string) => {
  process.env.KEIKAKU_NOW = now;
  try {
    const r = await runCliIn(dir, 'generate', name);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  } finally {
    delete process.env.KEIKAKU_NOW;
  }
};

describe('migrations.sum with git conflict markers', () => {
  it('says the sum file has a merge conflict and that generate --rebase resolves it (exit 3); --rebase does', { timeout: 600_000 }, async () => {
    const base = project(tables('base'));
    await generate(base, 'base', '2026-05-01T00:00:00Z');
    const ours = edited(base, tables('base', 'ours'));
    await generate(ours, 'ours', '2026-05-02T00:00:00Z');
    const theirs = edited(base, tables('base', 'theirs'));
    await generate(theirs, 'theirs', '2026-05-03T00:00:00Z');

    // The merge: both migration folders, schema/ with both tables, and the sum file as git leaves it.
    const merged = edited(ours, tables('base', 'ours', 'theirs'));
    cpSync(join(theirs, 'generated', 'migrations'), join(merged, 'generated', 'migrations'), { recursive: true });
    const sum = (dir: string) => join(dir, 'generated', 'migrations.sum');
    const conflicted = (() => {
      try {
        return execFileSync('git', ['merge-file', '-p', '-L', 'HEAD', '-L', 'base', '-L', 'theirs', sum(ours), sum(base), sum(theirs)], { encoding: 'utf8' });
      } catch (e) {
        // git merge-file exits with the number of conflicts; its stdout is the merged text.
        return (e as { stdout: string }).stdout;
      }
    })();
    expect(conflicted).toMatch(/^=======$/m);
    writeFileSync(sum(merged), conflicted);

    for (const command of ['plan', 'generate', 'check']) {
      const r = await runCliIn(merged, command);
      expect(r.code, `${command}: ${r.stderr}${r.stdout}`).toBe(3);
      const said = r.stderr + r.stdout;
      expect(said).toContain('migrations.sum has a merge conflict');
      expect(said).toContain('keikaku generate --rebase');
      expect(said).not.toContain('=======');
      expect(said).not.toContain('FILE_REMOVED');
    }

    process.env.KEIKAKU_NOW = '2026-05-04T00:00:00Z';
    try {
      const rebased = await runCliIn(merged, 'generate', '--rebase');
      expect(rebased.stderr).toBe('');
      expect(rebased.code).toBe(0);
    } finally {
      delete process.env.KEIKAKU_NOW;
    }
    expect(readHistory(join(merged, 'generated')).problems).toEqual([]);
    expect(readFileSync(sum(merged), 'utf8')).not.toContain('=======');
    expect(await runCliIn(merged, 'plan', '--exit-code')).toMatchObject({ code: 0 });
  });
});
