import { UserError } from './errors.js';
import { SqlFileError } from './sql-file-error.js';
import { lineOfByte, lineStarts, locateCodePoint } from './sql-text.js';

/** One top-level statement of a SQL script, as Postgres's own parser (libpg-query, v18) delimits it. */
export interface SqlStatement {
  /** The statement as written, from its first token up to (not including) its semicolon. */
  readonly text: string;
  /** 1-based line of its first token in the file. */
  readonly line: number;
  /** The parse node type, e.g. `CreateStmt`, `IndexStmt`, `TransactionStmt`. */
  readonly kind: string;
  /**
   * It must be sent to the server on its own, as psql would: it cannot run inside a transaction block
   * (`CREATE INDEX CONCURRENTLY`, `VACUUM`, …), its effect must be committed before later statements use it
   * (`ALTER TYPE … ADD VALUE`), it may commit by itself (`CALL`, `DO`), or it behaves differently when
   * grouped with others (`LOCK`, `SET LOCAL`, `BEGIN`/`COMMIT`).
   */
  readonly runsAlone: boolean;
}

type ParseNode = Record<string, unknown>;

/** Node types that are always sent alone (see `SqlStatement.runsAlone`). */
const ALWAYS_ALONE = new Set([
  'TransactionStmt',
  'CreatedbStmt',
  'DropdbStmt',
  'AlterDatabaseStmt',
  'VacuumStmt',
  'AlterSystemStmt',
  'CreateTableSpaceStmt',
  'DropTableSpaceStmt',
  'CreateSubscriptionStmt',
  'AlterSubscriptionStmt',
  'DropSubscriptionStmt',
  'ClusterStmt',
  'ReindexStmt',
  'AlterEnumStmt',
  'CallStmt',
  'DoStmt',
  'LockStmt',
  'DeclareCursorStmt',
  'CheckPointStmt',
  'DiscardStmt',
  'CopyStmt',
  'LoadStmt',
]);

const runsAlone = (kind: string, node: ParseNode): boolean => {
  if (ALWAYS_ALONE.has(kind)) return true;
  switch (kind) {
    case 'IndexStmt': // CREATE INDEX CONCURRENTLY
    case 'DropStmt': // DROP INDEX CONCURRENTLY
      return node.concurrent === true;
    case 'AlterTableStmt': // DETACH PARTITION … CONCURRENTLY
      return ((node.cmds as ParseNode[] | undefined) ?? []).some((cmd) => {
        const def = (cmd.AlterTableCmd as ParseNode | undefined)?.def as ParseNode | undefined;
        return (def?.PartitionCmd as ParseNode | undefined)?.concurrent === true;
      });
    case 'VariableSetStmt': // SET LOCAL lasts to the end of the transaction, i.e. of the group
      return node.is_local === true;
    default:
      return false;
  }
};

const libpgQuery = () => import('libpg-query');

/**
 * psql meta-commands (a line whose first non-blank character is a backslash outside any string or comment,
 * e.g. `\connect`, `\set`, `\restrict` from pg_dump) are psql's, not SQL: they are blanked out, byte for byte,
 * so lines and offsets are unchanged.
 */
const blankMetaCommands = async (sql: string): Promise<string> => {
  if (!/^[ \t]*\\/m.test(sql)) return sql;
  const { scan } = await libpgQuery();
  let tokens;
  try {
    tokens = (await scan(sql)).tokens;
  } catch {
    return sql; // the parser will report the problem with its position
  }
  const bytes = Buffer.from(sql, 'utf8');
  for (const token of tokens) {
    if (token.text !== '\\') continue;
    let lineStart = token.start;
    while (lineStart > 0 && (bytes[lineStart - 1] === 0x20 || bytes[lineStart - 1] === 0x09)) lineStart--;
    if (lineStart > 0 && bytes[lineStart - 1] !== 0x0a) continue;
    for (let i = token.start; i < bytes.length && bytes[i] !== 0x0a && bytes[i] !== 0x0d; i++) bytes[i] = 0x20;
  }
  return bytes.toString('utf8');
};

/** The text between the top-level semicolons around a byte offset, for reporting a syntax error. */
const statementAround = async (source: string, bytes: Buffer, byte: number): Promise<string> => {
  let start = 0;
  let end = bytes.length;
  try {
    const { scan } = await libpgQuery();
    let afterSemicolon = true;
    for (const token of (await scan(source)).tokens) {
      if (token.tokenName === 'SQL_COMMENT' || token.tokenName === 'C_COMMENT') continue;
      if (token.text === ';') {
        if (token.start >= byte) {
          end = token.start;
          break;
        }
        afterSemicolon = true;
      } else if (afterSemicolon && token.start <= byte) {
        // the first token after a semicolon (comments skipped) may begin the statement that failed
        start = token.start;
        afterSemicolon = false;
      }
    }
  } catch {
    // Unscannable (e.g. an unterminated string): fall back to the line of the error.
    const starts = lineStarts(bytes);
    const line = lineOfByte(starts, byte);
    start = starts[line - 1]!;
    end = starts[line] ?? bytes.length;
  }
  return bytes.subarray(start, end).toString('utf8').trim();
};

/** A statement with its parse tree and where it sits in the script (for tools that read the tree, e.g. lint). */
export interface ParsedStatement extends SqlStatement {
  /** The raw parse node, `{ KindName: {...} }`, as libpg-query (PostgreSQL 18) gives it. */
  readonly node: ParseNode;
  /** UTF-8 byte offsets of its first token and of its end (its semicolon, or the end of the script). */
  readonly start: number;
  readonly end: number;
}

/** A parsed script: the text the parser saw (psql meta-commands blanked, same offsets) and its statements. */
export interface ParsedScript {
  readonly source: string;
  readonly statements: readonly ParsedStatement[];
}

/**
 * Parses a SQL script with the PostgreSQL 18 parser. `file` names the script in errors. Node locations in the
 * trees are UTF-8 byte offsets into `source`.
 * @throws SqlFileError `FILE:LINE: ERROR: syntax error …` when the parser rejects the script.
 */
export const parseSqlScript = async (sql: string, file: string): Promise<ParsedScript> => {
  const source = await blankMetaCommands(sql.replace(/^\uFEFF/, ''));
  if (source.trim() === '') return { source, statements: [] };
  const bytes = Buffer.from(source, 'utf8');
  const { parse, hasSqlDetails } = await libpgQuery();
  let stmts;
  try {
    stmts = (await parse(source)).stmts ?? [];
  } catch (error) {
    if (!hasSqlDetails(error) || !error.sqlDetails) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new UserError(`${file}: cannot parse: ${reason}`, 1, { cause: error });
    }
    const { byte, newlines } = locateCodePoint(source, error.sqlDetails.cursorPosition);
    throw new SqlFileError(
      {
        file,
        line: newlines + 1,
        message: error.sqlDetails.message || error.message,
        sqlState: '42601',
        statement: await statementAround(source, bytes, byte),
      },
      { cause: error },
    );
  }
  const starts = lineStarts(bytes);
  const statements = stmts.flatMap((raw): ParsedStatement[] => {
    const node = raw.stmt as ParseNode | undefined;
    if (!node) return [];
    const location = raw.stmt_location ?? 0;
    // A length of 0 (or none) means "to the end of the text": the last statement had no semicolon.
    const length = raw.stmt_len ? raw.stmt_len : bytes.length - location;
    const kind = Object.keys(node)[0] ?? 'Unknown';
    return [
      {
        text: bytes.subarray(location, location + length).toString('utf8').trimEnd(),
        line: lineOfByte(starts, location),
        kind,
        runsAlone: runsAlone(kind, (node[kind] ?? {}) as ParseNode),
        node,
        start: location,
        end: location + length,
      },
    ];
  });
  return { source, statements };
};

/**
 * Splits a SQL script into statements with the PostgreSQL 18 parser. `file` names the script in errors.
 * @throws SqlFileError `FILE:LINE: ERROR: syntax error …` when the parser rejects the script.
 */
export const splitSql = async (sql: string, file: string): Promise<SqlStatement[]> =>
  (await parseSqlScript(sql, file)).statements.map(({ text, line, kind, runsAlone }) => ({ text, line, kind, runsAlone }));
