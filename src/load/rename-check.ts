/**
 * Rename hints written in code checked against the current schema, so a `renamedFrom` whose old name exists
 * nowhere (a typo, or a hint for another database) is reported at the line that wrote it, before any diff.
 */
import { DIAGNOSTIC_CODES as C, type Diagnostic, diagnostic } from '../dsl/ddl/diagnostic.js';
import type { RenameHintText } from '../dsl/rename-hints.js';
import { applyRename, parseRenameHint, RenameError, resolveRename } from '../diff/renames.js';
import type { Schema } from '../model/schema.js';

/**
 * Resolves the hints in order on `current` as the differ does (each on the schema the previous ones produced).
 * A hint already carried out (old name gone, new name present) is fine: hints stay in code after their migration.
 */
export const checkRenameHints = (hints: readonly RenameHintText[], current: Schema): Diagnostic[] => {
  const problems: Diagnostic[] = [];
  let schema = current;
  for (const h of hints) {
    const parsed = parseRenameHint(h.text);
    if (typeof parsed === 'string') {
      problems.push(diagnostic(C.badRenameHint, h.site, `${h.object}: ${parsed}`));
      continue;
    }
    try {
      const rename = resolveRename(schema, { ...parsed, fromCode: true });
      if (rename) schema = applyRename(schema, rename).schema;
    } catch (error) {
      if (!(error instanceof RenameError)) throw error;
      const fix = error.reason === 'taken' ? '' : '; remove the hint, or fix the old name';
      problems.push(diagnostic(C.badRenameHint, h.site, `${h.object}: renamedFrom: ${error.message.replace(/^--rename [^:]*: /, '')}${fix}`));
    }
  }
  return problems;
};
