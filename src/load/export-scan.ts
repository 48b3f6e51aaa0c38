/**
 * Where a schema file's top-level exports are named, found by a small tokenizer instead of the TypeScript
 * compiler: loading and running ts-morph over a large schema costs seconds, and on the happy path only the order
 * and the line of each export are needed. Comments, strings, template literals (with `${…}` nesting) and regular
 * expression literals are skipped so their text cannot look like an export.
 *
 * What it cannot place (a second declarator in one `export const a = 1, b = 2`, an unusual form) is simply
 * missing from the result; the caller then asks the syntax tree.
 */
import type { Site } from '../dsl/ddl/site.js';

interface Token {
  readonly text: string;
  readonly start: number;
  /** Brace depth before the token (0 = the module's top level). */
  readonly depth: number;
  readonly ident: boolean;
}

/** After these a `/` starts a regular expression literal, not a division. */
const KEYWORDS_BEFORE_EXPRESSION = new Set([
  'return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'instanceof', 'yield', 'await',
]);

// Character classes by code unit: the tokenizer runs once per file per process, mostly before the JIT has
// optimized it, where a regular expression per character costs several times more.
/** `[A-Za-z_$]` or any non-ASCII code unit. */
const identStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c >= 0x80;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** `[\w$]` or any non-ASCII code unit. */
const identPart = (c: number): boolean => identStart(c) || isDigit(c);
/** `[\w.]`: the rest of a numeric literal. */
const numberPart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || isDigit(c) || c === 46;
/** ASCII white space (non-ASCII code units are taken as identifier characters before this is asked). */
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

const tokenize = (text: string): Token[] => {
  const tokens: Token[] = [];
  // Brace depth at which each open `${` of a template literal started.
  const templates: number[] = [];
  let depth = 0;
  let i = 0;
  const n = text.length;
  const regexAllowed = () => {
    const prev = tokens[tokens.length - 1];
    if (!prev) return true;
    if (prev.ident) return KEYWORDS_BEFORE_EXPRESSION.has(prev.text);
    const first = prev.text.charCodeAt(0);
    if (prev.text.length === 1 && (first === 41 || first === 93 || first === 125)) return false; // ) ] }
    return !(isDigit(first) || first === 39 || first === 34 || first === 96); // a number, ' " `
  };
  /** Scans template text from `i` (just after a backtick or a closing `}` of `${`) to its end or next `${`. */
  const templateText = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 92) i += 2; // \
      else if (c === 96) { // `
        i++;
        return;
      } else if (c === 36 && text.charCodeAt(i + 1) === 123) { // ${
        i += 2;
        templates.push(depth);
        depth++;
        return;
      } else i++;
    }
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (c === 47 && next === 47) { // //
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end;
    } else if (c === 47 && next === 42) { // /*
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === 34 || c === 39) { // " '
      const start = i++;
      for (;;) {
        if (i >= n) break;
        const d = text.charCodeAt(i);
        if (d === c || d === 10) break;
        i += d === 92 ? 2 : 1;
      }
      i++;
      tokens.push({ text: text.slice(start, Math.min(i, start + 1)), start, depth, ident: false });
    } else if (c === 96) { // `
      tokens.push({ text: '`', start: i, depth, ident: false });
      i++;
      templateText();
    } else if (c === 47 && regexAllowed()) {
      const start = i++;
      let inClass = false;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 10) break;
        if (d === 92) i++;
        else if (d === 91) inClass = true; // [
        else if (d === 93) inClass = false; // ]
        else if (d === 47 && !inClass) break;
        i++;
      }
      i++;
      while (i < n && identPart(text.charCodeAt(i))) i++;
      tokens.push({ text: '/regex/', start, depth, ident: false });
    } else if (identStart(c)) {
      const start = i;
      while (i < n && identPart(text.charCodeAt(i))) i++;
      tokens.push({ text: text.slice(start, i), start, depth, ident: true });
    } else if (isDigit(c)) {
      const start = i;
      while (i < n && numberPart(text.charCodeAt(i))) i++;
      tokens.push({ text: text.slice(start, i), start, depth, ident: false });
    } else if (isSpace(c)) {
      i++;
    } else if (c === 123) { // {
      tokens.push({ text: '{', start: i, depth, ident: false });
      depth++;
      i++;
    } else if (c === 125) { // }
      if (templates.length && templates[templates.length - 1] === depth - 1) {
        templates.pop();
        depth--;
        i++;
        templateText();
      } else {
        depth = Math.max(0, depth - 1);
        tokens.push({ text: '}', start: i, depth, ident: false });
        i++;
      }
    } else {
      tokens.push({ text: text[i]!, start: i, depth, ident: false });
      i++;
    }
  }
  return tokens;
};

const lineStarts = (text: string): number[] => {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
};

/**
 * The site of each top-level export by export name (`default` for `export default`), where the name is written
 * (as the syntax tree would report it). Re-exports from other files are not included.
 */
export const scanExports = (text: string, file: string): Map<string, Site> => {
  const tokens = tokenize(text);
  const starts = lineStarts(text);
  const siteAt = (offset: number): Site => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    // Columns count UTF-16 code units from 1, as the TypeScript compiler's positions do.
    return { file, line: lo + 1, col: offset - starts[lo]! + 1 };
  };
  const locals = new Map<string, number>();
  const exported = new Map<string, number>();
  const aliases: [alias: string, local: string][] = [];
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.depth !== 0 || !t.ident) continue;
    const prev = tokens[k - 1];
    if (prev && (prev.text === '.' || prev.text === '?')) continue;
    const next = tokens[k + 1];
    if ((t.text === 'const' || t.text === 'let' || t.text === 'var') && next?.ident) {
      locals.set(next.text, next.start);
      if (prev?.text === 'export') exported.set(next.text, next.start);
      continue;
    }
    if (t.text !== 'export' || !next) continue;
    if (next.text === 'default') exported.set('default', t.start);
    else if ((next.text === 'function' || next.text === 'class') && tokens[k + 2]?.ident) exported.set(tokens[k + 2]!.text, tokens[k + 2]!.start);
    else if (next.text === '{') {
      const list: [string, string][] = [];
      let j = k + 2;
      while (j < tokens.length && tokens[j]!.text !== '}') {
        const name = tokens[j]!;
        if (name.ident && name.text !== 'type') {
          const as = tokens[j + 1]?.text === 'as' ? tokens[j + 2] : undefined;
          list.push([as?.text ?? name.text, name.text]);
          j += as ? 3 : 1;
        } else j++;
      }
      if (tokens[j + 1]?.text !== 'from') aliases.push(...list);
    }
  }
  for (const [alias, local] of aliases) {
    const at = locals.get(local);
    if (at !== undefined) exported.set(alias, at);
  }
  return new Map([...exported].map(([name, offset]) => [name, siteAt(offset)]));
};
