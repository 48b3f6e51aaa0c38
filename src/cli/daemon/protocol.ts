/**
 * The background process that keeps `generate` and `plan` warm between runs (docs/daemon.md): where its socket
 * lives, which process may serve which run, and the messages they exchange. The client imports this module before
 * anything else of keikaku, so it imports Node's own modules only.
 *
 * One daemon serves one project directory, one build of keikaku, one Node and the variables that shape a process
 * (`identity`); a run that differs in any of them gets a daemon of its own, or none. Its socket lives in a
 * directory only this user can enter (`socketDir`): the messages carry the run's environment, secrets included.
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The commands a daemon runs; every other command, and these with any of `FOREIGN_OPTIONS`, run in-process. */
export const SERVED_COMMANDS: readonly string[] = ['generate', 'plan'];

/**
 * Options that take a run outside what a daemon keeps warm, or need the terminal for long: a live database,
 * a shadow server, a watch, a rebase of generated/, help and completion.
 */
export const FOREIGN_OPTIONS: readonly string[] = [
  '--from-db', '--env', '--shadow-url', '--watch', '--rebase', '--empty', '--help', '-h', '--version', '--get-yargs-completions',
];

/** Variables that shape the process itself (read when modules load, or by Node): a daemon serves only its own. */
const SHAPING = /^(KEIKAKU_(?!NOW$|DAEMON$)\w+|NODE_\w+|TMPDIR|TZ|HOME|XDG_CACHE_HOME|XDG_RUNTIME_DIR)$/;

/** From the client: one command to run. */
export interface RunRequest {
  readonly type: 'run';
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Which of the client's streams are terminals, and their width. */
  readonly tty: { readonly stdin: boolean; readonly stdout: boolean; readonly stderr: boolean; readonly columns?: number | undefined };
}
/** From the client while a run goes on: a signal it received. */
export interface SignalRequest {
  readonly type: 'signal';
  readonly signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP';
}
/** From `keikaku daemon stop` / `status`. */
export interface ControlRequest {
  readonly type: 'stop' | 'status';
}
export type Request = RunRequest | SignalRequest | ControlRequest;

export interface StatusReply {
  readonly type: 'status';
  readonly pid: number;
  readonly root: string;
  readonly startedAt: string;
  readonly runs: number;
  readonly idleMs: number;
  readonly rssBytes: number;
}
/** From the daemon: output of the run, its end, or "run it yourself" (it needs the terminal; the daemon is too old). */
export type Reply =
  | { readonly type: 'out'; readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | { readonly type: 'exit'; readonly code: number }
  | { readonly type: 'fallback'; readonly reason: string }
  | StatusReply
  | { readonly type: 'stopping' };

/** This build of keikaku: its version and when its compiled CLI was written (a rebuild makes another build). */
export const buildId = (): string => {
  const stamp = (rel: string) => {
    try {
      const s = statSync(fileURLToPath(new URL(rel, import.meta.url)));
      return `${s.size}:${s.mtimeMs}`;
    } catch {
      return '-';
    }
  };
  return [stamp('../main.js'), stamp('./server.js'), stamp('../../../package.json')].join('/');
};

/**
 * The directory of this user's daemon sockets: `$XDG_RUNTIME_DIR/keikaku` (a directory the system made for the
 * user alone) or `<tmpdir>/keikaku-<uid>`. null when it cannot be made, or when it is not a directory of this user
 * that no one else can enter (someone made it first, or loosened it): then no daemon is used.
 */
export const socketDir = (env: NodeJS.ProcessEnv = process.env): string | null => {
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return null;
  const uid = process.getuid();
  const runtime = env.XDG_RUNTIME_DIR;
  const dir = runtime && runtime.startsWith('/') ? join(runtime, 'keikaku') : join(tmpdir(), `keikaku-${uid}`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const s = lstatSync(dir);
    if (!s.isDirectory() || s.uid !== uid || (s.mode & 0o077) !== 0) return null;
    return dir;
  } catch {
    return null;
  }
};

/** What a run must share with a daemon for the daemon to serve it. */
export const identity = (cwd: string, env: NodeJS.ProcessEnv = process.env): string => {
  let root = cwd;
  try {
    root = realpathSync(cwd);
  } catch {
    // a directory that is gone: no daemon will answer for it
  }
  const shaping = Object.keys(env)
    .filter((k) => SHAPING.test(k))
    .sort()
    .map((k) => [k, env[k]]);
  return createHash('sha256')
    .update(JSON.stringify([root, buildId(), process.version, process.execPath, shaping]))
    .digest('hex')
    .slice(0, 24);
};

/** The socket of the daemon for this run, and the file that says which project it serves. */
export const daemonPaths = (dir: string, id: string) => ({ socket: join(dir, `${id}.sock`), info: join(dir, `${id}.json`) });

/** Whether the client may hand `argv` to a daemon at all (the command, its options, the platform). */
export const servable = (argv: readonly string[]): boolean =>
  argv.length > 0 &&
  SERVED_COMMANDS.includes(argv[0]!) &&
  !argv.some((a) => FOREIGN_OPTIONS.includes(a) || FOREIGN_OPTIONS.some((o) => o.startsWith('--') && a.startsWith(`${o}=`)));

/**
 * Whether runs use a daemon: `KEIKAKU_DAEMON=1` always, `0` never; otherwise on a terminal outside CI (a person
 * at the edit loop), not in scripts and CI, where each run is its own.
 */
export const daemonWanted = (env: NodeJS.ProcessEnv = process.env, stdoutTty = process.stdout.isTTY === true): boolean => {
  const v = env.KEIKAKU_DAEMON;
  if (v === '1') return true;
  if (v === '0') return false;
  return stdoutTty && !env.CI;
};

/** Newline-delimited JSON: each complete line of `buffer` parsed, and what is left of it. */
export const takeMessages = <T>(buffer: string): { readonly messages: T[]; readonly rest: string } => {
  const lines = buffer.split('\n');
  const rest = lines.pop()!;
  const messages: T[] = [];
  for (const line of lines) if (line) messages.push(JSON.parse(line) as T);
  return { messages, rest };
};
