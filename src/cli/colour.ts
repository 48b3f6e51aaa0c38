/**
 * Colour on a terminal, for every command: what a command prints is plain text; `main` paints a few well-known
 * shapes (states of `status`, sections and findings of `check`, the `keikaku:` prefix of errors and warnings) when
 * the stream is a TTY, NO_COLOR is unset or empty (no-color.org), and TERM is not `dumb`. Piped output never
 * carries escapes. Painting runs after `terminalOutput`, which has already escaped every ESC of the text itself,
 * so the only escapes in the output are these.
 */

const SGR = { red: 31, green: 32, yellow: 33, cyan: 36, dim: 2, bold: 1 } as const;
type Paint = keyof typeof SGR;

const paint = (c: Paint, s: string) => `\u001b[${SGR[c]}m${s}\u001b[0m`;

export const colourEnabled = (stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean =>
  stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';

const STATE: Record<string, Paint> = { applied: 'green', pending: 'yellow', running: 'cyan', interrupted: 'red', failed: 'red' };
const SECTION: Record<string, Paint> = { ok: 'green', FAILED: 'red', skipped: 'dim' };
const LEVEL: Record<string, Paint> = { error: 'red', warning: 'yellow' };

/** One line of stdout, painted where its shape is known; other lines are left as they are. */
const stdoutLine = (line: string): string =>
  line
    // status: `  expand   applied     …`
    .replace(/^( {2}(?:expand|backfill|contract) +)(applied|pending|running|interrupted|failed)\b/, (_, head: string, s: string) => head + paint(STATE[s]!, s))
    // check: `  history   ok`, `  database  FAILED  …`
    .replace(/^( {2}(?:history|schema\/|database) +)(ok|FAILED|skipped)\b/, (_, head: string, s: string) => head + paint(SECTION[s]!, s))
    // check findings: `file:line:col: error rule: …`
    .replace(/^((?:\S+:\d+:\d+: )?)(error|warning)( [a-z-]+:)/, (_, head: string, s: string, rest: string) => head + paint(LEVEL[s]!, s) + rest);

const stderrLine = (line: string): string =>
  line.replace(/^keikaku: (warning:)?/, (_, warn: string | undefined) => (warn ? paint('yellow', `keikaku: ${warn}`) : paint('red', 'keikaku:') + ' '));

const byLine = (text: string, f: (line: string) => string) => text.split('\n').map(f).join('\n');

export const paintStdout = (text: string): string => byLine(text, stdoutLine);
export const paintStderr = (text: string): string => byLine(text, stderrLine);
