/**
 * A PostgreSQL server of one major version started locally from installed binaries (`binaries.ts`), for a shadow
 * of the same major as a live database, and for tests. `initdb` runs once per version into a cached template
 * data directory; each start copies the template (~0.3 s) and starts `postgres` on a free port (~0.7 s).
 *
 * PostgreSQL refuses to run as root: as root, the server runs as the `postgres` user, which must exist.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PostgresBinaries } from './binaries.js';
import { runDirName, sweepStale, track } from './cleanup.js';

export interface EmbeddedServer {
  readonly major: number;
  /** The PostgreSQL version, e.g. `16.14`. */
  readonly version: string;
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: superuser, trust authentication, local connections only. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Stops the server (fast shutdown) and removes its data directory; idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Where templates and run directories live (default `<tmpdir>/keikaku-postgres`). */
  readonly cacheDir?: string;
  /** Give up waiting for the server after this long (default 60 s). */
  readonly startTimeoutMs?: number;
}

export const defaultCacheDir = (): string => process.env.KEIKAKU_POSTGRES_CACHE ?? join(tmpdir(), 'keikaku-postgres');

const asRoot = (): boolean => process.getuid?.() === 0;

/** The unprivileged account the server runs under when keikaku runs as root. */
const SERVER_USER = 'postgres';

let serverIds: { uid: number; gid: number } | undefined;
const serverUserIds = (): { uid: number; gid: number } => {
  serverIds ??= {
    uid: Number(execFileSync('id', ['-u', SERVER_USER], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', SERVER_USER], { encoding: 'utf8' }).trim()),
  };
  return serverIds;
};

/** The command line that runs `file` as the server's user: itself, or through setpriv when root. */
const asServerUser = (file: string, args: readonly string[]): [string, string[]] =>
  asRoot()
    ? ['setpriv', [`--reuid=${SERVER_USER}`, `--regid=${SERVER_USER}`, '--init-groups', '--', file, ...args]]
    : [file, [...args]];

/** A directory the server's user owns. */
const ownedDir = (dir: string): void => {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (asRoot()) {
    const { uid, gid } = serverUserIds();
    chownSync(dir, uid, gid);
  }
};

const run = (file: string, args: readonly string[]): void => {
  const [cmd, argv] = asServerUser(file, args);
  try {
    execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${file} failed: ${(e.stderr || e.stdout || e.message).trim()}`, { cause: error });
  }
};

/**
 * The template data directory of this version, created once: initdb into a directory of its own, then renamed
 * into place, so concurrent processes never see half of one (the loser of a race removes its copy).
 */
const template = (binaries: PostgresBinaries, cacheDir: string): string => {
  const dir = join(cacheDir, `template-${binaries.version}`);
  if (existsSync(join(dir, 'PG_VERSION'))) return dir;
  mkdirSync(cacheDir, { recursive: true });
  const work = join(cacheDir, `initdb-${binaries.version}-${process.pid}-${randomBytes(4).toString('hex')}`);
  ownedDir(work);
  const data = join(work, 'data');
  try {
    run(binaries.initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
    try {
      renameSync(data, dir);
    } catch (error) {
      if (!existsSync(join(dir, 'PG_VERSION'))) throw error;
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return dir;
};

const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });

/** Durability is not wanted from a throw-away server; these make DDL faster. */
const SETTINGS = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'unix_socket_directories='];

/** Waits for the server's "ready to accept connections" line; rejects with its log when it exits first. */
const ready = (child: ChildProcess, timeoutMs: number): Promise<void> =>
  new Promise((resolveReady, reject) => {
    let log = '';
    const timer = setTimeout(() => finish(new Error(`PostgreSQL did not start within ${timeoutMs} ms:\n${log.trim()}`)), timeoutMs);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      child.stderr?.removeListener('data', onData);
      child.removeListener('exit', onExit);
      if (error) reject(error);
      else resolveReady();
    };
    const onData = (chunk: Buffer) => {
      log += chunk.toString('utf8');
      if (log.includes('database system is ready to accept connections')) finish();
    };
    const onExit = (code: number | null) => finish(new Error(`PostgreSQL exited (${code}) while starting:\n${log.trim()}`));
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));

/** Copies the template and starts a server on a free port; `stop()` it in a finally. */
export const startEmbeddedServer = async (binaries: PostgresBinaries, options: StartOptions = {}): Promise<EmbeddedServer> => {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  sweepStale(cacheDir);
  const source = template(binaries, cacheDir);
  const dataDir = join(cacheDir, runDirName(binaries.major, randomBytes(6).toString('hex')));
  // As root `cp -a` keeps the server user's ownership; PostgreSQL also wants the directory mode 0700 kept.
  execFileSync('cp', ['-a', source, dataDir]);
  let lastError: unknown;
  // A port found free may be taken before the server binds it: try another.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const args = ['-D', dataDir, '-p', String(port), '-h', '127.0.0.1', ...SETTINGS.flatMap((s) => ['-c', s])];
    const [cmd, argv] = asServerUser(binaries.postgres, args);
    const child = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    const untrack = track(child.pid ?? -1, dataDir);
    try {
      await ready(child, options.startTimeoutMs ?? 60_000);
    } catch (error) {
      untrack();
      child.kill('SIGQUIT');
      await exited(child);
      lastError = error;
      if (/could not (bind|create listen)/i.test((error as Error).message)) continue;
      break;
    }
    // The server keeps logging to stderr; nobody reads it after start-up.
    child.stderr?.resume();
    let stopping: Promise<void> | undefined;
    return {
      major: binaries.major,
      version: binaries.version.replace(/^(\d+\.\d+).*$/, '$1'),
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      dataDir,
      stop() {
        stopping ??= (async () => {
          // SIGINT is the fast shutdown: sessions are ended, no wait for clients to leave.
          child.kill('SIGINT');
          const timer = setTimeout(() => child.kill('SIGQUIT'), 10_000);
          await exited(child);
          clearTimeout(timer);
          untrack();
          rmSync(dataDir, { recursive: true, force: true });
        })();
        return stopping;
      },
    };
  }
  rmSync(dataDir, { recursive: true, force: true });
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
};
