import { literalOrNull } from './quote.js';

/** `COMMENT ON <target> IS …` when the comment changed; `target` is e.g. `TABLE "s"."t"`. */
export const commentStatements = (target: string, from: string | null, to: string | null): string[] =>
  from === to ? [] : [`COMMENT ON ${target} IS ${literalOrNull(to)};`];
