/**
 * The daemon (src/cli/daemon/): a run of the built CLI with KEIKAKU_DAEMON=1 starts one; the next run is served
 * by it and writes, byte for byte, what a run in its own process writes; a signal to the client ends the run as
 * it ends keikaku (the daemon exits, its socket goes); a run that must ask on the terminal is handed back with
 * nothing written; only this user's private directory holds sockets; `keikaku daemon stop` ends it.
 */
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { identity, servable, socketDir, takeMessages, type Reply } from '../../src/cli/daemon/protocol.js';
import { projectRoot } from '../support/paths.js';

const runtime = mkdtempSync(join(tmpdir(), 'kk-daemon-run-'));
chmodSync(runtime, 0o700);
// Inside the repository, so that `keikaku` resolves to this package as it does for schema/.
const projects = mkdtempSync(join(projectRoot, 'test', '.tmp-daemon-'));

const env = (extra: Record<string, string> = {}) => ({
  ...process.env,
  XDG_RUNTIME_DIR: runtime,
  KEIKAKU_DAEMON: '1',
  KEIKAKU_DAEMON_IDLE: '120',
  KEIKAKU_NOW: '2026-12-01T00:00:00Z',
  NO_COLOR: '1',
  ...extra,
});

const project = (name: string) => {
  const dir = join(projects, name);
  mkdirSync(dir);
  cpSync(join(projectRoot, 'schema'), join(dir, 'schema'), { recursive: true });
  cpSync(join(projectRoot, 'generated'), join(dir, 'generated'), { recursive: true });
  return dir;
};

const cli = (dir: string, argv: readonly string[], extra: Record<string, string> = {}) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [join(projectRoot, 'bin/keikaku.js'), ...argv], { cwd: dir, env: env(extra), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });

/** The socket of the daemon serving `dir`, by the info file it writes beside it; null before it listens. */
const socketOf = (dir: string): string | null => {
  const sockets = join(runtime, 'keikaku');
  if (!existsSync(sockets)) return null;
  const root = realpathSync(dir);
  for (const name of readdirSync(sockets).filter((n) => n.endsWith('.json'))) {
    try {
      if ((JSON.parse(readFileSync(join(sockets, name), 'utf8')) as { root: string }).root === root) return join(sockets, name.replace(/\.json$/, '.sock'));
    } catch {
      // being written
    }
  }
  return null;
};

/** The daemon's socket once it listens. */
const daemonOf = async (dir: string): Promise<string> => {
  let socket: string | null = null;
  await until('the daemon socket', () => (socket = socketOf(dir)) !== null && existsSync(socket));
  return socket!;
};

const until = async (what: string, ok: () => boolean, ms = 60_000) => {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** One request on the socket, every reply until the daemon closes it. */
const exchange = (socket: string, messages: readonly object[]) =>
  new Promise<Reply[]>((resolve, reject) => {
    const s = connect(socket);
    const replies: Reply[] = [];
    let buffer = '';
    s.on('error', reject);
    s.on('data', (d: Buffer) => {
      const { messages: m, rest } = takeMessages<Reply>(buffer + d.toString());
      buffer = rest;
      replies.push(...m);
    });
    s.on('close', () => resolve(replies));
    s.on('connect', () => {
      for (const m of messages) s.write(`${JSON.stringify(m)}\n`);
    });
  });

const status = async (socket: string) => (await exchange(socket, [{ type: 'status' }])).find((r) => r.type === 'status') as Extract<Reply, { type: 'status' }>;

const filesUnder = (dir: string): Record<string, string> => {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
};

const addColumn = (dir: string, column: string) => {
  const file = join(dir, 'schema', 'offices.ts');
  const text = readFileSync(file, 'utf8');
  const anchor = "timezone: text().notNull().default('Asia/Tokyo'),";
  expect(text).toContain(anchor);
  writeFileSync(file, text.replace(anchor, `${anchor}\n    ${column}: text(),`));
};

afterAll(async () => {
  await cli(projectRoot, ['daemon', 'stop', '--all']);
  rmSync(projects, { recursive: true, force: true });
  rmSync(runtime, { recursive: true, force: true });
});

describe('keikaku daemon', () => {
  it('serves the next generate, which writes what a run of its own writes', async () => {
    const dir = project('served');
    const first = await cli(dir, ['plan']);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('started a background process');
    const socket = await daemonOf(dir);

    addColumn(dir, 'note');
    const served = await cli(dir, ['generate', 'add_note']);
    expect(served.stderr).not.toContain('started a background process');
    expect(served.code).toBe(0);
    expect(served.stdout).toMatch(/^wrote generated\/migrations\/\d+_add_note/);
    expect((await status(socket)).runs).toBe(1);

    // The same edit in a copy, generated in the CLI's own process.
    const alone = project('alone');
    addColumn(alone, 'note');
    const own = await cli(alone, ['generate', 'add_note'], { KEIKAKU_DAEMON: '0' });
    expect(own.code).toBe(0);
    expect(own.stdout).toBe(served.stdout);
    expect(filesUnder(join(dir, 'generated'))).toEqual(filesUnder(join(alone, 'generated')));

    // Right after, plan (served) finds nothing to do; an edit right before a run is seen by it.
    const after = await cli(dir, ['plan', '--format', 'json']);
    expect(after.code).toBe(0);
    addColumn(dir, 'second_note');
    const next = await cli(dir, ['plan']);
    expect(next.code).toBe(0);
    expect(next.stdout).toContain('second_note');
    expect((await status(socket)).runs).toBe(3);

    const stop = await cli(dir, ['daemon', 'stop']);
    expect(stop.stdout).toContain('Stopped 1 keikaku daemon');
    await until('the socket removed', () => !existsSync(socket), 20_000);

    // What the daemon normalized reached the cache on disk (written after its replies, or as it exited): a run in
    // a process of its own takes it without a shadow.
    const own2 = await cli(dir, ['plan'], { KEIKAKU_DAEMON: '0', KEIKAKU_DEBUG: '1' });
    expect(own2.code).toBe(0);
    expect(own2.stdout).toContain('second_note');
    expect(own2.stderr).toMatch(/normalized schema\/: (unchanged since the last run|cached)/);
  }, 180_000);

  it('hands back a run that must ask on the terminal, having written nothing', async () => {
    const dir = project('asks');
    expect((await cli(dir, ['plan'])).code).toBe(0);
    const socket = await daemonOf(dir);
    // A column renamed with nothing to tell a rename from a drop and an add: generate asks on a terminal.
    const file = join(dir, 'schema', 'offices.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('timezone: text()', 'time_zone: text()'));
    const before = filesUnder(join(dir, 'generated'));
    const replies = await exchange(socket, [
      { type: 'run', argv: ['generate', 'renamed'], cwd: dir, env: env(), tty: { stdin: true, stdout: true, stderr: true, columns: 80 } },
    ]);
    expect(replies.map((r) => r.type)).toContain('fallback');
    expect(replies.some((r) => r.type === 'exit')).toBe(false);
    expect(filesUnder(join(dir, 'generated'))).toEqual(before);
    // Without a terminal the same run is the daemon's, and refuses as keikaku does (exit 3).
    const scripted = await cli(dir, ['generate', 'renamed']);
    expect(scripted.code).toBe(3);
    expect((await status(socket)).runs).toBe(2);
    await cli(dir, ['daemon', 'stop']);
  }, 180_000);

  it("passes a signal on: the run ends as keikaku's does, the daemon exits and its socket goes", async () => {
    const dir = project('signal');
    // A schema file that takes seconds to evaluate when asked to: the signal comes while the run evaluates it.
    writeFileSync(join(dir, 'schema', 'slow.ts'), `const t = Date.now();\nif (process.env.KK_SLOW) while (Date.now() - t < 3000);\nexport {};\n`);
    expect((await cli(dir, ['plan'])).code).toBe(0);
    const socket = await daemonOf(dir);
    const pid = (await status(socket)).pid;
    const child = spawn(process.execPath, [join(projectRoot, 'bin/keikaku.js'), 'plan'], { cwd: dir, env: env({ KK_SLOW: '1' }), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // The daemon has the run once it evaluates the slow file (its status then waits behind the busy loop).
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('SIGINT');
    await until('the daemon gone', () => !existsSync(socket), 20_000);
    // Gone, or a zombie its new parent has not reaped yet.
    const state = () => (existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] : 'gone');
    await until('the daemon process ended', () => ['gone', 'Z', 'X'].includes(state() ?? 'gone'), 20_000);
  }, 180_000);
});

describe('a daemon left alone', () => {
  it('exits after KEIKAKU_DAEMON_IDLE seconds without a run, and takes its socket and info file with it', async () => {
    const dir = project('idle');
    expect((await cli(dir, ['plan'], { KEIKAKU_DAEMON_IDLE: '2' })).code).toBe(0);
    const socket = await daemonOf(dir);
    await until('the idle daemon gone', () => !existsSync(socket) && !existsSync(socket.replace(/\.sock$/, '.json')), 60_000);
    // The next run finds none, runs in its own process and starts another.
    const again = await cli(dir, ['plan'], { KEIKAKU_DAEMON_IDLE: '2' });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('started a background process');
  }, 120_000);
});

describe('two daemons that find one socket', () => {
  it('the socket of a killed daemon is replaced by one of two daemons started together; the other leaves', async () => {
    const dir = project('stale');
    const socket = join(socketDir(env())!, 'stale-race.sock');
    const server = join(projectRoot, 'dist/cli/daemon/server.js');
    for (let round = 0; round < 3; round++) {
      // A socket no one answers: the process that listened on it was killed.
      await new Promise((resolve) => {
        const c = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(socket)}, () => process.kill(process.pid, 'SIGKILL'))`]);
        c.on('exit', resolve);
      });
      expect(existsSync(socket)).toBe(true);
      const exited = new Set<number>();
      const daemons = [0, 1].map(() => {
        const d = spawn(process.execPath, ['--expose-gc', server, socket], { cwd: dir, env: env(), stdio: 'ignore' });
        d.on('exit', () => exited.add(d.pid!));
        return d;
      });
      await until('one of the two daemons gone', () => exited.size === 1, 60_000);
      // The one left is the one a client reaches.
      const { pid } = await status(socket);
      expect(daemons.map((d) => d.pid)).toContain(pid);
      expect(exited.has(pid)).toBe(false);
      expect(existsSync(socket.replace(/\.sock$/, '.lock'))).toBe(false);
      await exchange(socket, [{ type: 'stop' }]);
      await until('both daemons gone', () => exited.size === 2, 60_000);
      expect(existsSync(socket)).toBe(false);
    }
  }, 240_000);

  it("a daemon whose socket was taken over exits, and leaves the other's socket where it is", async () => {
    const dir = project('taken');
    const socket = join(socketDir(env())!, 'taken.sock');
    const server = join(projectRoot, 'dist/cli/daemon/server.js');
    const first = spawn(process.execPath, ['--expose-gc', server, socket], { cwd: dir, env: env(), stdio: 'ignore' });
    let firstGone = false;
    first.on('exit', () => (firstGone = true));
    await until('the first daemon listening', () => existsSync(socket.replace(/\.sock$/, '.json')));
    // Someone removes its socket and another daemon listens at the path.
    rmSync(socket);
    const second = spawn(process.execPath, ['--expose-gc', server, socket], { cwd: dir, env: env(), stdio: 'ignore' });
    await until('the second daemon listening', () => existsSync(socket));
    const { pid } = await status(socket);
    expect(pid).toBe(second.pid);
    await until('the first daemon gone', () => firstGone, 60_000);
    expect(existsSync(socket)).toBe(true);
    expect((await status(socket)).pid).toBe(second.pid);
    await exchange(socket, [{ type: 'stop' }]);
    await until('the socket removed', () => !existsSync(socket), 60_000);
  }, 120_000);
});

describe('which runs a daemon may serve', () => {
  it('serves generate and plan, not a live database, a watch, help or another command', () => {
    expect(servable(['generate', 'x', '--format', 'json'])).toBe(true);
    expect(servable(['plan', '--exit-code'])).toBe(true);
    for (const argv of [['plan', '--from-db', 'postgres://x'], ['plan', '--from-db=postgres://x'], ['plan', '--env', 'prod'], ['plan', '--watch'], ['generate', '--help'], ['generate', '--rebase'], ['apply'], ['diff', 'a', 'b'], []])
      expect(servable(argv), argv.join(' ')).toBe(false);
  });

  it('gives another daemon to another build of variables, not to another clock', () => {
    const base = { HOME: '/h', PATH: '/bin' };
    expect(identity(projectRoot, { ...base, KEIKAKU_NOW: '2020-01-01T00:00:00Z' })).toBe(identity(projectRoot, base));
    expect(identity(projectRoot, { ...base, DATABASE_URL: 'postgres://a' })).toBe(identity(projectRoot, base));
    expect(identity(projectRoot, { ...base, KEIKAKU_CACHE_DIR: '/c' })).not.toBe(identity(projectRoot, base));
    expect(identity(projectRoot, { ...base, NODE_OPTIONS: '--inspect' })).not.toBe(identity(projectRoot, base));
    expect(identity(join(projectRoot, 'schema'), base)).not.toBe(identity(projectRoot, base));
  });

  it('keeps sockets only in a directory of this user that no one else can enter', () => {
    const own = mkdtempSync(join(tmpdir(), 'kk-daemon-dir-'));
    try {
      chmodSync(own, 0o700);
      expect(socketDir({ XDG_RUNTIME_DIR: own })).toBe(join(own, 'keikaku'));
      chmodSync(join(own, 'keikaku'), 0o755);
      expect(socketDir({ XDG_RUNTIME_DIR: own })).toBeNull();
      rmSync(join(own, 'keikaku'), { recursive: true });
      const elsewhere = mkdtempSync(join(tmpdir(), 'kk-daemon-else-'));
      chmodSync(elsewhere, 0o700);
      symlinkSync(elsewhere, join(own, 'keikaku'));
      expect(socketDir({ XDG_RUNTIME_DIR: own })).toBeNull();
      rmSync(elsewhere, { recursive: true });
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});
