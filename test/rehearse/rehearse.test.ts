/**
 * `keikaku rehearse` on the test server (PGlite cannot copy a database: it is refused with a reason). Judged by
 * the databases: the copy's catalog (relfilenode) for rewrites, the WAL position, the workload's own timings, the
 * source's catalog, rows and journal before and after, and the scratch databases left on the server.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mark, marks, rehearse, UserError } from '../../src/api.js';
import { openPglite } from '../../src/db/pglite.js';
import { parsePgUrl } from '../../src/db/url.js';
import { removeTempDirs } from '../apply/support.js';
import { backends } from '../support/backends.js';
import { change, fingerprint, makeSource, scratchDatabases } from './support.js';

afterAll(removeTempDirs);

const server = (await backends()).find((b) => b.name === 'server');
const serverUrl = server?.serverUrl;

describe('rehearse without a server', () => {
  it('an embedded PGlite is refused: it cannot make a TEMPLATE copy', async () => {
    const db = await openPglite();
    try {
      await expect(rehearse({ db })).rejects.toThrow(/PGlite\) cannot copy a database \(no CREATE DATABASE … TEMPLATE/);
    } finally {
      await db.close();
    }
  });
});

describe.skipIf(!serverUrl)(`rehearse on ${server?.title ?? 'a server (none reachable: skipped)'}`, () => {
  const url = serverUrl!;

  it('copies by TEMPLATE, measures each step (a rewrite on the type change, none on ADD COLUMN NULL), round-trips, leaves the source as it was', async () => {
    const source = await makeSource(url, [change(400)]);
    try {
      const before = await fingerprint(source);
      const r = await rehearse({ root: source.root, databaseUrl: source.url, timeouts: { lockTimeoutMs: 5_000 } });
      expect(r.copy.method).toBe('template');
      expect(r.copy.sampleRows).toBeNull();
      expect(r.steps.map((s) => [s.migration, s.phase, s.step])).toEqual([
        ['20260102000000_change', 'expand', 1],
        ['20260102000000_change', 'expand', 2],
      ]);
      const [add, retype] = r.steps as [(typeof r.steps)[0], (typeof r.steps)[0]];
      expect(add.rewrote).toBe(false);
      expect(retype.rewrote).toBe(true);
      expect(retype.rewroteTables).toEqual(['public.child']);
      // The type change holds ACCESS EXCLUSIVE for at least 400 ms: the step takes that long, the workload waits.
      expect(retype.durationMs).toBeGreaterThanOrEqual(400);
      expect(retype.workloadStatements).toBeGreaterThan(0);
      expect(retype.maxLockWaitMs).toBeGreaterThanOrEqual(150);
      expect(retype.maxLockWaitMs).toBeLessThanOrEqual(retype.durationMs + 200);
      // Rewriting 5,000 rows writes WAL; adding a NULL column only a catalog change.
      expect(retype.walBytes).toBeGreaterThan(100_000);
      expect(add.walBytes).toBeGreaterThan(0);
      expect(retype.walBytes!).toBeGreaterThan(add.walBytes!);
      for (const s of r.steps) {
        expect(s.failedStatements).toBe(0);
        expect(s.failed).toBe(false);
        // A whole copy: the forecast is the measured time.
        expect(s.forecastMs).toBe(s.durationMs);
      }
      expect(r.roundTrip?.ok).toBe(true);
      expect(r.roundTrip?.tables.find((t) => t.table === 'public.child')).toMatchObject({ rowsBefore: 5000, rowsAfterDown: 5000, rowsAfterUp: 5000, downRestored: true, upReapplied: true });
      expect(r.findings).toEqual([]);
      expect(await fingerprint(source)).toBe(before);
      expect((await scratchDatabases(url)).filter((d) => d !== parsePgUrl(source.url).target.database)).toEqual([]);
    } finally {
      await source.drop();
    }
  });

  it('a session on the source: TEMPLATE is refused naming it, the copy is made with pg_dump | pg_restore', async () => {
    const source = await makeSource(url, [change(0)]);
    const other = await source.connect();
    try {
      const [{ pid }] = (await other.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
      await expect(rehearse({ root: source.root, databaseUrl: source.url, copy: 'template' })).rejects.toThrow(
        new RegExp(`needs no other session on .*1 is connected: pid ${pid} \\(user`),
      );
      const notes: string[] = [];
      const r = await rehearse({ root: source.root, databaseUrl: source.url, onProgress: (t) => notes.push(t) });
      expect(r.copy.method).toBe('dump');
      expect(r.copy.notes.join('\n')).toContain(`pid ${pid}`);
      expect(notes.join('\n')).toMatch(/copying with pg_dump \| pg_restore instead/);
      expect(r.steps).toHaveLength(2);
      expect(r.roundTrip?.ok).toBe(true);
      expect(r.tables.find((t) => t.table === 'public.child')).toMatchObject({ liveRows: 5000, copiedRows: 5000 });
    } finally {
      await other.close();
      await source.drop();
    }
  });

  it('--sample caps every table and keeps foreign keys valid; the forecast scales by live / copied rows', async () => {
    const source = await makeSource(url, [change(0)]);
    try {
      const before = await fingerprint(source);
      const r = await rehearse({ root: source.root, databaseUrl: source.url, sample: 100 });
      expect(r.copy).toMatchObject({ method: 'dump', sampleRows: 100 });
      // pg_restore adds the foreign keys after the rows: a row without its parent would make that fail.
      expect(r.copy.notes.filter((n) => /error/i.test(n) && !/TEMPLATE/.test(n))).toEqual([]);
      const child = r.tables.find((t) => t.table === 'public.child')!;
      expect(child.liveRows).toBe(5000);
      expect(child.copiedRows).toBeGreaterThan(0);
      expect(child.copiedRows).toBeLessThanOrEqual(100);
      const retype = r.steps[1]!;
      expect(retype.tables).toEqual(['public.child']);
      const scale = 5000 / child.copiedRows;
      // The quicker of the two ups is scaled, above the part of the quickest step (no row touched).
      const basis = (s: (typeof r.steps)[number]) => Math.min(s.durationMs, s.againMs!);
      const fixed = Math.min(...r.steps.map(basis));
      expect(retype.forecastMs).toBe(Math.round(fixed + (basis(retype) - fixed) * scale));
      expect(retype.forecastMs).toBeGreaterThan(basis(retype));
      expect(r.roundTrip?.ok).toBe(true);
      expect(await fingerprint(source)).toBe(before);
    } finally {
      await source.drop();
    }
  });

  it('a step that fails on the copy: reported, no round trip, findings (exit 3 in the CLI); the source untouched', async () => {
    const failing = {
      id: '20260102000000_fails',
      phases: [{ name: 'expand' as const, up: 'BEGIN;\nALTER TABLE child ALTER COLUMN parent_id SET NOT NULL;\nCOMMIT;\n', down: 'BEGIN;\nALTER TABLE child ALTER COLUMN parent_id DROP NOT NULL;\nCOMMIT;\n' }],
    };
    const source = await makeSource(url, [failing]);
    try {
      const before = await fingerprint(source);
      const r = await rehearse({ root: source.root, databaseUrl: source.url });
      expect(r.failure).toMatch(/contains null values/);
      expect(r.steps).toHaveLength(1);
      expect(r.steps[0]!.failed).toBe(true);
      expect(r.roundTrip).toBeNull();
      expect(r.findings[0]).toMatch(/^a step failed/);
      expect(await fingerprint(source)).toBe(before);
    } finally {
      await source.drop();
    }
  });

  it('a step that holds its lock longer than lock_timeout is found (the workload waited past it)', async () => {
    const source = await makeSource(url, [change(600)]);
    try {
      const r = await rehearse({ root: source.root, databaseUrl: source.url, timeouts: { lockTimeoutMs: 200 } });
      const retype = r.steps[1]!;
      expect(retype.exceedsLockTimeout).toBe(true);
      expect(r.steps[0]!.exceedsLockTimeout).toBe(false);
      expect(r.findings.join('\n')).toMatch(/expand step 2 would hold others up longer than lock_timeout 200 ms/);
    } finally {
      await source.drop();
    }
  });

  it('a source marked production is rehearsed without a confirmation (it is only read) and stays as it was', async () => {
    const source = await makeSource(url, [change(0)]);
    try {
      await mark({ root: source.root, databaseUrl: source.url, kind: 'production' });
      expect((await marks({ root: source.root, databaseUrl: source.url })).target.production).toBe(true);
      const before = await fingerprint(source);
      const r = await rehearse({ root: source.root, databaseUrl: source.url });
      expect(r.steps).toHaveLength(2);
      expect(r.findings).toEqual([]);
      expect(await fingerprint(source)).toBe(before);
    } finally {
      await source.drop();
    }
  });

  it('nothing pending: no copy is made', async () => {
    const source = await makeSource(url, []);
    try {
      const r = await rehearse({ root: source.root, databaseUrl: source.url });
      expect(r.pending).toEqual([]);
      expect(r.steps).toEqual([]);
      expect(r.findings).toEqual([]);
    } finally {
      await source.drop();
    }
  });

  it('--copy template with --sample or --scratch-url is an error saying why', async () => {
    const source = await makeSource(url, [change(0)]);
    try {
      await expect(rehearse({ root: source.root, databaseUrl: source.url, copy: 'template', sample: 10 })).rejects.toThrow(/cannot take --sample \(use --copy dump\)/);
      await expect(rehearse({ root: source.root, databaseUrl: source.url, copy: 'template', scratchUrl: url })).rejects.toThrow(/cannot take --scratch-url/);
      expect((await scratchDatabases(url)).filter((d) => d !== parsePgUrl(source.url).target.database)).toEqual([]);
    } finally {
      await source.drop();
    }
  });

  it('a migration named that is not pending is an error naming the pending ones', async () => {
    const source = await makeSource(url, [change(0)]);
    try {
      const e = await rehearse({ root: source.root, databaseUrl: source.url, migrations: ['2099'] }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UserError);
      expect((e as Error).message).toMatch(/2099: no pending migration has this id \(pending: 20260102000000_change\)/);
    } finally {
      await source.drop();
    }
  });
});
