/**
 * Reading the SQL text PostgreSQL prints (`pg_get_constraintdef`, `pg_get_indexdef`, `pg_get_triggerdef`,
 * `format_type`): splitting at top-level separators, identifiers as Postgres quotes them, balanced parentheses.
 * Strings ('…', E'…'), quoted identifiers and nested parentheses are skipped whole.
 */

/** Index just past the quoted token starting at `i` (`'…'` or `"…"`, doubled quotes inside). */
const skipQuoted = (s: string, i: number): number => {
  const q = s[i]!;
  let j = i + 1;
  while (j < s.length) {
    if (s[j] === q) {
      if (s[j + 1] === q) j += 2;
      else return j + 1;
    } else if (q === "'" && s[j] === '\\' && i > 0 && /[eE]/.test(s[i - 1]!)) j += 2;
    else j++;
  }
  return j;
};

/** Calls `visit(i, depth)` for each character outside quotes; returning a number stops and returns it. */
const scan = (s: string, visit: (i: number, depth: number) => number | undefined): number | undefined => {
  let depth = 0;
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === "'" || c === '"') {
      i = skipQuoted(s, i);
      continue;
    }
    if (c === '(' || c === '[') depth++;
    const r = visit(i, depth);
    if (r !== undefined) return r;
    if (c === ')' || c === ']') depth--;
    i++;
  }
  return undefined;
};

/** Splits at `sep` where it is outside parentheses and quotes; pieces trimmed. */
export const splitTop = (s: string, sep = ','): string[] => {
  const out: string[] = [];
  let start = 0;
  scan(s, (i, depth) => {
    if (depth === 0 && s.startsWith(sep, i)) {
      out.push(s.slice(start, i).trim());
      start = i + sep.length;
    }
    return undefined;
  });
  out.push(s.slice(start).trim());
  return out.length === 1 && out[0] === '' ? [] : out;
};

/** Index of the `)` matching the `(` at `open`, or -1. */
export const closingParen = (s: string, open: number): number => {
  const r = scan(s.slice(open), (i, depth) => (s[open + i] === ')' && depth === 1 ? i : undefined));
  return r === undefined ? -1 : open + r;
};

/** `(x)` → `x` when the outer parentheses enclose the whole text; repeated. */
export const stripParens = (s: string): string => {
  let t = s.trim();
  while (t.startsWith('(') && closingParen(t, 0) === t.length - 1) t = t.slice(1, -1).trim();
  return t;
};

/** Index of the first top-level occurrence of `word` (a keyword, matched case-sensitively with word bounds). */
export const findTop = (s: string, word: string, from = 0): number => {
  const r = scan(s, (i, depth) => {
    if (i < from || depth !== 0 || !s.startsWith(word, i)) return undefined;
    const before = i === 0 ? ' ' : s[i - 1]!;
    const after = s[i + word.length] ?? ' ';
    return /[\s(),]/.test(before) && /[\s(),]/.test(after) ? i : undefined;
  });
  return r ?? -1;
};

/** The identifier at the start of `s` (quoted or not) and the rest, or undefined. */
export const readIdent = (s: string): { name: string; rest: string } | undefined => {
  const t = s.trimStart();
  if (t.startsWith('"')) {
    const end = skipQuoted(t, 0);
    return { name: t.slice(1, end - 1).replace(/""/g, '"'), rest: t.slice(end) };
  }
  const m = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(t);
  return m ? { name: m[0], rest: t.slice(m[0].length) } : undefined;
};

/** A whole text that is one identifier (`"User Id"`, `user_id`), else undefined. */
export const onlyIdent = (s: string): string | undefined => {
  const r = readIdent(s);
  return r && r.rest.trim() === '' ? r.name : undefined;
};

/** `schema.name` or `name` at the start of `s`. */
export const readQualified = (s: string): { schema: string | null; name: string; rest: string } | undefined => {
  const a = readIdent(s);
  if (!a) return undefined;
  if (a.rest.startsWith('.')) {
    const b = readIdent(a.rest.slice(1));
    if (b) return { schema: a.name, name: b.name, rest: b.rest };
  }
  return { schema: null, name: a.name, rest: a.rest };
};

/** A comma-separated list of identifiers (`a, "B c"`), or undefined when an item is not one. */
export const identList = (s: string): string[] | undefined => {
  const out: string[] = [];
  for (const part of splitTop(s)) {
    const n = onlyIdent(part);
    if (n === undefined) return undefined;
    out.push(n);
  }
  return out;
};

/** Positions of top-level occurrences of `needle` outside quotes (for replacing names in SQL text). */
export const occurrences = (s: string, needle: string): number[] => {
  const out: number[] = [];
  scan(s, (i) => {
    if (s.startsWith(needle, i)) out.push(i);
    return undefined;
  });
  return out;
};
