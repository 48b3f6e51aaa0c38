import { UserError } from './errors.js';

/** A statement of a .sql file that Postgres (or its parser) rejected, located in the file. */
export interface SqlFileFailure {
  /** The file as the caller named it. */
  readonly file: string;
  /** 1-based line: where Postgres pointed, else the statement's first line. */
  readonly line: number;
  /** Postgres's primary message, e.g. `relation "users" does not exist`. */
  readonly message: string;
  /** SQLSTATE, e.g. `42P01` (`42601` for syntax errors). */
  readonly sqlState?: string;
  readonly detail?: string;
  readonly hint?: string;
  /** The rejected statement's text (whole; the message shows its first ~200 characters). */
  readonly statement: string;
}

const SNIPPET_LENGTH = 200;

/** The statement on one line: whitespace runs collapsed, cut at ~200 characters. */
export const statementSnippet = (statement: string): string => {
  const flat = statement.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= SNIPPET_LENGTH ? flat : `${chars.slice(0, SNIPPET_LENGTH).join('')}…`;
};

/**
 * `FILE:LINE: ERROR: message`, then DETAIL / HINT when Postgres gave them, then `STATEMENT: <first ~200 chars>`.
 * Exit code 1. The fields stay available for machine-readable output.
 */
export class SqlFileError extends UserError {
  readonly failure: SqlFileFailure;

  constructor(failure: SqlFileFailure, options?: { cause?: unknown }) {
    const lines = [`${failure.file}:${failure.line}: ERROR: ${failure.message}`];
    if (failure.detail) lines.push(`DETAIL: ${failure.detail}`);
    if (failure.hint) lines.push(`HINT: ${failure.hint}`);
    lines.push(`STATEMENT: ${statementSnippet(failure.statement)}`);
    super(lines.join('\n'), 1, options);
    this.name = 'SqlFileError';
    this.failure = failure;
  }
}
