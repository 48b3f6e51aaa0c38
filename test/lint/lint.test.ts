/** lintSql's engine (positions, allow comments, transactions, options) and the `keikaku lint` command. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqlFileError } from '../../src/db/sql-file-error.js';
import { lintSql, refusing } from '../../src/lint/index.js';
import { runCli } from '../support/cli.js';

describe('lintSql', () => {
  it('locates each finding at its construct: line and column in characters, past non-ASCII text', async () => {
    const sql = ["-- Schéma «données» 😀", "SET lock_timeout = '2s';", "ALTER TABLE \"café\" ADD COLUMN ü uuid DEFAULT gen_random_uuid();"].join('\n');
    const [f, ...rest] = await lintSql(sql, 'x.sql');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ file: 'x.sql', line: 3, rule: 'add-column-volatile-default', hazard: 'TABLE_REWRITE', severity: 'error', allowed: false });
    expect(sql.split('\n')[2]!.slice(f!.col - 1)).toMatch(/^gen_random_uuid\(\)/);
  });

  it('a keikaku:allow comment above a statement acknowledges the named rules for that statement only', async () => {
    const sql = [
      "SET lock_timeout = '2s';",
      '-- reviewed: the table is tiny',
      '-- keikaku:allow create-index-concurrently, rename-column',
      'CREATE INDEX a ON t (a);',
      'CREATE INDEX b ON t (b);',
      '/* keikaku:allow truncate */ TRUNCATE t;',
    ].join('\n');
    const findings = await lintSql(sql, 'x.sql');
    expect(findings.map((f) => [f.line, f.rule, f.allowed])).toEqual([
      [4, 'create-index-concurrently', true],
      [5, 'create-index-concurrently', false],
      [6, 'truncate', true],
    ]);
    expect(refusing(findings).map((f) => f.line)).toEqual([5]);
  });

  it('a hazard code in a keikaku:allow comment (as generate writes it) acknowledges every rule of that hazard', async () => {
    const sql = [
      "SET lock_timeout = '2s';",
      '-- rename column public.t.a to b [BREAKS_OLD_CLIENTS]',
      '-- keikaku:allow BREAKS_OLD_CLIENTS (allowed when this migration was generated)',
      'ALTER TABLE t RENAME COLUMN a TO b;',
      'ALTER TABLE t RENAME COLUMN c TO d;',
      '-- keikaku:allow BREAKS_OLD_CLIENTS',
      'TRUNCATE t;',
    ].join('\n');
    const findings = await lintSql(sql, 'x.sql');
    expect(findings.map((f) => [f.line, f.rule, f.hazard, f.allowed])).toEqual([
      [4, 'rename-column', 'BREAKS_OLD_CLIENTS', true],
      [5, 'rename-column', 'BREAKS_OLD_CLIENTS', false],
      [7, 'truncate', 'DELETES_DATA', false],
    ]);
  });

  it('a comment trailing the previous statement on its line does not allow the next one', async () => {
    const sql = "SET lock_timeout = '2s'; -- keikaku:allow truncate\nTRUNCATE t;";
    expect((await lintSql(sql, 'x.sql')).map((f) => f.allowed)).toEqual([false]);
  });

  it('options.allow acknowledges a rule everywhere', async () => {
    const findings = await lintSql('TRUNCATE t;\nTRUNCATE u;', 'x.sql', { allow: ['truncate', 'require-lock-timeout'] });
    expect(findings.length).toBe(3);
    expect(findings.every((f) => f.allowed)).toBe(true);
  });

  it('without BEGIN each statement commits alone; assumeInTransaction makes the file one transaction', async () => {
    const sql = 'ALTER TABLE o ADD CONSTRAINT c CHECK (x > 0) NOT VALID;\nALTER TABLE o VALIDATE CONSTRAINT c;';
    const rules = async (o: Parameters<typeof lintSql>[2]) => (await lintSql(sql, 'x.sql', o)).map((f) => f.rule);
    expect(await rules({})).not.toContain('validate-same-transaction');
    expect(await rules({ assumeInTransaction: true })).toContain('validate-same-transaction');
    const concurrently = 'CREATE INDEX CONCURRENTLY i ON t (a);';
    expect((await lintSql(concurrently, 'x.sql', { assumeInTransaction: true })).map((f) => f.rule)).toEqual(['concurrently-in-transaction']);
  });

  it('a value added after COMMIT of the ADD VALUE may be used; SET LOCAL lock_timeout lasts to the end of its transaction', async () => {
    const sql = [
      "ALTER TYPE s ADD VALUE 'x';",
      'BEGIN;',
      "SET LOCAL lock_timeout = '1s';",
      "UPDATE t SET s = 'x' WHERE id = 1;",
      'ALTER TABLE t ADD COLUMN a int;',
      'COMMIT;',
      'ALTER TABLE t ADD COLUMN b int;',
    ].join('\n');
    const findings = await lintSql(sql, 'x.sql');
    expect(findings.map((f) => [f.line, f.rule])).toEqual([[7, 'require-lock-timeout']]);
  });

  it('appliedByKeikaku drops require-lock-timeout; lock_timeout = 0 does not count as set', async () => {
    const sql = 'SET lock_timeout = 0;\nALTER TABLE t ADD COLUMN a int;';
    expect((await lintSql(sql, 'x.sql')).map((f) => f.rule)).toEqual(['require-lock-timeout']);
    expect(await lintSql(sql, 'x.sql', { appliedByKeikaku: true })).toEqual([]);
  });

  it('context SQL gives old column types (it is read, not linted)', async () => {
    const sql = 'ALTER TABLE t ALTER COLUMN v TYPE varchar(50);';
    const without = await lintSql(sql, 'x.sql', { appliedByKeikaku: true });
    expect(without).toEqual([]); // old type unknown: a varchar target may be a widening
    const narrower = await lintSql(sql, 'x.sql', { appliedByKeikaku: true, context: 'CREATE TABLE t (v varchar(80) NOT NULL);\nTRUNCATE t;' });
    expect(narrower.map((f) => f.rule).sort()).toEqual(['alter-column-type', 'narrowing-column-type']);
    expect(narrower[0]!.message).toContain('from varchar(80)');
    // the context's renames are followed: the column keeps its type under its new name
    const renamed = await lintSql('ALTER TABLE t ALTER COLUMN w TYPE varchar(50);', 'x.sql', {
      appliedByKeikaku: true,
      context: 'CREATE TABLE t (v varchar(80));\nALTER TABLE t RENAME COLUMN v TO w;',
    });
    expect(renamed.map((f) => f.rule).sort()).toEqual(['alter-column-type', 'narrowing-column-type']);
    // a serial column holds an integer: bigserial → integer is a narrowing rewrite
    const serial = await lintSql('ALTER TABLE t ALTER COLUMN id TYPE integer;', 'x.sql', { appliedByKeikaku: true, context: 'CREATE TABLE t (id bigserial);' });
    expect(serial.map((f) => [f.rule, /from bigint to (the narrower )?integer/.test(f.message)])).toEqual([
      ['alter-column-type', true],
      ['narrowing-column-type', true],
    ]);
  });

  it('a function declared in the context without a volatility is VOLATILE (PostgreSQL\'s default)', async () => {
    const sql = 'ALTER TABLE t ADD COLUMN c text DEFAULT new_code();';
    const context = "CREATE FUNCTION new_code() RETURNS text LANGUAGE sql AS $$ SELECT md5(random()::text) $$;";
    expect((await lintSql(sql, 'x.sql', { appliedByKeikaku: true, context })).map((f) => f.rule)).toEqual(['add-column-volatile-default']);
    expect(await lintSql(sql, 'x.sql', { appliedByKeikaku: true })).toEqual([]); // declared nowhere: not known
  });

  it("timestamp ↔ timestamptz is a rewrite unless SET TIME ZONE 'UTC' is in force for the statement", async () => {
    const options = { appliedByKeikaku: true, context: 'CREATE TABLE t (at timestamp);' };
    const alter = 'ALTER TABLE t ALTER COLUMN at TYPE timestamptz;';
    const rules = async (sql: string) => (await lintSql(sql, 'x.sql', options)).map((f) => f.rule);
    expect(await rules(alter)).toEqual(['alter-column-type']);
    expect(await rules(`SET TIME ZONE 'UTC';\n${alter}`)).toEqual([]);
    expect(await rules(`SET TIME ZONE 'Asia/Tokyo';\n${alter}`)).toEqual(['alter-column-type']);
    expect(await rules(`SET LOCAL TIME ZONE 'UTC';\n${alter}`)).toEqual(['alter-column-type']); // its own transaction ended
    expect(await rules(`BEGIN;\nSET LOCAL TIME ZONE 'UTC';\n${alter}\nCOMMIT;`)).toEqual([]);
  });

  it('a syntax error is a SqlFileError naming the file and line', async () => {
    const error = await lintSql('SELECT 1;\n\nALTER TABLE t ADD COLUMN;', 'bad.sql').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqlFileError);
    expect((error as SqlFileError).message).toMatch(/^bad\.sql:3: ERROR: syntax error/);
    expect((error as SqlFileError).exitCode).toBe(1);
  });

  it('psql meta-commands are skipped, lines unchanged', async () => {
    const findings = await lintSql("\\set ON_ERROR_STOP on\nSET lock_timeout = '1s';\nTRUNCATE t;", 'x.sql');
    expect(findings.map((f) => [f.line, f.rule])).toEqual([[3, 'truncate']]);
  });
});

describe('keikaku lint', () => {
  const files = async (contents: Record<string, string>): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'keikaku-lint-'));
    for (const [name, text] of Object.entries(contents)) await writeFile(join(dir, name), text);
    return dir;
  };

  it('exits 0 with no findings, 3 with an error finding not allowed, 0 once it is allowed', async () => {
    const dir = await files({
      'ok.sql': "SET lock_timeout = '2s';\nCREATE INDEX CONCURRENTLY i ON t (a);\n",
      'bad.sql': "SET lock_timeout = '2s';\nCREATE INDEX i ON t (a);\n",
    });
    const ok = await runCli('lint', join(dir, 'ok.sql'));
    expect(ok).toMatchObject({ code: 0, stdout: 'No findings in 1 file(s).\n' });
    const bad = await runCli('lint', join(dir, 'ok.sql'), join(dir, 'bad.sql'));
    expect(bad.code).toBe(3);
    expect(bad.stdout).toContain(`${join(dir, 'bad.sql')}:2:19: error create-index-concurrently [BLOCKS_WRITES]`);
    expect(bad.stdout).toContain('safe: CREATE INDEX CONCURRENTLY "i" ON "t"');
    expect((await runCli('lint', '--allow', 'create-index-concurrently', join(dir, 'bad.sql'))).code).toBe(0);
    expect((await runCli('lint', '--allow-hazards', 'TABLE_REWRITE,BLOCKS_WRITES', join(dir, 'bad.sql'))).code).toBe(0);
    expect((await runCli('lint', '--allow-hazards', 'TABLE_REWRITE', join(dir, 'bad.sql'))).code).toBe(3);
    const notAHazard = await runCli('lint', '--allow-hazards', 'SLOW', join(dir, 'bad.sql'));
    expect(notAHazard.code).toBe(1);
    expect(notAHazard.stderr).toContain('SLOW is not a hazard code');
  });

  it('a directory stands for every .sql file under it, in order', async () => {
    const dir = await files({ 'b.sql': 'TRUNCATE b;\n', 'a.sql': 'TRUNCATE a;\n', 'notes.txt': 'TRUNCATE x;\n' });
    const r = await runCli('lint', '--applied-by-keikaku', '--format', 'json', dir);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout);
    expect(report.summary.files).toBe(2);
    expect(report.findings.map((f: { file: string }) => f.file)).toEqual([join(dir, 'a.sql'), join(dir, 'b.sql')]);
    const empty = await files({});
    expect(await runCli('lint', empty)).toMatchObject({ code: 1, stderr: `keikaku: ${empty}: no .sql files in this directory\n` });
  });

  it('warnings alone exit 0; --format json carries every field', async () => {
    const dir = await files({ 'style.sql': 'CREATE TABLE t (at timestamp);\n' });
    const r = await runCli('lint', '--format', 'json', join(dir, 'style.sql'));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.format).toBe('keikaku-lint/1');
    expect(report.summary).toMatchObject({ files: 1, findings: 1, errors: 0, warnings: 1, refused: 0 });
    expect(report.findings[0]).toMatchObject({ line: 1, col: 20, rule: 'prefer-timestamptz', hazard: 'TABLE_REWRITE', severity: 'warning' });
  });

  it('bad input: exit 1 and one clear line on stderr (syntax error, missing file, unknown rule)', async () => {
    const dir = await files({ 'broken.sql': 'CREATE TABLE t (\n  a int,,\n);\n' });
    const syntax = await runCli('lint', join(dir, 'broken.sql'));
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toMatch(new RegExp(`^keikaku: ${join(dir, 'broken.sql').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: ERROR: syntax error`));
    expect(syntax.stdout).toBe('');
    const missing = await runCli('lint', join(dir, 'nope.sql'));
    expect(missing).toMatchObject({ code: 1, stderr: `keikaku: cannot read ${join(dir, 'nope.sql')}: no such file\n` });
    await writeFile(join(dir, 'ok.sql'), 'SELECT 1;\n');
    const badSchema = await runCli('lint', '--schema', join(dir, 'broken.sql'), join(dir, 'ok.sql'));
    expect(badSchema.code).toBe(1);
    expect(badSchema.stderr.startsWith(`keikaku: ${join(dir, 'broken.sql')}:2: ERROR: syntax error`)).toBe(true);
    const unknown = await runCli('lint', '--allow', 'no-such-rule', join(dir, 'broken.sql'));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no rule named no-such-rule');
  });
});
