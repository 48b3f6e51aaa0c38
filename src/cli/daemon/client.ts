/**
 * The client side of the daemon (protocol.ts): `bin/keikaku.js` asks `viaDaemon` first; null means "run it here".
 * Output arrives as the daemon writes it, or all at the end when the run may ask a question on the terminal (the
 * daemon cannot: the run is then handed back and runs here, having shown nothing). A signal the client receives
 * is passed on: the daemon ends the run as keikaku ends on that signal, removing what it made, and exits.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  daemonPaths, daemonWanted, identity, servable, socketDir, takeMessages, type Reply, type Request, type RunRequest,
} from './protocol.js';

/** Seconds a daemon waits for a run before it exits (`KEIKAKU_DAEMON_IDLE`, default 600). */
export const idleSeconds = (env: NodeJS.ProcessEnv = process.env): number => Math.max(1, Number(env.KEIKAKU_DAEMON_IDLE ?? 600) || 600);

const SIGNAL_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/** The socket of this run's daemon (which may not be running), or null when runs here use none. */
export const daemonSocket = (argv: readonly string[], env: NodeJS.ProcessEnv = process.env): string | null => {
  if (!servable(argv) || !daemonWanted(env)) return null;
  const dir = socketDir(env);
  return dir && daemonPaths(dir, identity(process.cwd(), env)).socket;
};

const send = (socket: Socket, message: Request) => socket.write(`${JSON.stringify(message)}\n`);

/** Connects to `path`; null when no daemon listens there. */
export const connectTo = (path: string): Promise<Socket | null> =>
  new Promise((resolve) => {
    if (!existsSync(path)) return resolve(null);
    const socket = connect(path);
    socket.once('connect', () => resolve(socket));
    socket.once('error', () => resolve(null));
  });

/** Sends `request` and collects replies until the daemon closes the connection. */
export const ask = (socket: Socket, request: Request, onReply: (r: Reply) => void): Promise<void> =>
  new Promise((resolve) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      const { messages, rest } = takeMessages<Reply>(buffer + chunk);
      buffer = rest;
      for (const m of messages) onReply(m);
    });
    socket.on('close', () => resolve());
    socket.on('error', () => undefined);
    send(socket, request);
  });

/**
 * Runs `argv` on this project's daemon: its exit code; else `here` (the caller runs it: it is not for a daemon,
 * or the daemon handed it back, having printed nothing), and `start`, the socket of the daemon that would have
 * served it but is not running (`startDaemon`).
 */
export const viaDaemon = async (argv: readonly string[]): Promise<{ readonly code: number } | { readonly here: true; readonly start: string | null }> => {
  const path = daemonSocket(argv);
  if (!path) return { here: true, start: null };
  const socket = await connectTo(path);
  if (!socket) return { here: true, start: path };
  const code = await runOn(socket, argv);
  return code === null ? { here: true, start: null } : { code };
};

const runOn = async (socket: Socket, argv: readonly string[]): Promise<number | null> => {
  const tty = { stdin: process.stdin.isTTY === true, stdout: process.stdout.isTTY === true, stderr: process.stderr.isTTY === true };
  // A run that may ask on the terminal is held until it ends: handed back, it must have shown nothing.
  const hold = tty.stdin && tty.stdout;
  const held: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  let shown = false;
  let code: number | null = null;
  let handedBack = false;
  let signalled: keyof typeof SIGNAL_CODES | undefined;
  const onSignal = (signal: keyof typeof SIGNAL_CODES) => {
    if (signalled) process.exit(SIGNAL_CODES[signal]); // a second signal: at once, as in-process
    signalled = signal;
    send(socket, { type: 'signal', signal });
  };
  const handlers = (Object.keys(SIGNAL_CODES) as (keyof typeof SIGNAL_CODES)[]).map((s) => {
    const h = () => onSignal(s);
    process.on(s, h);
    return [s, h] as const;
  });
  const request: RunRequest = {
    type: 'run',
    argv,
    cwd: process.cwd(),
    env: Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => typeof e[1] === 'string')),
    tty: { ...tty, columns: process.stdout.columns },
  };
  try {
    await ask(socket, request, (r) => {
      if (r.type === 'out') {
        if (hold) held.push(r);
        else {
          shown = true;
          (r.stream === 'stdout' ? process.stdout : process.stderr).write(r.text);
        }
      } else if (r.type === 'exit') code = r.code;
      else if (r.type === 'fallback') handedBack = true;
    });
  } finally {
    for (const [s, h] of handlers) process.off(s, h);
  }
  if (handedBack && !shown) return null;
  for (const h of held) (h.stream === 'stdout' ? process.stdout : process.stderr).write(h.text);
  if (code !== null) return code;
  if (signalled) return SIGNAL_CODES[signalled];
  // The daemon ended in the middle (killed, out of memory): run here if nothing was shown yet.
  if (!shown && held.length === 0) return null;
  process.stderr.write('keikaku: the background process ended during the run; run the command again (KEIKAKU_DAEMON=0 runs it without one)\n');
  return 1;
};

/**
 * Starts the daemon of `path` (`viaDaemon`'s `start`) in the background for the next run, detached from the
 * terminal, its output discarded. It exits by itself after `KEIKAKU_DAEMON_IDLE` seconds without a run (600).
 */
export const startDaemon = (argv: readonly string[], path: string): void => {
  const server = fileURLToPath(new URL('./server.js', import.meta.url));
  const child = spawn(process.execPath, ['--expose-gc', server, path], { cwd: process.cwd(), detached: true, stdio: 'ignore', env: process.env });
  child.on('error', () => undefined);
  child.unref();
  process.stderr.write(
    `keikaku: started a background process that keeps ${argv[0]} warm for this project (it exits after ${idleSeconds()} s without a run; keikaku daemon stop ends it, KEIKAKU_DAEMON=0 starts none)\n`,
  );
};
