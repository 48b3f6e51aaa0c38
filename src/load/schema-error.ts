import { UserError } from '../db/errors.js';
import { type Diagnostic, formatDiagnostics } from '../dsl/ddl/diagnostic.js';

/**
 * The schema files have problems: every diagnostic, one `file:line:col: error CODE: message` line each, sorted by
 * place. Exit code 1; nothing was written.
 */
export class SchemaError extends UserError {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[], options?: { cause?: unknown }) {
    const sorted = [...diagnostics].sort(
      (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.code.localeCompare(b.code),
    );
    const n = sorted.length;
    super(`${n} problem${n === 1 ? '' : 's'} in the schema:\n${formatDiagnostics(sorted)}`, 1, options);
    this.name = 'SchemaError';
    this.diagnostics = sorted;
  }
}
