/**
 * A primary and a streaming hot standby of it, for tests: a fresh primary cluster (initdb) on a free port and a
 * standby made from it with `pg_basebackup -R`, both from the Debian PostgreSQL 15 binaries
 * (/usr/lib/postgresql/15/bin, or KEIKAKU_REPLICA_BIN). The pair is its own (not the shared local server), so a
 * test may pause replay and pile up WAL without touching anybody else's server. As root the servers run as the
 * `postgres` user (PostgreSQL refuses root).
 *
 *   const why = replicaUnavailable();           // a reason to skip, or undefined
 *   const pair = await startReplicaPair();      // pair.primaryUrl, pair.standbyUrl
 *   await pair.stop();                          // both stopped, directories removed
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = process.env.KEIKAKU_REPLICA_BIN ?? '/usr/lib/postgresql/15/bin';
const asRoot = () => process.getuid?.() === 0;

/** Why a primary/standby pair cannot be started here, or undefined when it can. */
export const replicaUnavailable = (): string | undefined => {
  for (const tool of ['initdb', 'postgres', 'pg_basebackup'])
    if (!existsSync(join(BIN, tool))) return `${join(BIN, tool)} is absent (Debian's postgresql-15 package provides it)`;
  if (asRoot()) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root and there is no `postgres` user to run the servers as';
    }
  }
  return undefined;
};

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

/** `file args` as the servers' user. */
const argv = (file: string, args: readonly string[]): [string, string[]] =>
  asRoot() ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', file, ...args]] : [file, [...args]];

const run = (file: string, args: readonly string[]): void => {
  const [cmd, a] = argv(file, args);
  execFileSync(cmd, a, { stdio: ['ignore', 'ignore', 'pipe'] });
};

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));

/** Starts `postgres` and waits until it accepts connections (pg_isready-like, by connecting with psql's library). */
const startPostgres = async (dataDir: string, port: number, extra: readonly string[]): Promise<ChildProcess> => {
  const [cmd, a] = argv(join(BIN, 'postgres'), ['-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', dataDir, ...extra]);
  const child = spawn(cmd, a, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    if (log.length < 20_000) log += d.toString();
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres on port ${port} exited: ${log.slice(-2000)}`);
    if (/ready to accept (read-only )?connections/.test(log)) return child;
    if (Date.now() > deadline) {
      child.kill('SIGQUIT');
      throw new Error(`postgres on port ${port} did not start in 30 s: ${log.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
};

export interface ReplicaPair {
  readonly primaryUrl: string;
  readonly standbyUrl: string;
  readonly primaryPort: number;
  readonly standbyPort: number;
  /** Stops the standby only (the primary then sees no replica connected). */
  stopStandby(): Promise<void>;
  /** Stops both (fast shutdown) and removes their directories; idempotent. */
  stop(): Promise<void>;
}

/** Settings that make a throw-away cluster fast to start and write. */
const FAST = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'shared_buffers=64MB'];

/** `standbySettings`: more `-c` settings of the standby, e.g. `recovery_min_apply_delay=200ms` for a slow replica. */
export const startReplicaPair = async (standbySettings: readonly string[] = []): Promise<ReplicaPair> => {
  const root = mkdtempSync(join(tmpdir(), 'keikaku-replica-'));
  if (asRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
  }
  const primaryDir = join(root, 'primary');
  const standbyDir = join(root, 'standby');
  const children: ChildProcess[] = [];
  const stopOne = async (child: ChildProcess | undefined) => {
    if (!child) return;
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGQUIT'), 10_000);
    await exited(child);
    clearTimeout(timer);
  };
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await Promise.all(children.map(stopOne));
      rmSync(root, { recursive: true, force: true });
    })());
  try {
    run(join(BIN, 'initdb'), ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    const primaryPort = await freePort();
    children.push(await startPostgres(primaryDir, primaryPort, [...FAST, '-c', 'wal_level=replica', '-c', 'max_wal_senders=5']));
    run(join(BIN, 'pg_basebackup'), ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', standbyDir, '-R', '-X', 'stream', '--no-sync', '-c', 'fast']);
    const standbyPort = await freePort();
    const standby = await startPostgres(standbyDir, standbyPort, [...FAST, '-c', 'hot_standby=on', '-c', 'hot_standby_feedback=off', '-c', 'wal_receiver_status_interval=1s', ...standbySettings.flatMap((x) => ['-c', x])]);
    children.push(standby);
    const primaryUrl = `postgres://postgres@127.0.0.1:${primaryPort}/postgres`;
    return {
      primaryUrl,
      standbyUrl: `postgres://postgres@127.0.0.1:${standbyPort}/postgres`,
      primaryPort,
      standbyPort,
      stopStandby: () => stopOne(standby),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
