/**
 * A rehearsal interrupted (SIGINT, SIGTERM) while a step runs on the copy: the real CLI (bin/keikaku.js) drops the
 * copy and exits 130 / 143; the source is as it was. On the test server.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectPg } from '../../src/db/pg.js';
import { parseScratchName } from '../../src/db/scratch-name.js';
import { removeTempDirs, tx } from '../apply/support.js';
import { ensureBuilt } from '../load/built.js';
import { backends } from '../support/backends.js';
import { projectRoot } from '../support/paths.js';
import { fingerprint, makeSource } from './support.js';

afterAll(removeTempDirs);
beforeAll(ensureBuilt);

const server = (await backends()).find((b) => b.name === 'server');
const BIN = join(projectRoot, 'bin/keikaku.js');

/** Databases on the server that process `pid` made. */
const madeBy = async (url: string, pid: number): Promise<string[]> => {
  const db = await connectPg(url);
  try {
    return (await db.query<{ d: string }>(`SELECT datname AS d FROM pg_database`)).map((r) => r.d).filter((d) => parseScratchName(d)?.pid === pid);
  } finally {
    await db.close();
  }
};

// Slow only with rows: the second copy that learns the new shape has its tables emptied (project/rehearse.ts).
const slow = {
  id: '20260102000000_slow',
  phases: [{ name: 'expand' as const, up: tx('ALTER TABLE child ADD COLUMN extra text', 'SELECT pg_sleep(CASE WHEN EXISTS (SELECT FROM child) THEN 30 ELSE 0 END)'), down: tx('ALTER TABLE child DROP COLUMN extra') }],
};

describe.skipIf(!server)(`rehearse interrupted on ${server?.title ?? 'a server (none reachable: skipped)'}`, () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s while a step runs on the copy: the copy is dropped, exit %i, the source unchanged', async (signal, code) => {
    const url = server!.serverUrl!;
    const source = await makeSource(url, [slow]);
    try {
      const before = await fingerprint(source);
      const child = spawn(process.execPath, [BIN, 'rehearse', '--database-url', source.url], { cwd: source.root, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      const exited = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
      const running = new Promise<void>((resolve) =>
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (/step 1 of|new-shaped client/.test(stderr)) resolve();
        }),
      );
      await Promise.race([running, exited]);
      expect(await madeBy(url, child.pid!)).toHaveLength(1);
      child.kill(signal);
      expect(await exited).toBe(code);
      expect(stderr).toContain(`keikaku: ${signal}: removing what this run made`);
      expect(await madeBy(url, child.pid!)).toEqual([]);
      expect(await fingerprint(source)).toBe(before);
    } finally {
      await source.drop();
    }
  });
});
