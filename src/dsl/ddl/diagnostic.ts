import { terminalBlock, terminalText } from '../../model/escape.js';
import type { Site } from './site.js';

/**
 * The closed catalog of schema diagnostics. Codes are stable (tests, CI annotations and docs refer to them);
 * messages name the object and, where there is one, the fix.
 */
export const DIAGNOSTIC_CODES = {
  /** Two declarations claim one name (two tables, two columns of a table, a table and a type, …). */
  duplicateName: 'KK101',
  /** A foreign key, index or constraint names a column or table that is not declared. */
  missingReference: 'KK102',
  /** A type, table, sequence or function is used but not exported from any schema file. */
  notExported: 'KK103',
  /** A declaration that cannot be turned into SQL (wrong kind of value, conflicting options). */
  invalidDeclaration: 'KK104',
  /** A schema file could not be read or threw while it was evaluated. */
  evaluationFailed: 'KK105',
  /** PostgreSQL rejected the SQL of a declaration in the shadow database. */
  sqlRejected: 'KK106',
  /** A name longer than PostgreSQL keeps (63 bytes): it would be cut, and never match its declaration. */
  nameTooLong: 'KK107',
  /** A rename hint that cannot be used (on an object Postgres names itself, or naming the object itself). */
  badRenameHint: 'KK108',
  /** The schema directory is missing or holds no .ts file. */
  noSchemaFiles: 'KK109',
} as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[keyof typeof DIAGNOSTIC_CODES];

/** An expected problem in the user's schema files: what, where, and the fix. */
export interface Diagnostic extends Site {
  readonly code: DiagnosticCode;
  readonly message: string;
  /** Source lines shown under the message (a syntax error's line with a caret): printed as they are, line by line. */
  readonly excerpt?: string;
}

export const diagnostic = (code: DiagnosticCode, site: Site, message: string, excerpt?: string): Diagnostic => ({
  code,
  message,
  ...(excerpt ? { excerpt } : {}),
  file: site.file,
  line: site.line,
  col: site.col,
});

/** `schema/staffs.ts:12:3: error KK101: …`, one per line (a message names objects: a line break in a name is escaped). */
export const formatDiagnostics = (ds: readonly Diagnostic[]): string =>
  ds
    .map((d) => `${terminalText(d.file)}:${d.line}:${d.col}: error ${d.code}: ${terminalText(d.message)}${d.excerpt ? `\n${terminalBlock(d.excerpt)}` : ''}`)
    .join('\n');
