/**
 * `-- keikaku:allow RULE[, RULE…]` (or `/* keikaku:allow RULE *\/`) in the comments directly above a statement
 * acknowledges those rules' findings for that statement: the hazard was reviewed. A comment on the same line as
 * the previous statement's end belongs to that statement, not to the next one.
 */
import type { ParsedStatement } from '../db/split-sql.js';
import type { Positions } from './position.js';

export interface CommentToken {
  readonly start: number;
  readonly text: string;
}

const DIRECTIVE = /keikaku:allow\s+([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/gi;

/** The rule ids a comment allows. */
export const allowedIn = (comment: string): string[] =>
  [...comment.matchAll(DIRECTIVE)].flatMap((m) => m[1]!.split(',').map((s) => s.trim().toLowerCase()));

/** For each statement, the rule ids its comments allow. */
export const allowsPerStatement = (
  statements: readonly ParsedStatement[],
  comments: readonly CommentToken[],
  pos: Positions,
): Set<string>[] =>
  statements.map((statement, i) => {
    const previous = statements[i - 1];
    const from = previous ? previous.end : 0;
    const previousEndLine = previous ? pos.at(previous.end).line : 0;
    const allowed = new Set<string>();
    for (const c of comments) {
      if (c.start < from || c.start >= statement.start) continue;
      if (previous && pos.at(c.start).line === previousEndLine) continue;
      for (const id of allowedIn(c.text)) allowed.add(id);
    }
    return allowed;
  });
