import { describe, expect, it } from 'vitest';
import { SqlFileError } from '../../src/db/sql-file-error.js';
import { splitSql } from '../../src/db/split-sql.js';

describe('splitSql', () => {
  it('gives each statement its text, first line and kind, with byte offsets converted for non-ASCII text', async () => {
    const sql = [
      '-- Schéma «données» 😀😀', // line 1
      'CREATE TABLE "café" (', // 2
      '  id int -- é', // 3
      ');', // 4
      "COMMENT ON TABLE \"café\" IS 'Ünïcödé 😀'; SELECT 1;", // 5
      '', // 6
      '/* ñ */ SELECT', // 7
      "  'ß' -- trailing", // 8
    ].join('\n');
    const statements = await splitSql(sql, 'x.sql');
    expect(statements.map(({ text, line, kind }) => ({ text, line, kind }))).toEqual([
      { text: 'CREATE TABLE "café" (\n  id int -- é\n)', line: 2, kind: 'CreateStmt' },
      { text: "COMMENT ON TABLE \"café\" IS 'Ünïcödé 😀'", line: 5, kind: 'CommentStmt' },
      { text: 'SELECT 1', line: 5, kind: 'SelectStmt' },
      { text: "SELECT\n  'ß' -- trailing", line: 7, kind: 'SelectStmt' },
    ]);
  });

  it('marks the statements psql semantics require to be sent alone', async () => {
    const sql = `
      CREATE TABLE t (a int);
      CREATE INDEX CONCURRENTLY t_a ON t (a);
      CREATE INDEX t_b ON t (a);
      DROP INDEX CONCURRENTLY t_a;
      ALTER TYPE e ADD VALUE 'x';
      ALTER TABLE p DETACH PARTITION c CONCURRENTLY;
      ALTER TABLE p DETACH PARTITION c;
      REINDEX INDEX t_b;
      VACUUM t;
      BEGIN;
      SET LOCAL search_path = x;
      SET search_path = x;
      DO $$ BEGIN END $$;
      CALL pr();
      LOCK TABLE t;
      COMMIT;`;
    const statements = await splitSql(sql, 'x.sql');
    expect(statements.map((s) => [s.kind, s.runsAlone])).toEqual([
      ['CreateStmt', false],
      ['IndexStmt', true],
      ['IndexStmt', false],
      ['DropStmt', true],
      ['AlterEnumStmt', true],
      ['AlterTableStmt', true],
      ['AlterTableStmt', false],
      ['ReindexStmt', true],
      ['VacuumStmt', true],
      ['TransactionStmt', true],
      ['VariableSetStmt', true],
      ['VariableSetStmt', false],
      ['DoStmt', true],
      ['CallStmt', true],
      ['LockStmt', true],
      ['TransactionStmt', true],
    ]);
  });

  it('skips psql meta-commands but not backslashes inside strings and comments', async () => {
    const sql = [
      '\\set ON_ERROR_STOP on',
      "CREATE TABLE m (a text DEFAULT 'x",
      "\\not_a_command');",
      '  \\connect other',
      '/*',
      '\\also_not_a_command */ SELECT 2;',
      '\\restrict abc123',
    ].join('\n');
    const statements = await splitSql(sql, 'dump.sql');
    expect(statements.map(({ text, line }) => ({ text, line }))).toEqual([
      { text: "CREATE TABLE m (a text DEFAULT 'x\n\\not_a_command')", line: 2 },
      { text: 'SELECT 2', line: 6 },
    ]);
  });

  it('handles a byte-order mark, CRLF line ends and scripts without statements', async () => {
    expect((await splitSql('\uFEFFSELECT 1;\r\n\r\nSELECT 2;\r\n', 'w.sql')).map((s) => [s.text, s.line])).toEqual([
      ['SELECT 1', 1],
      ['SELECT 2', 3],
    ]);
    expect(await splitSql('', 'e.sql')).toEqual([]);
    expect(await splitSql('  \n-- only a comment\n', 'e.sql')).toEqual([]);
  });

  it('reports a syntax error with file, line and the statement', async () => {
    const sql = 'CREATE TABLE ok (a int);\n-- ça va 😀\nCREATE TABLE broken (\n  a int,,\n  b int\n);\nSELECT 1;';
    const error = await splitSql(sql, 'schema.sql').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqlFileError);
    expect((error as SqlFileError).exitCode).toBe(1);
    expect((error as SqlFileError).message).toBe(
      'schema.sql:4: ERROR: syntax error at or near ","\nSTATEMENT: CREATE TABLE broken ( a int,, b int )',
    );
    expect((error as SqlFileError).failure).toMatchObject({ file: 'schema.sql', line: 4, sqlState: '42601' });
  });

  it('reports an unterminated string at the line it starts', async () => {
    const error = await splitSql("SELECT 1;\nSELECT 'é\n\n", 'q.sql').catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      'q.sql:2: ERROR: unterminated quoted string at or near "\'é\n\n"\nSTATEMENT: SELECT \'é',
    );
  });
});
