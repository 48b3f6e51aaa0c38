/**
 * After `ALTER TABLE … RENAME COLUMN a TO b` Postgres prints `b` wherever the table's expressions said `a`
 * (checks, index expressions and predicates, defaults, generated columns, policies, foreign keys). The current
 * schema is rewritten the same way before the diff, so a rename does not also rebuild what mentions the column.
 * Only whole identifier tokens are replaced: never inside string literals, never a qualified name's later part,
 * never a function name.
 */
import { printedIdent } from '../render/quote.js';

interface Token {
  readonly start: number;
  readonly end: number;
  /** Identifier value (unquoted, case-folded when bare), or the punctuation itself, or '' for literals. */
  readonly ident: string | null;
  readonly text: string;
}

const isIdentStart = (c: string) => /[A-Za-z_\u0080-\uffff]/.test(c);
const isIdentPart = (c: string) => /[A-Za-z0-9_$\u0080-\uffff]/.test(c);

const tokenize = (s: string): Token[] => {
  const out: Token[] = [];
  let i = 0;
  const literal = (from: number) => {
    let j = i + 1;
    for (;;) {
      if (j >= s.length) break;
      if (s[j] === "'") {
        if (s[j + 1] === "'") {
          j += 2;
          continue;
        }
        break;
      }
      if (s[j] === '\\' && s[from] !== "'" ) j++;
      j++;
    }
    i = j + 1;
    out.push({ start: from, end: i, ident: null, text: '' });
  };
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      literal(i);
    } else if (c === '"') {
      let j = i + 1;
      let v = '';
      while (j < s.length) {
        if (s[j] === '"') {
          if (s[j + 1] === '"') {
            v += '"';
            j += 2;
            continue;
          }
          break;
        }
        v += s[j];
        j++;
      }
      out.push({ start: i, end: j + 1, ident: v, text: s.slice(i, j + 1) });
      i = j + 1;
    } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(s.slice(i))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(s.slice(i))![0];
      const close = s.indexOf(tag, i + tag.length);
      const end = close < 0 ? s.length : close + tag.length;
      out.push({ start: i, end, ident: null, text: '' });
      i = end;
    } else if (isIdentStart(c)) {
      let j = i + 1;
      while (j < s.length && isIdentPart(s[j]!)) j++;
      if (s[j] === "'" && /^(e|b|x|n|u&)$/i.test(s.slice(i, j))) {
        const from = i;
        i = j;
        literal(from);
        continue;
      }
      const word = s.slice(i, j);
      out.push({ start: i, end: j, ident: word.toLowerCase(), text: word });
      i = j;
    } else if (c === ':' && s[i + 1] === ':') {
      out.push({ start: i, end: i + 2, ident: null, text: '::' });
      i += 2;
    } else {
      out.push({ start: i, end: i + 1, ident: null, text: c });
      i++;
    }
  }
  return out;
};

/** Replaces column `from` by `to` in one printed expression or definition. */
export const renameColumnIn = (text: string, from: string, to: string): string => {
  if (!text.includes(from) && !text.includes(printedIdent(from))) return text;
  const tokens = tokenize(text);
  let out = '';
  let last = 0;
  tokens.forEach((t, k) => {
    if (t.ident !== from) return;
    const prev = tokens[k - 1]?.text;
    const next = tokens[k + 1]?.text;
    if (prev === '.' || prev === '::' || next === '(' || next === '.') return;
    out += text.slice(last, t.start) + printedIdent(to);
    last = t.end;
  });
  return last === 0 ? text : out + text.slice(last);
};

/** The column list of `REFERENCES tbl(a, b)` in a foreign key definition, rewritten. */
export const renameReferencedColumn = (definition: string, from: string, to: string): string => {
  const at = definition.indexOf(' REFERENCES ');
  if (at < 0) return definition;
  const open = definition.indexOf('(', at);
  const close = definition.indexOf(')', open);
  if (open < 0 || close < 0) return definition;
  return definition.slice(0, open) + renameColumnIn(definition.slice(open, close + 1), from, to) + definition.slice(close + 1);
};

/** The local column list of a foreign key (`FOREIGN KEY (a) REFERENCES …`), rewritten. */
export const renameLocalFkColumn = (definition: string, from: string, to: string): string => {
  const at = definition.indexOf(' REFERENCES ');
  return at < 0 ? renameColumnIn(definition, from, to) : renameColumnIn(definition.slice(0, at), from, to) + definition.slice(at);
};
