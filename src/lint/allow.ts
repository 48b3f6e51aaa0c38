/**
 * `-- keikaku:allow RULE[, RULE…]` (or `/* keikaku:allow RULE *\/`) in the comments directly above a statement
 * acknowledges those rules' findings for that statement: the hazard was reviewed. A hazard code in the list
 * (`-- keikaku:allow BREAKS_OLD_CLIENTS`, as `generate` writes for a hazard allowed with `--allow-hazards`)
 * acknowledges every rule of that hazard. A comment on the same line as
 * the previous statement's end belongs to that statement, not to the next one.
 */
import type { ParsedStatement } from '../db/split-sql.js';
import type { Positions } from './position.js';

export interface CommentToken {
  /** UTF-8 byte offset in the script. */
  readonly start: number;
  readonly text: string;
}

const DIRECTIVE = /keikaku:allow\s+([a-z0-9_-]+(?:\s*,\s*[a-z0-9_-]+)*)/gi;

/** The rule ids (and hazard codes: `BREAKS_OLD_CLIENTS` allows every rule of that hazard) a comment allows, lower-cased. */
export const allowedIn = (comment: string): string[] =>
  [...comment.matchAll(DIRECTIVE)].flatMap((m) => m[1]!.split(',').map((s) => s.trim().toLowerCase()));

/**
 * The comments in `bytes[from, to)`, a stretch between two statements: the parser consumed everything else, so it
 * holds only white space, semicolons and comments (`--` to the end of the line, `/* … *\/`, which nest).
 */
const commentsBetween = (bytes: Buffer, from: number, to: number): CommentToken[] => {
  const out: CommentToken[] = [];
  let i = from;
  while (i < to) {
    if (bytes[i] === 0x2d && bytes[i + 1] === 0x2d) {
      let end = i;
      while (end < to && bytes[end] !== 0x0a) end++;
      out.push({ start: i, text: bytes.subarray(i, end).toString('utf8') });
      i = end;
    } else if (bytes[i] === 0x2f && bytes[i + 1] === 0x2a) {
      let depth = 0;
      let end = i;
      while (end < to) {
        if (bytes[end] === 0x2f && bytes[end + 1] === 0x2a) (depth++, (end += 2));
        else if (bytes[end] === 0x2a && bytes[end + 1] === 0x2f) {
          end += 2;
          if (--depth === 0) break;
        } else end++;
      }
      out.push({ start: i, text: bytes.subarray(i, end).toString('utf8') });
      i = end;
    } else i++;
  }
  return out;
};

/** For each statement, the rule ids its comments allow. */
export const allowsPerStatement = (source: string, statements: readonly ParsedStatement[], pos: Positions): Set<string>[] => {
  const bytes = Buffer.from(source, 'utf8');
  return statements.map((statement, i) => {
    const previous = statements[i - 1];
    const previousEndLine = previous ? pos.at(previous.end).line : 0;
    const allowed = new Set<string>();
    for (const c of commentsBetween(bytes, previous ? previous.end : 0, statement.start)) {
      if (previous && pos.at(c.start).line === previousEndLine) continue;
      for (const id of allowedIn(c.text)) allowed.add(id);
    }
    return allowed;
  });
};
