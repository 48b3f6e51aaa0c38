/**
 * `keikaku daemon status|stop`: the daemons of this project (protocol.ts), found by the info file each writes
 * beside its socket. A socket no daemon answers on any more (one killed) is removed with its info file.
 */
import { readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { terminalText as t } from '../../model/escape.js';
import type { CommandOutput } from '../options.js';
import { ask, connectTo } from './client.js';
import { socketDir, type Reply, type StatusReply } from './protocol.js';

interface Found {
  readonly socket: string;
  readonly info: string;
  readonly root: string;
}

/** The daemons whose info file names `root` (every one with `all`). */
const daemonsOf = (root: string | null): Found[] => {
  const dir = socketDir();
  if (!dir) return [];
  const out: Found[] = [];
  for (const name of readdirSync(dir)) {
    if (!/^[0-9a-f]{24}\.json$/.test(name)) continue;
    const info = join(dir, name);
    try {
      const r = (JSON.parse(readFileSync(info, 'utf8')) as { root?: unknown }).root;
      if (typeof r === 'string' && (root === null || r === root)) out.push({ socket: info.replace(/\.json$/, '.sock'), info, root: r });
    } catch {
      // being written, or not ours to read
    }
  }
  return out;
};

const request = async (d: Found, type: 'status' | 'stop'): Promise<Reply | null> => {
  const socket = await connectTo(d.socket);
  if (!socket) {
    rmSync(d.socket, { force: true });
    rmSync(d.info, { force: true });
    return null;
  }
  let got: Reply | null = null;
  await ask(socket, { type }, (r) => (got ??= r));
  return got;
};

export const runDaemonControl = async (action: 'status' | 'stop', o: { readonly all: boolean; readonly format: 'text' | 'json' }): Promise<CommandOutput> => {
  let root: string;
  try {
    root = realpathSync(process.cwd());
  } catch {
    root = process.cwd();
  }
  const found = daemonsOf(o.all ? null : root);
  const replies = (await Promise.all(found.map((d) => request(d, action)))).filter((r): r is Reply => r !== null);
  if (action === 'status') {
    const live = replies.filter((r): r is StatusReply => r.type === 'status');
    if (o.format === 'json') return { stdout: `${JSON.stringify({ daemons: live.map(({ type: _, ...d }) => d) }, null, 2)}\n`, exitCode: 0 };
    if (live.length === 0) return { stdout: `No keikaku daemon runs for ${o.all ? 'any project' : t(root)}.\n`, exitCode: 0 };
    const lines = live.map(
      (d) => `pid ${d.pid}: ${t(d.root)}, since ${d.startedAt}, ${d.runs} run(s), idle ${Math.round(d.idleMs / 1000)} s, ${Math.round(d.rssBytes / 2 ** 20)} MiB`,
    );
    return { stdout: `${lines.join('\n')}\n`, exitCode: 0 };
  }
  const stopped = replies.filter((r) => r.type === 'stopping').length;
  if (o.format === 'json') return { stdout: `${JSON.stringify({ stopped })}\n`, exitCode: 0 };
  return { stdout: stopped ? `Stopped ${stopped} keikaku daemon(s).\n` : `No keikaku daemon runs for ${o.all ? 'any project' : t(root)}.\n`, exitCode: 0 };
};
