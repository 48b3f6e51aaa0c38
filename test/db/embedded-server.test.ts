import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_MAJORS } from '../../src/db/embedded/binaries.js';
import { connectPg } from '../../src/db/pg.js';
import { defaultCacheDir } from '../../src/db/embedded/server.js';
import { projectRoot } from '../support/paths.js';
import { withServer } from '../support/servers.js';

const portOpen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('embedded PostgreSQL servers', () => {
  it.each([...SUPPORTED_MAJORS])('PostgreSQL %i starts from the template, answers, and is gone after stop()', async (major) => {
    const t0 = performance.now();
    let seen: { port: number; dataDir: string } | undefined;
    await withServer(major, async (server) => {
      const startMs = Math.round(performance.now() - t0);
      seen = { port: server.port, dataDir: server.dataDir };
      const db = await connectPg(server.url);
      try {
        const [row] = await db.query<{ v: number }>(`SELECT current_setting('server_version_num')::int AS v`);
        expect(Math.floor(row!.v / 10_000)).toBe(major);
      } finally {
        await db.close();
      }
      console.log(`PostgreSQL ${major} (${server.version}) started in ${startMs} ms`);
    });
    expect(await portOpen(seen!.port)).toBe(false);
    expect(existsSync(seen!.dataDir)).toBe(false);
  });

  it('a test that throws still stops its server', async () => {
    let port = 0;
    await expect(
      withServer(16, async (server) => {
        port = server.port;
        throw new Error('the test failed');
      }),
    ).rejects.toThrow('the test failed');
    expect(await portOpen(port)).toBe(false);
  });

  it('a process ended by a signal stops its servers; one killed outright is swept by the next start', async () => {
    const script = 'test/support/start-server.ts';
    const startHand = () => {
      const child = spawn(process.execPath, ['--import', 'tsx', script, '16'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'inherit'] });
      const url = new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /127\.0\.0\.1:(\d+)/.exec(out);
          if (m && out.includes('ready')) resolve(Number(m[1]));
        });
        child.once('exit', (code) => reject(new Error(`start-server exited ${code}: ${out}`)));
      });
      return { child, port: url };
    };
    const exited = (c: ReturnType<typeof spawn>) => new Promise((r) => c.once('exit', r));

    const a = startHand();
    const portA = await a.port;
    a.child.kill('SIGTERM');
    await exited(a.child);
    expect(await portOpen(portA)).toBe(false);

    const b = startHand();
    const portB = await b.port;
    const runDirs = () => readdirSync(defaultCacheDir()).filter((n) => n.startsWith(`run-16-${b.child.pid}-`));
    expect(runDirs()).toHaveLength(1);
    b.child.kill('SIGKILL');
    await exited(b.child);
    expect(pidAlive(b.child.pid!)).toBe(false);
    expect(await portOpen(portB)).toBe(true); // orphaned: nobody could stop it
    mkdirSync(defaultCacheDir(), { recursive: true });
    await withServer(16, async () => undefined); // a start sweeps what dead processes left
    for (let i = 0; i < 100 && (await portOpen(portB)); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await portOpen(portB)).toBe(false);
    expect(runDirs()).toEqual([]);
  });
});
