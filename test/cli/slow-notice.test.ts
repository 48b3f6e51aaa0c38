/**
 * A step still running after the notice delay (two seconds; KEIKAKU_NOTICE_MS here) gets one line on stderr —
 * "replaying N migrations…", "loading schema/…" — and never on stdout, so `--format json` stays parseable.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedDataDirFile } from '../../src/db/pglite-fresh.js';
import { FIRST_RUN_NOTE } from '../../src/project/notice.js';
import { ensureBuilt } from '../load/built.js';
import { backends } from '../support/backends.js';
import { runCliIn } from '../support/cli.js';
import { projectRoot } from '../support/paths.js';
import { project, removeProjects } from './tmp-project.js';

const server = (await backends()).find((b) => b.name === 'server');

// tsc may take minutes on a busy machine.
beforeAll(ensureBuilt, 600_000);
afterAll(removeProjects);

const withNoticeAfter = async <T>(ms: string, f: () => Promise<T>): Promise<T> => {
  const before = process.env.KEIKAKU_NOTICE_MS;
  process.env.KEIKAKU_NOTICE_MS = ms;
  try {
    return await f();
  } finally {
    if (before === undefined) delete process.env.KEIKAKU_NOTICE_MS;
    else process.env.KEIKAKU_NOTICE_MS = before;
  }
};

describe('slow-step notices', () => {
  it('plan names the replay and the schema load on stderr when they take longer than the delay; stdout JSON is clean', { timeout: 600_000 }, async () => {
    const dir = project({ 't.ts': `import { integer, table } from 'keikaku';\n\nexport const t = table('t', { id: integer().primaryKey() });\n` });
    expect((await runCliIn(dir, 'generate', 'first')).code).toBe(0);
    // Nothing cached and no committed head (generate left the history predicted and wrote generated/head.json,
    // either of which spares the replay): the plan replays the history and normalizes schema/.
    rmSync(join(dir, 'node_modules', '.cache', 'keikaku'), { recursive: true, force: true });
    rmSync(join(dir, 'generated', 'head.json'), { force: true });
    const slow = await withNoticeAfter('0', () => runCliIn(dir, 'plan', '--format', 'json'));
    expect(slow.code).toBe(0);
    // On a fresh machine this is the first run: its notice says so (last test).
    expect(slow.stderr).toMatch(/keikaku: replaying 1 migration \((a first run also starts the embedded PostgreSQL|first run: [^)]*\), ~2 s idle, up to ~30 s on a busy machine)\)…\n/);
    expect(slow.stderr).toContain('keikaku: loading schema/ and normalizing it');
    expect(slow.stderr.split('\n').filter(Boolean)).toHaveLength(2);
    expect(JSON.parse(slow.stdout)).toMatchObject({ generatable: true });
    // Quicker than the delay: nothing.
    const quiet = await withNoticeAfter('3600000', () => runCliIn(dir, 'plan', '--format', 'json'));
    expect(quiet.stderr).toBe('');
  });

  it('check and verify name their replay on stderr; stdout JSON is clean', { timeout: 600_000 }, async () => {
    const dir = project({ 't.ts': `import { integer, table } from 'keikaku';\n\nexport const t = table('t', { id: integer().primaryKey() });\n` });
    expect((await runCliIn(dir, 'generate', 'first')).code).toBe(0);
    const check = await withNoticeAfter('0', () => runCliIn(dir, 'check', '--format', 'json'));
    expect(check.code, check.stderr).toBe(0);
    expect(check.stderr).toMatch(/^keikaku: checking: replaying the migrations and normalizing schema\/ \((a first run also starts the embedded PostgreSQL|first run: starting the embedded PostgreSQL \(initdb\), ~2 s idle, up to ~30 s on a busy machine)\)…\n$/);
    expect(() => JSON.parse(check.stdout)).not.toThrow();
    const verify = await withNoticeAfter('0', () => runCliIn(dir, 'verify', '--format', 'json'));
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stderr).toMatch(/^keikaku: verifying: replaying every migration up, down and up again \(.*embedded PostgreSQL.*\)…\n$/);
    expect(() => JSON.parse(verify.stdout)).not.toThrow();
  });

  it.skipIf(!server)('apply --verify-schema names its replay (server: the CLI applies to a URL)', { timeout: 600_000 }, async () => {
    const dir = project({ 't.ts': `import { integer, table } from 'keikaku';\n\nexport const t = table('t', { id: integer().primaryKey() });\n` });
    expect((await runCliIn(dir, 'generate', 'first')).code).toBe(0);
    const fresh = await server!.freshDb();
    try {
      const applied = await withNoticeAfter('0', () => runCliIn(dir, 'apply', '--database-url', fresh.url!, '--verify-schema', '--format', 'json'));
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.stderr).toContain('keikaku: verifying the schema: replaying 1 migration on a scratch database (or, where the server refuses one, on the embedded PostgreSQL');
      expect(JSON.parse(applied.stdout)).toMatchObject({ outcome: 'done' });
    } finally {
      await fresh.release();
    }
  });

  it('a first run on an empty cache takes the copy the build ships; with no copy at all it says initdb runs', { timeout: 600_000 }, async () => {
    const dir = project({ 't.ts': `import { integer, table } from 'keikaku';\n\nexport const t = table('t', { id: integer().primaryKey() });\n` });
    const cache = mkdtempSync(join(tmpdir(), 'keikaku-first-run-'));
    try {
      // A child process: the cache location is decided once per process.
      const run = (env: Record<string, string>, ...args: string[]) =>
        new Promise<{ code: number; stderr: string }>((resolve) => {
          execFile(process.execPath, [join(projectRoot, 'bin', 'keikaku.js'), ...args], { cwd: dir, env: { ...process.env, KEIKAKU_NOTICE_MS: '0', ...env } }, (error, _stdout, stderr) =>
            resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stderr }),
          );
        });
      // The build (`npm run build`, which ensureBuilt ran) ships a fresh data directory for this PGlite.
      const shipped = shippedDataDirFile();
      expect(shipped !== null && existsSync(shipped), 'dist/pglite/ holds no fresh data directory: did the build fail to make it?').toBe(true);
      const first = await run({ KEIKAKU_CACHE_DIR: cache }, 'plan');
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toContain('keikaku: loading schema/ and normalizing it (a first run also starts the embedded PostgreSQL)…');
      expect(readdirSync(cache)).toEqual([basename(shipped!)]);
      // No copy anywhere (KEIKAKU_NO_CACHE): every start runs initdb, and the notice says so.
      const uncached = await run({ KEIKAKU_NO_CACHE: '1' }, 'plan');
      expect(uncached.code, uncached.stderr).toBe(0);
      expect(uncached.stderr).toContain(`keikaku: loading schema/ and normalizing it (${FIRST_RUN_NOTE})…`);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
