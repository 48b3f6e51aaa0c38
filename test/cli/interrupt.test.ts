/**
 * keikaku cleans up after itself (DESIGN §9): the real CLI (bin/keikaku.js) runs `check --database-url` on the
 * server, which replays the applied history in a scratch database of that server, and is interrupted with SIGINT
 * and SIGTERM at moments spread over its life (before, while and after the scratch database exists). After each
 * run no scratch database of that process is left and the exit code is 130 / 143 (or the command's own, when it
 * had finished). A run killed with SIGKILL leaves its scratch database; the next run removes it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markApplied, phaseFiles } from '../../src/apply/journal.js';
import type { ResolvedConfig } from '../../src/config/index.js';
import { connectPg } from '../../src/db/pg.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js';
import { parseScratchName } from '../../src/db/scratch-name.js';
import type { Db } from '../../src/db/types.js';
import { readHistory } from '../../src/load/migrations.js';
import { exampleProject, psqlReplay, removeProjects } from '../check/project.js';
import { ensureBuilt } from '../load/built.js';
import { backends, serverRequired } from '../support/backends.js';
import { projectRoot } from '../support/paths.js';

const server = (await backends()).find((b) => b.name === 'server');
const BIN = join(projectRoot, 'bin/keikaku.js');

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly stdout: string;
  readonly durationMs: number;
  /** When the scratch database of the run was first seen and when it was last seen, in ms from the start. */
  readonly scratchSeen: readonly [number, number] | null;
}

/** Scratch databases on the server made by process `pid`. */
const scratchOf = async (admin: Db, pid: number): Promise<string[]> =>
  (await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'keikaku\\_shadow\\_%'`))
    .map((r) => r.datname)
    .filter((name) => parseScratchName(name)?.pid === pid);

/**
 * `keikaku check --database-url url` in `cwd`, as its own process; `signal` sent `afterMs` after the start, or
 * `afterScratchMs` after its scratch database appears. Watches pg_database meanwhile.
 */
const runCheck = (
  admin: Db,
  cwd: string,
  url: string,
  interrupt?: { signal: NodeJS.Signals; afterMs?: number; afterScratchMs?: number },
): Promise<Run & { pid: number }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'check', '--database-url', url, '--no-lint'], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const pid = child.pid!;
    const start = Date.now();
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let seen: [number, number] | null = null;
    let sent = false;
    let done = false;
    const send = () => {
      if (sent || done || !interrupt) return;
      sent = true;
      child.kill(interrupt.signal);
    };
    if (interrupt?.afterMs !== undefined) setTimeout(send, interrupt.afterMs);
    const watch = async () => {
      while (!done) {
        const names = await scratchOf(admin, pid).catch(() => []);
        const at = Date.now() - start;
        if (names.length > 0) {
          if (!seen && interrupt?.afterScratchMs !== undefined) setTimeout(send, interrupt.afterScratchMs);
          seen = seen ? [seen[0], at] : [at, at];
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    void watch();
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      done = true;
      resolve({ pid, code, signal, stderr, stdout, durationMs: Date.now() - start, scratchSeen: seen });
    });
  });

describe.skipIf(!server && !serverRequired())('interrupting the CLI leaves no scratch database (server)', () => {
  let config: ResolvedConfig;
  let live: ScratchDatabase;
  let admin: Db;

  beforeAll(async () => {
    ensureBuilt();
    config = await exampleProject();
    live = await createScratchDatabase(server!.serverUrl!);
    psqlReplay(config.generatedDir, live.url);
    for (const m of readHistory(config.generatedDir).migrations) await markApplied(live.db, m, phaseFiles(m).map(([p]) => p));
    admin = await connectPg(server!.serverUrl!);
  });
  afterAll(async () => {
    await admin?.close();
    await live?.drop();
    removeProjects();
  });

  it('SIGINT and SIGTERM at moments over the whole run: none left, exit 130 / 143', async () => {
    // Uninterrupted runs first: how long the command takes, and when it holds its scratch database. The first run
    // after a build is slower (cold module and WASM caches); the moments below are taken from a warm one.
    await runCheck(admin, config.root, live.url);
    const whole = await runCheck(admin, config.root, live.url);
    expect(whole.stderr).toBe('');
    expect(whole.code).toBe(0);
    expect(whole.scratchSeen, 'the run makes a scratch database').not.toBeNull();
    expect(whole.stdout, 'check reports its result on stdout').not.toBe('');
    expect(await scratchOf(admin, whole.pid)).toEqual([]);
    const total = whole.durationMs;
    const [from, to] = whole.scratchSeen!;

    // Moments: early (before the scratch database), around its creation, while it exists, near the end.
    const moments: { afterMs?: number; afterScratchMs?: number }[] = [
      { afterMs: 50 },
      { afterMs: Math.round(from * 0.5) },
      { afterMs: Math.max(0, from - 30) },
      { afterScratchMs: 0 },
      { afterScratchMs: 20 },
      { afterScratchMs: Math.round((to - from) * 0.3) },
      { afterScratchMs: Math.round((to - from) * 0.7) },
      { afterMs: Math.round(total * 0.97) },
    ];
    const outcomes: string[] = [];
    let duringScratch = 0;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      for (const moment of moments) {
        const r = await runCheck(admin, config.root, live.url, { signal, ...moment });
        const left = await scratchOf(admin, r.pid);
        const at = JSON.stringify(moment);
        expect(left, `${signal} ${at}: scratch databases left`).toEqual([]);
        expect(r.stderr, `${signal} ${at}: no stack trace`).not.toMatch(/\n\s+at /);
        if (r.code === 0) {
          outcomes.push(`${signal} ${at}: finished first`);
          continue;
        }
        if (r.signal === signal) {
          // The signal's default action ends node before keikaku's first line has run (nothing made yet) and
          // again once the command has finished and node is tearing down (its report is written, its scratch
          // database already removed). Anywhere between, keikaku's handlers must have run.
          const finished = r.stdout === whole.stdout;
          expect(
            r.scratchSeen === null || finished,
            `${signal} ${at}: killed by the signal's default action in the middle of the run (stdout: ${r.stdout})`,
          ).toBe(true);
          outcomes.push(`${signal} ${at}: ended by the signal ${finished ? 'after the command finished' : 'before start-up finished'}`);
          continue;
        }
        expect(r.code, `${signal} ${at}: exit code (stderr: ${r.stderr})`).toBe(signal === 'SIGINT' ? 130 : 143);
        if (r.scratchSeen) duringScratch++;
        outcomes.push(`${signal} ${at}: exit ${r.code}${r.scratchSeen ? ' with a scratch database made' : ''}`);
      }
    }
    console.info(`interruptions:\n${outcomes.join('\n')}`);
    // Half the moments or more fall inside the run (the timed ones may land after it on a loaded machine; the
    // ones counted from the scratch database's appearance do not), and several while the scratch database existed.
    expect(outcomes.filter((o) => / exit 1[34]/.test(o)).length).toBeGreaterThanOrEqual(8);
    expect(duringScratch).toBeGreaterThanOrEqual(4);
  }, 900_000);

  it('SIGKILL leaves the scratch database; the next run removes it, and nothing of its own', async () => {
    const killed = await runCheck(admin, config.root, live.url, { signal: 'SIGKILL', afterScratchMs: 0 });
    expect(killed.signal).toBe('SIGKILL');
    const left = await scratchOf(admin, killed.pid);
    expect(left).toHaveLength(1);

    const next = await runCheck(admin, config.root, live.url);
    expect(next.code).toBe(0);
    expect(await scratchOf(admin, killed.pid)).toEqual([]);
    expect(await scratchOf(admin, next.pid)).toEqual([]);
  });
});
