/**
 * Child processes of a rehearsal: `pg_dump` / `pg_restore` (the password travels in PGPASSWORD, never on a command
 * line another user could read in `ps`), and the provider's shell commands of keikaku.config.ts.
 */
import { spawn } from 'node:child_process';
import { UserError } from '../db/errors.js';
import { maskUrl } from '../db/secrets.js';

/** A URL without its password, and the password for PGPASSWORD (undefined when it has none). */
export const splitPassword = (url: string): { readonly url: string; readonly password: string | undefined } => {
  try {
    const u = new URL(url);
    if (!u.password) return { url, password: undefined };
    const password = decodeURIComponent(u.password);
    u.password = '';
    return { url: u.toString(), password };
  } catch {
    return { url, password: undefined };
  }
};

export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program (no shell) and collects its output; a program that is not installed gives code 127. */
export const runProgram = (program: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Ran> =>
  new Promise((resolve) => {
    const child = spawn(program, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => resolve({ code: 127, stdout, stderr: `${stderr}${e.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });

/** The major version `pg_dump --version` (or pg_restore) prints; undefined when it is not installed. */
export const toolMajor = async (program: string): Promise<number | undefined> => {
  const r = await runProgram(program, ['--version']);
  const m = /\(PostgreSQL\)\s+(\d+)/.exec(r.stdout);
  return r.code === 0 && m ? Number(m[1]) : undefined;
};

const envFor = (url: string): { url: string; env: NodeJS.ProcessEnv } => {
  const { url: bare, password } = splitPassword(url);
  return { url: bare, env: { ...process.env, ...(password !== undefined ? { PGPASSWORD: password } : {}) } };
};

/** The last lines of a tool's stderr, masked, for a message. */
const tail = (stderr: string): string =>
  maskUrl(
    stderr
      .trim()
      .split('\n')
      .slice(-4)
      .join(' / '),
  );

/**
 * `pg_dump -Fc SOURCE | pg_restore -d TARGET`, streamed. `dumpArgs` / `restoreArgs` add options (a section,
 * `--no-owner`). pg_restore reports the objects it could not restore (a comment on an extension another role owns)
 * and goes on, as it does by hand: those come back as `warnings`; a failed pg_dump is an error.
 */
export const dumpRestore = async (
  sourceUrl: string,
  targetUrl: string,
  o: { readonly dumpArgs?: readonly string[]; readonly restoreArgs?: readonly string[] } = {},
): Promise<{ readonly warnings: readonly string[] }> => {
  const src = envFor(sourceUrl);
  const dst = envFor(targetUrl);
  const dump = spawn('pg_dump', ['-Fc', ...(o.dumpArgs ?? []), '-d', src.url], { env: src.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const restore = spawn('pg_restore', ['-d', dst.url, ...(o.restoreArgs ?? [])], { env: dst.env, stdio: ['pipe', 'ignore', 'pipe'] });
  let dumpErr = '';
  let restoreErr = '';
  dump.stderr.on('data', (d: Buffer) => (dumpErr += d.toString()));
  restore.stderr.on('data', (d: Buffer) => (restoreErr += d.toString()));
  dump.stdout.pipe(restore.stdin);
  restore.stdin.on('error', () => undefined);
  const exit = (c: ReturnType<typeof spawn>) =>
    new Promise<number>((resolve) => {
      c.on('error', () => resolve(127));
      c.on('close', (code) => resolve(code ?? 1));
    });
  const [dumpCode, restoreCode] = await Promise.all([exit(dump), exit(restore)]);
  if (dumpCode !== 0) throw new UserError(`pg_dump of ${maskUrl(sourceUrl)} failed (exit ${dumpCode}): ${tail(dumpErr)}`);
  if (restoreCode === 127) throw new UserError(`pg_restore could not be run: ${tail(restoreErr)}`);
  const warnings = restoreErr
    .split('\n')
    .filter((l) => /error:/i.test(l) && !/errors ignored on restore/i.test(l))
    .map((l) => maskUrl(l.trim()));
  if (restoreCode !== 0 && warnings.length === 0) throw new UserError(`pg_restore into the copy failed (exit ${restoreCode}): ${tail(restoreErr)}`);
  return { warnings };
};

/**
 * A provider command of keikaku.config.ts (`rehearse.create` / `url` / `drop`), run by the shell in the project's
 * directory with KEIKAKU_REHEARSAL_NAME set. Its standard output is returned; a non-zero exit is an error naming
 * the command (which may hold secrets of its own: only its first word is shown) and its stderr's last lines.
 */
export const runProviderCommand = async (what: 'create' | 'url' | 'drop', command: string, cwd: string, name: string): Promise<string> => {
  const r = await new Promise<Ran>((resolve) => {
    const child = spawn(command, { shell: true, cwd, env: { ...process.env, KEIKAKU_REHEARSAL_NAME: name }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => resolve({ code: 127, stdout, stderr: `${stderr}${e.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
  if (r.code !== 0) {
    const first = command.trim().split(/\s+/)[0] ?? '';
    throw new UserError(`rehearse.${what} in keikaku.config.ts (\`${first} …\`) failed (exit ${r.code})${r.stderr.trim() ? `: ${tail(r.stderr)}` : ''}`);
  }
  return r.stdout;
};
