/**
 * The runnable examples of the documentation, and how their output is compared.
 *
 * In README.md and docs/**.md, fenced blocks are run in order of appearance, one project copy per page:
 * - ```` ```console ````: each line `$ COMMAND` runs COMMAND in bash in the project copy (`keikaku` on PATH is this
 *   repository's CLI); the lines after it, up to the next `$ ` line, are its expected output (stdout and stderr as a
 *   terminal shows them). A line holding only `…` stands for any number of lines.
 *   ```` ```console server ````: the same with `DATABASE_URL` set to a new database on the PostgreSQL server (named
 *   `shop` in the text); skipped with a reason when no server answers.
 * - ```` ```diff ```` with `--- a/PATH` and `+++ b/PATH` headers: the patch is applied to PATH in the project copy.
 * - any fence with `file=PATH` in its info string (```` ```sql file=current.sql ````): its text is written to PATH.
 * - `<!-- examples: empty project -->` anywhere on a page: its copy starts with no schema/ and no generated/.
 * Every other block is text for the reader only.
 *
 * Output is compared after masking what changes from run to run: durations, clock times, ids of migrations
 * generated during the run, hashes, who ran a journal row, the project's own path and the database's name.
 */

export type Block =
  | { readonly kind: 'console'; readonly line: number; readonly server: boolean; readonly commands: readonly Command[] }
  | { readonly kind: 'patch'; readonly line: number; readonly path: string; readonly hunks: string }
  | { readonly kind: 'file'; readonly line: number; readonly path: string; readonly text: string };

export interface Command {
  readonly command: string;
  /** The expected output, as written on the page (without the command line). */
  readonly expected: string;
}

export interface Page {
  readonly blocks: readonly Block[];
  readonly emptyProject: boolean;
}

interface Fence {
  readonly info: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly body: string;
}

const fences = (markdown: string): Fence[] => {
  const lines = markdown.split('\n');
  const out: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const marker = open[1]!;
    const close = new RegExp(`^[${marker[0]}]{${marker.length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !close.test(lines[j]!)) body.push(lines[j++]!);
    out.push({ info: open[2]!.trim(), line: i + 1, body: body.join('\n') });
    i = j;
  }
  return out;
};

const consoleCommands = (body: string): Command[] => {
  const out: { command: string; expected: string[] }[] = [];
  for (const line of body.split('\n')) {
    if (line.startsWith('$ ')) out.push({ command: line.slice(2), expected: [] });
    else if (out.length > 0) out[out.length - 1]!.expected.push(line);
    else if (line.trim() !== '') throw new Error(`a console example must start with a "$ " command line, not: ${line}`);
  }
  return out.map((c) => ({ command: c.command, expected: c.expected.join('\n') }));
};

const patchPath = (body: string): string | undefined => /^\+\+\+ b\/(\S+)/m.exec(body)?.[1];

/** The runnable blocks of a page, in order. */
export const parsePage = (markdown: string): Page => {
  const blocks: Block[] = [];
  for (const f of fences(markdown)) {
    const [lang = '', ...attrs] = f.info.split(/\s+/);
    const file = attrs.find((a) => a.startsWith('file='))?.slice('file='.length);
    if (lang === 'console') blocks.push({ kind: 'console', line: f.line, server: attrs.includes('server'), commands: consoleCommands(f.body) });
    else if (lang === 'diff' && patchPath(f.body)) blocks.push({ kind: 'patch', line: f.line, path: patchPath(f.body)!, hunks: f.body });
    else if (file) blocks.push({ kind: 'file', line: f.line, path: file, text: `${f.body}\n` });
  }
  return { blocks, emptyProject: markdown.includes('<!-- examples: empty project -->') };
};

export interface MaskContext {
  /** Migration ids present before the run: kept as they are, every other 14-digit id is masked. */
  readonly knownIds: ReadonlySet<string>;
}

/** Replaces what differs from run to run, on expected and actual output alike. */
export const mask = (text: string, ctx: MaskContext): string =>
  text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\s+$/, '')
    // An absolute path up to the project's own folders (`wrote /home/you/shop/generated/…`).
    .replace(/(?:\/[^\s/'"`]+)+\/(?=(?:generated|schema)\/)/g, '<project>/')
    .replace(/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?/g, '<time>')
    .replace(/(?<!\d)\d{14}(?!\d)/g, (id) => (ctx.knownIds.has(id) ? id : '<id>'))
    .replace(/\b\d[\d,]*(?:\.\d+)? ?(?:ms|s)\b/g, '<duration>')
    .replace(/\bPostgreSQL \d+\.\d+\b/g, 'PostgreSQL <version>')
    // A WAL position (`status`'s restore points): `0/16EFA48`.
    .replace(/\b[0-9A-F]{1,8}\/[0-9A-F]{4,8}\b/g, '<lsn>')
    .replace(/\bby (\S+) \([^()\s]+@[^()\s]+ pid \d+\)/g, 'by $1 (<who>)')
    .replace(/\b(?=[0-9a-f]*[a-f])[0-9a-f]{12,64}\b/g, '<hash>');

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `actual` matches `expected` (both masked): line for line, a `…` line standing for any lines. */
export const outputMatches = (expected: string, actual: string): boolean => {
  const pattern = expected
    .split('\n')
    .map((l) => (l.trim() === '…' ? '(?:[^\\n]*\\n)*?' : `${escapeRegExp(l)}\\n`))
    .join('');
  return new RegExp(`^${pattern}$`).test(actual === '' ? '' : `${actual}\n`) || (expected === '' && actual === '');
};
