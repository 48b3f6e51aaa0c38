/**
 * The daemon (protocol.ts): `node server.js SOCKET`, started by a client in the project's directory. It keeps
 * what a run of `generate` or `plan` builds and throws away: keikaku's modules, the schema files' modules (a run
 * evaluates again only what changed: schema-import.ts), and an embedded shadow already started for the next run.
 * Each run is the command as the CLI runs it (`main`), with the client's arguments, variables and terminal, one at
 * a time; its output goes to the client, which exits with its code.
 *
 * It ends after `KEIKAKU_DAEMON_IDLE` seconds without a run (600), when keikaku is rebuilt or the project directory
 * is gone, on `keikaku daemon stop`, and on a signal (as keikaku does: what the run made is removed first). Its
 * socket and info file go with it.
 */
import { rmSync, writeFileSync, existsSync, chmodSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { buildId, takeMessages, type Reply, type Request, type RunRequest } from './protocol.js';
import { connectTo, idleSeconds } from './client.js';
import { HandBack, setServingClient } from './hand-back.js';

const socketPath = process.argv[2];
if (!socketPath) {
  process.stderr.write('usage: server.js SOCKET\n');
  process.exit(1);
}
const infoPath = socketPath.replace(/\.sock$/, '.json');
const root = process.cwd();
const build = buildId();
const startedAt = new Date();
const idleMs = idleSeconds() * 1000;

const { main } = await import('../main.js');
const { handleSignals, signalCleanup, reportLeft, CLEANUP_TIMEOUT_MS } = await import('../signals.js');
const { runCleanups } = await import('../../db/cleanup.js');
const { loadAhead, plan, warmShadow, watchSchema } = await import('../../api.js');
const { flushCacheWrites, keepInMemory } = await import('../../load/cache.js');
const { forgetSchemaTexts } = await import('../../model/schema-json.js');

// The last schemas read or written stay in memory (a run after a save splices into the last normalization), and
// the cache files of new ones are written after the reply (`afterRun`), or at exit.
keepInMemory(2);

let runs = 0;
let lastRunAt = Date.now();
let stopping = false;
/** The connection of the run going on: only its client's signals end it. */
let active: Socket | null = null;
/** Runs one at a time: each waits for the one before, and for its after-work. */
let queue: Promise<void> = Promise.resolve();

/** The socket file this daemon bound, by inode (0 before it listens). */
let boundInode = 0;
const inodeAt = (path: string): number => {
  try {
    return statSync(path).ino;
  } catch {
    return 0;
  }
};
/** Whether the socket at the path is still the one this daemon listens on: a client reaches only that one. */
const ownsSocket = () => boundInode !== 0 && inodeAt(socketPath) === boundInode;
/** The socket and info file, while they are this daemon's: never those of a daemon that took the path over. */
const removeFiles = () => {
  if (ownsSocket()) rmSync(socketPath, { force: true });
  try {
    if ((JSON.parse(readFileSync(infoPath, 'utf8')) as { pid?: unknown }).pid === process.pid) rmSync(infoPath, { force: true });
  } catch {
    // none, or not this daemon's
  }
};
process.on('exit', () => {
  flushCacheWrites();
  removeFiles();
});
handleSignals();

const reply = (socket: Socket, r: Reply) => {
  if (!socket.destroyed) socket.write(`${JSON.stringify(r)}\n`);
};

type Write = typeof process.stdout.write;
type Stream = { isTTY?: boolean; columns?: number; write: Write };

/** The command's output to `to`, and the client's terminal for what asks whether it has one. Returns the undo. */
const asClient = (request: RunRequest, to: (stream: 'stdout' | 'stderr', text: string) => void): (() => void) => {
  const undo: (() => void)[] = [];
  const capture = (stream: NodeJS.WriteStream, name: 'stdout' | 'stderr') => {
    const write = stream.write;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      to(name, typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }) as Write;
    undo.push(() => {
      stream.write = write;
    });
  };
  const pretend = (stream: Stream, isTTY: boolean, columns?: number) => {
    Object.defineProperty(stream, 'isTTY', { value: isTTY, configurable: true, writable: true });
    if (columns !== undefined) Object.defineProperty(stream, 'columns', { value: columns, configurable: true, writable: true });
    undo.push(() => {
      delete stream.isTTY;
      delete stream.columns;
    });
  };
  capture(process.stdout, 'stdout');
  capture(process.stderr, 'stderr');
  pretend(process.stdout as Stream, request.tty.stdout, request.tty.columns);
  pretend(process.stderr as Stream, request.tty.stderr, request.tty.columns);
  pretend(process.stdin as unknown as Stream, request.tty.stdin);
  // The client's variables, as a process of its own would have them.
  for (const k of Object.keys(process.env)) if (!(k in request.env)) delete process.env[k];
  Object.assign(process.env, request.env);
  setServingClient(true);
  undo.push(() => setServingClient(false));
  return () => undo.reverse().forEach((u) => u());
};

const serve = async (socket: Socket, request: RunRequest): Promise<void> => {
  lastRunAt = Date.now();
  runs++;
  // A client that goes away in the middle (killed) ends the run as a signal would.
  const gone = () => process.kill(process.pid, 'SIGTERM');
  socket.once('close', gone);
  let restore = () => undefined as void;
  let code: number;
  try {
    restore = asClient(request, (stream, text) => reply(socket, { type: 'out', stream, text }));
    code = await main(request.argv);
  } catch (e) {
    restore();
    socket.off('close', gone);
    await runCleanups(CLEANUP_TIMEOUT_MS);
    if (e instanceof HandBack) reply(socket, { type: 'fallback', reason: e.message });
    else reply(socket, { type: 'fallback', reason: e instanceof Error ? e.message : String(e) });
    socket.end();
    return;
  }
  try {
    const bySignal = signalCleanup();
    if (bySignal) await bySignal; // exits the process
    reportLeft(await runCleanups(CLEANUP_TIMEOUT_MS));
  } finally {
    restore();
  }
  socket.off('close', gone);
  reply(socket, { type: 'exit', code });
  socket.end();
};

/** Runs waiting for their turn. */
let waiting = 0;

/** What the next run will want, done while the person reads this one's output (a collection, if none waits). */
const afterRun = async (): Promise<void> => {
  flushCacheWrites();
  // The texts written are not needed again: the next run's schema is a new one, and a kept one's lines are kept.
  forgetSchemaTexts();
  try {
    await warmShadow({ root });
  } catch {
    // the next run starts one itself
  }
  if (waiting === 0 && active === null) (globalThis as { gc?: () => void }).gc?.();
  lastRunAt = Date.now();
};

const exitSoon = async () => {
  stopping = true;
  // Closing unlinks the socket's path, which may now be another daemon's socket: then this one just exits.
  if (ownsSocket()) server.close();
  await queue;
  reportLeft(await runCleanups(CLEANUP_TIMEOUT_MS));
  process.exit(0);
};

const onMessage = (socket: Socket, m: Request) => {
  if (m.type === 'signal') {
    // A client still waiting for its turn just goes; the run of another is not its to end.
    if (socket === active) process.kill(process.pid, m.signal);
    else socket.destroy();
    return;
  }
  if (m.type === 'status') {
    const mem = process.memoryUsage();
    reply(socket, { type: 'status', pid: process.pid, root, startedAt: startedAt.toISOString(), runs, idleMs: Date.now() - lastRunAt, rssBytes: mem.rss });
    return void socket.end();
  }
  if (m.type === 'stop') {
    reply(socket, { type: 'stopping' });
    socket.end();
    return void exitSoon();
  }
  if (m.type !== 'run') return void socket.destroy();
  if (stopping || m.cwd !== root || buildId() !== build) {
    reply(socket, { type: 'fallback', reason: stopping ? 'stopping' : 'another project or build' });
    socket.end();
    if (!stopping && m.cwd === root) void exitSoon();
    return;
  }
  waiting++;
  queue = queue.then(async () => {
    waiting--;
    if (socket.destroyed) return;
    active = socket;
    try {
      await serve(socket, m);
    } finally {
      active = null;
    }
    await afterRun();
  });
};

const server = createServer((socket) => {
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('error', () => undefined);
  socket.on('data', (chunk: string) => {
    let parsed;
    try {
      parsed = takeMessages<Request>(buffer + chunk);
    } catch {
      return void socket.destroy();
    }
    buffer = parsed.rest;
    for (const m of parsed.messages) onMessage(socket, m);
  });
});

const listen = () =>
  new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Only this user may connect: the directory is theirs alone (socketDir); the socket too.
    const umask = process.umask(0o077);
    server.listen(socketPath, () => {
      process.umask(umask);
      server.off('error', reject);
      resolve();
    });
  });

const lockPath = socketPath.replace(/\.sock$/, '.lock');
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};
/** Another daemon answers at the socket: this one is not needed. */
const answered = async () => {
  const other = await connectTo(socketPath);
  if (!other) return false;
  other.destroy();
  return true;
};

/**
 * Replaces the socket a daemon that died left behind. Two daemons started together may both find it: one replaces
 * it, holding the lock; the other leaves, or, coming after, finds the new one answering. Without the lock the
 * second would remove the socket the first had just bound, and the first would go on unreachable.
 */
const replaceStale = async (): Promise<boolean> => {
  try {
    writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return false;
    let holder = NaN;
    try {
      holder = Number(readFileSync(lockPath, 'utf8').trim());
    } catch {
      // removed meanwhile
    }
    if (Number.isInteger(holder) && holder > 0 && alive(holder)) return false;
    rmSync(lockPath, { force: true }); // its holder died
    return replaceStale();
  }
  try {
    if (await answered()) return false;
    rmSync(socketPath, { force: true });
    await listen();
    return true;
  } finally {
    rmSync(lockPath, { force: true });
  }
};

try {
  await listen();
} catch (e) {
  if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') process.exit(1);
  if ((await answered()) || !(await replaceStale())) process.exit(0);
}
boundInode = inodeAt(socketPath);
chmodSync(socketPath, 0o600);
writeFileSync(infoPath, `${JSON.stringify({ pid: process.pid, root, startedAt: startedAt.toISOString() })}\n`, { mode: 0o600 });

/**
 * What the next run will need, done now: keikaku's modules and the history, at the start (a `plan` with nothing
 * shown); after each save in schema/, its load and normalization (`loadAhead`), while the person turns to the
 * terminal. A run that comes meanwhile waits its turn and takes that load when nothing it read has changed since.
 */
const warmUp = async (): Promise<void> => {
  const quiet = { type: 'run', argv: [], cwd: root, env: { ...(process.env as Record<string, string>) }, tty: { stdin: false, stdout: false, stderr: false } } as const;
  const restore = asClient(quiet, () => undefined);
  try {
    await plan({ root });
  } catch {
    // the run that needs it reports it
  } finally {
    restore();
    await runCleanups(CLEANUP_TIMEOUT_MS);
  }
  await afterRun();
};

let aheadQueued = false;
const planAhead = () => {
  if (aheadQueued || stopping) return;
  aheadQueued = true;
  queue = queue.then(async () => {
    aheadQueued = false;
    if (stopping) return;
    try {
      await loadAhead({ root });
    } catch {
      // the run that needs it reports it
    }
    // The run waiting for this load takes it; a shadow for the one after is started after that run.
    if (waiting === 0) await afterRun();
  });
};

queue = queue.then(warmUp);
try {
  const saves = await watchSchema({ root });
  void (async () => {
    for await (const _ of saves) planAhead();
  })().catch(() => undefined);
} catch {
  // no schema/ to watch: runs still come
}

const timer = setInterval(() => {
  if (stopping) return;
  const idle = Date.now() - lastRunAt >= idleMs;
  if (idle || buildId() !== build || !existsSync(root) || !existsSync(dirname(socketPath)) || !ownsSocket()) void exitSoon();
}, Math.min(idleMs, 15_000));
timer.unref();
