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

const IDENT_START = /[A-Za-z_$\u0080-\uffff]/;
const IDENT_PART = /[\w$\u0080-\uffff]/;

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
    return !/^[)\]}]$/.test(prev.text) && !/^[0-9'"`]/.test(prev.text);
  };
  /** Scans template text from `i` (just after a backtick or a closing `}` of `${`) to its end or next `${`. */
  const templateText = () => {
    while (i < n) {
      const c = text[i]!;
      if (c === '\\') i += 2;
      else if (c === '`') {
        i++;
        return;
      } else if (c === '$' && text[i + 1] === '{') {
        i += 2;
        templates.push(depth);
        depth++;
        return;
      } else i++;
    }
  };
  while (i < n) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === '"' || c === "'") {
      const start = i++;
      while (i < n && text[i] !== c && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
      tokens.push({ text: text.slice(start, Math.min(i, start + 1)), start, depth, ident: false });
    } else if (c === '`') {
      tokens.push({ text: '`', start: i, depth, ident: false });
      i++;
      templateText();
    } else if (c === '/' && regexAllowed()) {
      const start = i++;
      let inClass = false;
      while (i < n && text[i] !== '\n') {
        const d = text[i]!;
        if (d === '\\') i++;
        else if (d === '[') inClass = true;
        else if (d === ']') inClass = false;
        else if (d === '/' && !inClass) break;
        i++;
      }
      i++;
      while (i < n && IDENT_PART.test(text[i]!)) i++;
      tokens.push({ text: '/regex/', start, depth, ident: false });
    } else if (IDENT_START.test(c)) {
      const start = i;
      while (i < n && IDENT_PART.test(text[i]!)) i++;
      tokens.push({ text: text.slice(start, i), start, depth, ident: true });
    } else if (/[0-9]/.test(c)) {
      const start = i;
      while (i < n && /[\w.]/.test(text[i]!)) i++;
      tokens.push({ text: text.slice(start, i), start, depth, ident: false });
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === '{') {
      tokens.push({ text: c, start: i, depth, ident: false });
      depth++;
      i++;
    } else if (c === '}') {
      if (templates.length && templates[templates.length - 1] === depth - 1) {
        templates.pop();
        depth--;
        i++;
        templateText();
      } else {
        depth = Math.max(0, depth - 1);
        tokens.push({ text: c, start: i, depth, ident: false });
        i++;
      }
    } else {
      tokens.push({ text: c, start: i, depth, ident: false });
      i++;
    }
  }
  return tokens;
};

const lineStarts = (text: string): number[] => {
  const out = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') out.push(i + 1);
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
