/**
 * Names and database text are hostile (DESIGN §9): an identifier, comment, body or default may hold line breaks,
 * `--`, star-slash, backticks, control characters, ANSI escape sequences or bidi overrides. Text reaches SQL only through
 * `render/quote.ts`; it reaches every other target through exactly one function here:
 *
 * | target                         | function                                   |
 * |--------------------------------|--------------------------------------------|
 * | the terminal, one field        | `terminalText`                             |
 * | the terminal, multi-line text  | `terminalBlock` (keeps `\n`)               |
 * | a `-- ` SQL comment            | `sqlComment`                               |
 * | markdown prose / table cell    | `markdownText`                             |
 * | markdown inline code           | `markdownCode`                             |
 * | markdown fenced block          | `markdownFence`                            |
 * | a mermaid node label           | `mermaidLabel`                             |
 * | a GitHub workflow command      | `githubData`, `githubProperty`             |
 * | HTML text or attribute value   | `htmlText`                                 |
 * | HTML inside `<pre>`            | `htmlBlock` (keeps `\n`)                   |
 *
 * Ordinary names (letters, digits, `_`, spaces, punctuation) come out unchanged by the terminal and comment
 * escapers, so migration files of ordinary schemas are byte-identical to what they were before escaping.
 */

/**
 * Characters a terminal, editor or markdown viewer does not show as themselves: C0 and C1 controls (line breaks,
 * ESC that starts ANSI sequences), DEL, zero-width and bidi formatting characters (U+061C, U+200B–U+200F,
 * U+202A–U+202E, U+2060–U+2064, U+2066–U+206F, BOM), the Unicode line and paragraph separators, interlinear
 * annotation characters, and lone surrogates.
 */
const INVISIBLE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const hex = (c: string, width: number) => c.charCodeAt(0).toString(16).padStart(width, '0');

/** `\n`, `\x1b`, `\u202e`: a visible stand-in for one invisible character. */
const visible = (c: string): string => SHORT[c] ?? (c.charCodeAt(0) < 0x100 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`);

/** True when `s` holds a character that `terminalText` would escape. */
export const hasInvisible = (s: string): boolean => new RegExp(INVISIBLE.source).test(s);

/** One line for a terminal: every invisible character as a visible escape (`\n`, `\x1b`, `\u202e`). */
export const terminalText = (s: string): string => s.replace(INVISIBLE, visible);

/** Multi-line text for a terminal (statements, reports): as `terminalText`, but line feeds stay line feeds. */
export const terminalBlock = (s: string): string => s.replace(INVISIBLE, (c) => (c === '\n' ? c : visible(c)));

/**
 * What a command prints, as the CLI's last line of defence: invisible characters outside the CLI's own colour
 * codes (SGR, `ESC [ n m`) become `\uXXXX`, which is also a valid escape inside a JSON string, so JSON output
 * keeps meaning the same. Line feeds stay: fields that come from names are escaped with `terminalText` before.
 */
export const terminalOutput = (s: string, keep: RegExp = /^[\n]$/): string =>
  s
    .split(/(\u001b\[[0-9;]{0,8}m)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(INVISIBLE, (c) => (keep.test(c) ? c : `\\u${hex(c, 4)}`))))
    .join('');

/**
 * The text of a `-- ` line comment: no line break can end it early (Postgres and psql end a line comment at CR or
 * LF), nothing invisible, and no slash-star or star-slash that a block-comment-aware reader could pair up.
 */
export const sqlComment = (s: string): string => terminalText(s).replace(/\/\*/g, '/\\*').replace(/\*\//g, '*\\/');

/**
 * Markdown prose or a table cell: one line, and characters that would start markup (code, emphasis, links,
 * HTML, tables, strike-through) escaped with a backslash. a run of `_` inside a word (`office_id`, `1__a`) and `~` before a digit
 * (`~20,000 rows`: it cannot close a strike-through) are not markup and stay as they are.
 */
export const markdownText = (s: string): string =>
  terminalText(s)
    .replace(/[\\`*[\]<>|&!#]|~(?!\d)/g, (c) => `\\${c}`)
    .replace(/_+/g, (run, at: number, all: string) =>
      /[\p{L}\p{N}]/u.test(all[at - 1] ?? '') && /[\p{L}\p{N}]/u.test(all[at + run.length] ?? '') ? run : run.replace(/_/g, '\\_'),
    );

const longestRun = (s: string, c: string): number => Math.max(0, ...(s.match(new RegExp(`${c === '`' ? '`' : '~'}+`, 'g')) ?? []).map((r) => r.length));

/**
 * Inline code that the text cannot close: one line, delimited by a backtick run longer than any inside it, padded
 * with a space when the text starts or ends with a backtick or a space (CommonMark strips one space each side).
 */
export const markdownCode = (s: string): string => {
  const t = terminalText(s);
  const fence = '`'.repeat(longestRun(t, '`') + 1);
  const pad = /^[` ]|[` ]$/.test(t) ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
};

/**
 * A fenced code block (lines) whose fence no line of the text can close: longer than any backtick run in it.
 * Line feeds stay (multi-line SQL shows whole); every other invisible character is escaped.
 */
export const markdownFence = (s: string, info = ''): string[] => {
  const t = terminalBlock(s);
  const fence = '`'.repeat(Math.max(3, longestRun(t, '`') + 1));
  return [`${fence}${info}`, ...t.split('\n'), fence];
};

const MERMAID_ENTITY: Readonly<Record<string, string>> = {
  '"': '#quot;',
  '#': '#35;',
  '<': '#lt;',
  '>': '#gt;',
  '&': '#amp;',
  '`': '#96;',
};

/**
 * Text inside a quoted mermaid label (`p1["…"]`): one line; quotes, `#`, HTML and markdown-string delimiters as
 * mermaid entity codes, so the label cannot end early or add nodes.
 */
export const mermaidLabel = (s: string): string => terminalText(s).replace(/["#<>&`]/g, (c) => MERMAID_ENTITY[c]!);

/** A GitHub workflow command's message: `%`, CR and LF percent-encoded, other invisible characters escaped. */
export const githubData = (s: string): string =>
  terminalBlock(s.replace(/\r\n?/g, '\n'))
    .replace(/%/g, '%25')
    .replace(/\n/g, '%0A');

/** A workflow command property value (`file=`, `title=`): as `githubData`, and `:` and `,` encoded too. */
export const githubProperty = (s: string): string => githubData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

const HTML_ENTITY: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const htmlEntities = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ENTITY[c]!);

/**
 * Text in an HTML element or a quoted attribute value: one line, invisible characters as visible escapes (as
 * `terminalText`), and `& < > " '` as character references, so no text can open a tag or end an attribute.
 */
export const htmlText = (s: string): string => htmlEntities(terminalText(s));

/** Multi-line text inside `<pre>`: as `htmlText`, but line feeds stay (SQL shows whole). */
export const htmlBlock = (s: string): string => htmlEntities(terminalBlock(s));

/** A name as SQL writes it, double-quoted (for messages: the CLI renders no SQL, `render/quote.ts` does). */
export const quotedName = (name: string): string => `"${name.replace(/"/g, '""')}"`;
