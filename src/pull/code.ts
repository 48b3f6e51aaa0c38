/**
 * TypeScript source text for pulled declarations: string and template literals, object keys, and a small layout
 * printer that keeps a call or object on one line when it fits and breaks it one item per line otherwise (the
 * shape prettier gives hand-written schema files), so the same input always prints the same bytes.
 */

/** The widest line the printer aims for (a chain of column modifiers may run past it: it is never broken). */
export const WIDTH = 120;

/** A piece of code: text, or a bracketed list that breaks one item per line when it does not fit. */
export type Code = string | CodeList;
export interface CodeList {
  readonly kind: 'list';
  readonly open: string;
  readonly items: readonly Code[];
  readonly close: string;
  /** Print the last item "hugged": `f('a', {` … `})` instead of breaking every argument. */
  readonly hugLast?: boolean;
  /** Spaces inside the brackets when flat: `{ a: 1 }`. */
  readonly pad?: boolean;
  /** Always one item per line (a table's columns read best that way). */
  readonly broken?: boolean;
}

export const list = (open: string, items: readonly Code[], close: string, options: { hugLast?: boolean; pad?: boolean; broken?: boolean } = {}): CodeList => ({
  kind: 'list',
  open,
  items,
  close,
  ...options,
});

/**
 * `callee(a, b)`. A last argument that is an object or array, after arguments that are plain text, is hugged
 * (`trigger('x', {` … `})`), as prettier prints it.
 */
export const call = (callee: string, args: readonly Code[], options: { hugLast?: boolean } = {}): CodeList => {
  const last = args.at(-1);
  const hug = options.hugLast ?? (last !== undefined && typeof last !== 'string' && !last.broken && args.slice(0, -1).every((a) => typeof a === 'string'));
  return list(`${callee}(`, args, ')', { hugLast: hug });
};
/** `{ a: 1, b: 2 }` from entries whose value is not undefined. */
export const object = (entries: readonly (readonly [string, Code | undefined])[]): CodeList =>
  list('{', entries.filter((e): e is readonly [string, Code] => e[1] !== undefined).map(([k, v]) => prefixed(`${propertyKey(k)}: `, v)), '}', { pad: true });
export const array = (items: readonly Code[]): CodeList => list('[', items, ']');

/** `prefix` + code (e.g. `key: ` before a value). */
export const prefixed = (prefix: string, code: Code): Code =>
  typeof code === 'string' ? prefix + code : { ...code, open: prefix + code.open };
/** code + `suffix` (e.g. `.notNull()` after a call). */
export const suffixed = (code: Code, suffix: string): Code =>
  typeof code === 'string' ? code + suffix : { ...code, close: code.close + suffix };

export const flat = (code: Code): string => {
  if (typeof code === 'string') return code;
  if (code.broken && code.items.length > 0) return `${code.open}\n${code.items.map(flat).join(',\n')}\n${code.close}`;
  if (code.items.length === 0) return code.open + code.close;
  const inner = code.items.map(flat).join(', ');
  return code.pad ? `${code.open} ${inner} ${code.close}` : `${code.open}${inner}${code.close}`;
};

/** Prints `code` starting at column `indent` (the first line is not indented: the caller has placed it). */
export const print = (code: Code, indent = 0, width = WIDTH): string => {
  if (typeof code === 'string') return code;
  const oneLine = flat(code);
  if (!code.broken && !oneLine.includes('\n') && indent + oneLine.length <= width) return oneLine;
  if (code.items.length === 0) return oneLine;
  const pad = ' '.repeat(indent);
  if (code.hugLast) {
    const head = code.items.slice(0, -1).map(flat);
    const last = code.items.at(-1)!;
    const start = `${code.open}${head.map((h) => `${h}, `).join('')}`;
    if (typeof last !== 'string' && !start.includes('\n') && indent + start.length + last.open.length <= width)
      return start + print(last, indent, width) + code.close;
  }
  const inner = code.items.map((item) => `${pad}  ${print(item, indent + 2, width)},`).join('\n');
  return `${code.open}\n${inner}\n${pad}${code.close}`;
};

const escapeControl = (s: string): string =>
  s
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/[\u0000-\u001f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** A TypeScript string literal: single-quoted, or double-quoted when that avoids escaping quotes (as prettier does). */
export const str = (s: string): string => {
  const body = escapeControl(s.replace(/\\/g, '\\\\'));
  if (s.includes("'") && !s.includes('"')) return `"${body}"`;
  return `'${body.replace(/'/g, "\\'")}'`;
};

/** Text inside a template literal, so that its cooked value is `s`. */
export const templateText = (s: string): string => s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');

/** A template literal piece: `sql\`…\`` from parts that are either literal text or `${expression}`. */
export type TemplatePart = { readonly text: string } | { readonly expr: string };
export const sqlTemplate = (parts: readonly TemplatePart[]): string =>
  `sql\`${parts.map((p) => ('text' in p ? templateText(p.text) : `\${${p.expr}}`)).join('')}\``;

/** A string as a plain template literal (multi-line text reads better than `\n` escapes). */
export const template = (s: string): string => `\`${templateText(s)}\``;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
export const isIdentifier = (s: string): boolean => IDENT.test(s);

/** An object literal key: bare when it is an identifier (reserved words are fine as keys), else quoted. */
export const propertyKey = (k: string): string => (k === '__proto__' ? `[${str(k)}]` : IDENT.test(k) ? k : str(k));

/** A string as TypeScript source: a template literal when it spans lines, else a quoted string. */
export const textLiteral = (s: string): string => (s.includes('\n') ? template(s) : str(s));
