import { readFile } from 'node:fs/promises';
import { pgErrorFields, UserError } from './errors.js';
import { splitSql, type SqlStatement } from './split-sql.js';
import { SqlFileError } from './sql-file-error.js';
import { locateCodePoint } from './sql-text.js';
import type { Db } from './types.js';

/** Statements sent in one round trip when nothing forces them apart. */
const GROUP_SIZE = 200;

/**
 * A statement's failure as `FILE:LINE: ERROR: …` (+ DETAIL/HINT, STATEMENT); LINE is where Postgres pointed in
 * it, else its first line.
 */
export const statementFailure = (error: unknown, statement: SqlStatement, file: string): SqlFileError => {
  const pg = pgErrorFields(error);
  const message = pg?.message ?? (error instanceof Error ? error.message : String(error));
  // Postgres's position is 1-based, in characters of the statement sent.
  const line = pg?.position
    ? statement.line + locateCodePoint(statement.text, pg.position - 1).newlines
    : statement.line;
  return new SqlFileError(
    {
      file,
      line,
      message,
      statement: statement.text,
      ...(pg?.code ? { sqlState: pg.code } : {}),
      ...(pg?.detail ? { detail: pg.detail } : {}),
      ...(pg?.hint ? { hint: pg.hint } : {}),
    },
    { cause: error },
  );
};

/** Runs one statement of `file`, failing with `statementFailure`. */
export const runOne = async (db: Db, statement: SqlStatement, file: string): Promise<void> => {
  try {
    await db.exec(statement.text);
  } catch (error) {
    throw statementFailure(error, statement, file);
  }
};

const runGroup = async (db: Db, group: readonly SqlStatement[], file: string): Promise<void> => {
  if (group.length === 0) return;
  if (group.length === 1) return runOne(db, group[0]!, file);
  try {
    // A newline before each semicolon: a statement may end in a `--` comment.
    await db.exec(group.map((s) => s.text).join('\n;\n'));
  } catch {
    // A multi-statement query runs as one implicit transaction, so the failed group left nothing behind. Run it
    // again statement by statement, as psql would, to name the statement Postgres rejects (or to succeed, where
    // only grouping failed).
    for (const statement of group) await runOne(db, statement, file);
  }
};

/**
 * Runs a SQL script the way `psql -v ON_ERROR_STOP=1 -f FILE` does: each statement commits on its own unless the
 * script opens a transaction, psql meta-commands are skipped, and the first error stops it. For speed, statements
 * that behave the same either way are sent in groups. Call it outside a transaction block.
 * @param file names the script in errors.
 * @throws SqlFileError `FILE:LINE: ERROR: message` (+ DETAIL/HINT) + `STATEMENT: …`, exit code 1; LINE is where
 *   Postgres pointed, else the first line of the statement.
 */
export const loadSql = async (db: Db, sql: string, file: string): Promise<void> => {
  const statements = await splitSql(sql, file);
  const single = statements.some((s) => s.kind === 'TransactionStmt');
  if (single) return loadWithTransactions(db, statements, file);
  let group: SqlStatement[] = [];
  for (const statement of statements) {
    if (statement.runsAlone) {
      await runGroup(db, group, file);
      group = [];
      await runOne(db, statement, file);
      continue;
    }
    group.push(statement);
    if (group.length >= GROUP_SIZE) {
      await runGroup(db, group, file);
      group = [];
    }
  }
  await runGroup(db, group, file);
};

const BEGINS = /^\s*(?:begin|start\s+transaction)\b/i;
const COMMITS = /^\s*(?:commit|end)\b/i;

/**
 * A script that manages its own transactions. Outside its blocks every statement goes alone (a failed group
 * could not be told from a failed statement once a transaction is open). A block `BEGIN; …; COMMIT;` of plain
 * statements goes in one round trip: if it fails, it is rolled back and run again statement by statement, to
 * name the statement Postgres rejects, exactly as psql would have stopped there.
 */
const loadWithTransactions = async (db: Db, statements: readonly SqlStatement[], file: string): Promise<void> => {
  try {
    for (let i = 0; i < statements.length; i++) {
      const s = statements[i]!;
      if (s.kind === 'TransactionStmt' && BEGINS.test(s.text)) {
        let end = i + 1;
        while (end < statements.length && !statements[end]!.runsAlone) end++;
        const closing = statements[end];
        if (closing && closing.kind === 'TransactionStmt' && COMMITS.test(closing.text) && end - i > 1) {
          const block = statements.slice(i, end + 1);
          try {
            await db.exec(block.map((b) => b.text).join('\n;\n'));
          } catch {
            await db.exec('ROLLBACK').catch(() => undefined);
            for (const b of block) await runOne(db, b, file);
          }
          i = end;
          continue;
        }
      }
      await runOne(db, s, file);
    }
  } catch (error) {
    // psql would exit and so end the script's open transaction; this connection lives on, so end it here
    // rather than leave the caller an aborted transaction.
    await db.exec('ROLLBACK').catch(() => undefined);
    throw error;
  }
};

/** Reads a .sql file (UTF-8) and runs it with `loadSql`, naming it in errors as given. */
export const loadSqlFile = async (db: Db, file: string): Promise<void> => {
  let sql: string;
  try {
    sql = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new UserError(`cannot read ${file}: ${reason}`, 1, { cause: error });
  }
  await loadSql(db, sql, file);
};
