/**
 * `--rename OLD=NEW` texts read as rename hints. Apart from `diff.ts` so that `keikaku diff` does not load what
 * `plan` and `generate` need (the declared schema's loader, the history replay).
 */
import { UserError } from '../db/errors.js';
import { parseRenameHint, type RenameHint } from '../diff/renames.js';

/** `--rename` strings (and hints from code) parsed; a malformed one is refused with exit 3. */
export const parseHints = (texts: readonly string[]): RenameHint[] =>
  texts.map((t) => {
    const h = parseRenameHint(t);
    if (typeof h === 'string') throw new UserError(h, 3);
    return h;
  });
