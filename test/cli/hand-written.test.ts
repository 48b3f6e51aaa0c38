/**
 * `generate --empty`, `rehash` and `check` through the CLI: a hand-written migration is linted as a person's SQL
 * (an unallowed hazard refuses, exit 3; `-- keikaku:allow` after review passes), so is a hand edit of a generated
 * file once rehash records it; a plan.md note is a warning only.
 */
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../load/built.js';
import { runCliIn } from '../support/cli.js';
import { edited, project, removeProjects } from './tmp-project.js';

const T = `import { integer, table, text } from 'keikaku';\n\nexport const t = table('t', { id: integer().primaryKey(), name: text() });\n`;
const T2 = `import { integer, table, text } from 'keikaku';\n\nexport const t = table('t', { id: integer().primaryKey(), name: text(), note: text() });\n`;

beforeAll(ensureBuilt, 600_000);
afterAll(removeProjects);

const migrations = (dir: string) => readdirSync(join(dir, 'generated/migrations')).sort();
const checkJson = async (dir: string) => {
  const r = await runCliIn(dir, 'check', '--format', 'json');
  return { code: r.code, stderr: r.stderr, findings: (JSON.parse(r.stdout) as { findings: { rule: string; level: string; message: string }[] }).findings };
};

describe('hand-written migrations and hand edits (CLI)', () => {
  it('generate --empty → fill → rehash → check refuses an unallowed hazard, passes once acknowledged', { timeout: 600_000 }, async () => {
    const dir = project({ 't.ts': T });
    expect((await runCliIn(dir, 'generate', 'first')).code).toBe(0);
    const empty = await runCliIn(dir, 'generate', '--empty', 'clear names', '--format', 'json');
    expect(empty.code, empty.stderr).toBe(0);
    const id = (JSON.parse(empty.stdout) as { id: string }).id;
    expect(id).toMatch(/^\d{14}_clear_names$/);
    expect(migrations(dir)).toHaveLength(2);
    expect(JSON.parse(readFileSync(join(dir, 'generated/migrations', id, 'plan.json'), 'utf8'))).toMatchObject({ handWritten: true });
    // As written (comments only) it is signed and clean.
    expect((await checkJson(dir)).code).toBe(0);

    const up = join(dir, 'generated/migrations', id, '1_expand.up.sql');
    appendFileSync(up, 'BEGIN;\nDELETE FROM t;\nCOMMIT;\n');
    const unsigned = await checkJson(dir);
    expect(unsigned.code).toBe(3);
    expect(unsigned.findings.map((f) => f.rule)).toEqual(expect.arrayContaining(['history-not-intact', 'lint-refused']));

    const signed = await runCliIn(dir, 'rehash');
    expect(signed.code, signed.stderr).toBe(0);
    expect(signed.stdout).toContain(`edited  ${id}/1_expand.up.sql`);
    const refused = await checkJson(dir);
    expect(refused.code).toBe(3);
    expect(refused.findings.filter((f) => f.level === 'error')).toEqual([expect.objectContaining({ rule: 'lint-refused', message: expect.stringContaining('delete-without-where') })]);

    // Reviewed: the acknowledgement goes on the line above the statement.
    writeFileSync(up, readFileSync(up, 'utf8').replace('DELETE FROM t;', '-- keikaku:allow delete-without-where\nDELETE FROM t;'));
    expect((await runCliIn(dir, 'rehash')).code).toBe(0);
    const ok = await checkJson(dir);
    expect(ok.code, JSON.stringify(ok.findings)).toBe(0);
    expect((await runCliIn(dir, 'rehash')).stdout).toContain('already matches');
  });

  it('a hand edit of a generated file is linted as refusing once rehash records it; a plan.md note only warns', { timeout: 600_000 }, async () => {
    const first = project({ 't.ts': T });
    expect((await runCliIn(first, 'generate', 'first')).code).toBe(0);
    const dir = edited(first, { 't.ts': T2 });
    expect((await runCliIn(dir, 'generate', 'note')).code).toBe(0);
    const [a, b] = migrations(dir);
    appendFileSync(join(dir, 'generated/migrations', b!, '1_expand.up.sql'), '\nDELETE FROM t;\n');
    const marked = await runCliIn(dir, 'rehash', '--format', 'json');
    expect(JSON.parse(marked.stdout)).toMatchObject({ written: true, markedEdited: [`${b}/1_expand.up.sql`] });
    const refused = await checkJson(dir);
    expect(refused.code).toBe(3);
    expect(refused.findings.filter((f) => f.rule === 'lint-refused').map((f) => f.message)).toEqual([expect.stringContaining('delete-without-where')]);

    // A reviewer's note: a warning, not a refusal (the first migration's files are untouched otherwise).
    appendFileSync(join(dir, 'generated/migrations', a!, 'plan.md'), '\n> Reviewed by ops: fine.\n');
    const noted = await checkJson(dir);
    expect(noted.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'plan-md-edited', level: 'warning' })]));
    expect(noted.findings.some((f) => f.rule === 'history-not-intact')).toBe(false);
  });

  it('--empty cannot be combined with --rebase', async () => {
    const dir = project({ 't.ts': T });
    const r = await runCliIn(dir, 'generate', '--empty', 'x', '--rebase');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('keikaku: --empty writes a migration to fill by hand; it takes no --rebase\n');
  });
});
