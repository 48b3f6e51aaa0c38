/**
 * A real PgBouncer in front of a server, for tests: Debian's `pgbouncer` (/usr/sbin/pgbouncer, or
 * KEIKAKU_PGBOUNCER), started on a free port with its own ini in a temporary directory, trust authentication,
 * every database of `serverUrl`'s host and port, in `transaction` or `session` pool mode. As root it runs as the
 * `postgres` user (PgBouncer refuses root).
 *
 *   const why = pgbouncerUnavailable();                   // a reason to skip, or undefined
 *   const pooler = await startPgbouncer(serverUrl, 'transaction');
 *   pooler.urlFor('mydb')                                 // postgres://postgres@127.0.0.1:<port>/mydb
 *   await pooler.stop();
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './replica.js';

const BIN = process.env.KEIKAKU_PGBOUNCER ?? '/usr/sbin/pgbouncer';
const asRoot = () => process.getuid?.() === 0;

export type PoolMode = 'transaction' | 'session';

/** Why PgBouncer cannot be started here, or undefined when it can. */
export const pgbouncerUnavailable = (): string | undefined => {
  if (!existsSync(BIN)) return `${BIN} is absent (\`apt-get install pgbouncer\`; .ci/run installs it)`;
  if (asRoot()) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      return 'running as root and there is no `postgres` user to run PgBouncer as';
    }
  }
  return undefined;
};

export interface Pgbouncer {
  readonly port: number;
  readonly mode: PoolMode;
  /** The URL of `database` through the pooler. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

const listening = async (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

export const startPgbouncer = async (serverUrl: string, mode: PoolMode, poolSize = 20): Promise<Pgbouncer> => {
  const server = new URL(serverUrl);
  const dir = mkdtempSync(join(tmpdir(), 'keikaku-pgbouncer-'));
  if (asRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const ini = join(dir, 'pgbouncer.ini');
    writeFileSync(
      ini,
      [
        '[databases]',
        `* = host=${server.hostname} port=${server.port || '5432'}`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${port}`,
        "unix_socket_dir = ''",
        'auth_type = trust',
        `auth_file = ${join(dir, 'users.txt')}`,
        `pool_mode = ${mode}`,
        `default_pool_size = ${poolSize}`,
        'max_client_conn = 200',
        `logfile = ${join(dir, 'pgbouncer.log')}`,
        // node-postgres sends these at start-up; PgBouncer refuses unknown start-up parameters otherwise.
        'ignore_startup_parameters = extra_float_digits,options,statement_timeout',
        'server_reset_query = DISCARD ALL',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'users.txt'), '"postgres" ""\n');
    const args = [ini];
    const [cmd, argv] = asRoot() ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', BIN, ...args]] : [BIN, args];
    const child: ChildProcess = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && child.exitCode === null && !(await listening(port))) await new Promise((r) => setTimeout(r, 50));
    if (child.exitCode === null && (await listening(port))) {
      let stopping: Promise<void> | undefined;
      return {
        port,
        mode,
        urlFor: (database) => `postgres://${encodeURIComponent(decodeURIComponent(server.username || 'postgres'))}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
        stop: () =>
          (stopping ??= (async () => {
            if (child.exitCode === null) {
              // SIGINT: immediate shutdown.
              child.kill('SIGINT');
              await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
            }
            rmSync(dir, { recursive: true, force: true });
          })()),
      };
    }
    child.kill('SIGKILL');
    lastError = log.slice(-2000);
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`pgbouncer did not start: ${lastError}`);
};
