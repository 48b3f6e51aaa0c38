/**
 * apply under load and faults, on the PostgreSQL server (a second session is what makes locks, kills and
 * terminated backends real; PGlite has one session). Without a reachable server these are skipped, unless
 * CI=true (or KEIKAKU_REQUIRE_SERVER=1) makes the server required, as in test/support/backends.ts.
 */
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../src/apply/index.js';
import { readJournal } from '../../src/apply/journal.js';
import type { RunEvent } from '../../src/apply/types.js';
import { connectPg } from '../../src/db/pg.js';
import type { Db } from '../../src/db/types.js';
import { backends, testServerUrl, type FreshDb } from '../support/backends.js';
import { runCli } from '../support/cli.js';
import { keikaku, removeTempDirs, resum, tempDir, tx, upRequest, writeMigrations } from './support.js';

afterAll(removeTempDirs);

const server = (await backends()).find((b) => b.name === 'server');
const title = server
  ? `apply faults on ${server.title}`
  : `apply faults (skipped: no PostgreSQL server at ${testServerUrl()} and CI is not set; CI=true requires it)`;

const withServerDb = async <T>(fn: (db: Db, url: string, fresh: FreshDb) => Promise<T>): Promise<T> => {
  const fresh = await server!.freshDb();
  try {
    return await fn(fresh.db, fresh.url!, fresh);
  } finally {
    await fresh.release();
  }
};

/** Runs the CLI in-process with `cwd` as the working directory (where it reads generated/). */
const cliIn = async (cwd: string, ...args: string[]) => {
  const before = process.cwd();
  process.chdir(cwd);
  try {
    return await runCli(...args);
  } finally {
    process.chdir(before);
  }
};

/** Waits until no session but `db`'s own is connected to its database (a killed client's backend has ended). */
const othersGone = async (db: Db) => {
  for (let i = 0; i < 200; i++) {
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    if (row!.n === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('sessions of a killed keikaku are still connected after 10 s');
};

const count = async (db: Db, sql: string) => Number((await db.query<{ n: number }>(sql))[0]!.n);

const exists = async (db: Db, table: string) => (await db.query(`SELECT 1 FROM pg_class WHERE relname = $1`, [table])).length === 1;

describe.skipIf(!server)(title, () => {
  it('8 processes apply at once: every step runs exactly once, all exit 0, the others find nothing to do', () =>
    withServerDb(async (db, url) => {
      const step = (m: number, s: number) => tx(`INSERT INTO log VALUES ('m${m}s${s}')`, `SELECT pg_sleep(0.05)`);
      const root = dirname(
        writeMigrations(tempDir(), [
          { id: '20260101000000_one', phases: [{ name: 'expand', up: tx('CREATE TABLE log (step text)') + step(1, 1) + step(1, 2) }] },
          { id: '20260102000000_two', phases: [{ name: 'expand', up: step(2, 1) }, { name: 'contract', up: step(2, 2) }] },
          {
            id: '20260103000000_three',
            phases: [{ name: 'expand', up: `CREATE INDEX CONCURRENTLY log_step ON log (step);\n${step(3, 1)}` }],
          },
        ]),
      );
      const procs = Array.from({ length: 8 }, () => keikaku(root, ['apply', '--database-url', url]));
      const results = await Promise.all(procs.map((p) => p.done));
      for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0 });
      const rows = await db.query<{ step: string; n: number }>(`SELECT step, count(*)::int AS n FROM log GROUP BY step ORDER BY step`);
      expect(rows).toEqual(['m1s1', 'm1s2', 'm2s1', 'm2s2', 'm3s1'].map((step) => ({ step, n: 1 })));
      const journal = await readJournal(db);
      expect(journal.map((e) => `${e.migration}:${e.phase}:${e.status}`)).toEqual([
        '20260101000000_one:expand:applied',
        '20260102000000_two:expand:applied',
        '20260102000000_two:contract:applied',
        '20260103000000_three:expand:applied',
      ]);
      // exactly one process applied; the seven others waited for the lock and then had nothing to do
      const applied = results.filter((r) => /applied 4 phases of 3 migrations/.test(r.stdout));
      expect(applied).toHaveLength(1);
      expect(results.filter((r) => /nothing (left )?to (do|apply)/.test(r.stdout))).toHaveLength(7);
    }));

  it('SIGKILL in the middle of a phase leaves each transaction step whole or absent; the next apply finishes', () =>
    withServerDb(async (db, url) => {
      const step = (k: number) => tx(`CREATE TABLE t${k} (id int)`, `INSERT INTO log VALUES ('s${k}')`, 'SELECT pg_sleep(0.4)');
      const root = dirname(
        writeMigrations(tempDir(), [
          { id: '20260101000000_base', phases: [{ name: 'expand', up: tx('CREATE TABLE log (step text)') }] },
          { id: '20260102000000_steps', phases: [{ name: 'expand', up: [1, 2, 3, 4].map(step).join('\n') }] },
        ]),
      );
      /** Each step all there or not at all, and the journal counts exactly the steps that are there. */
      const consistent = async () => {
        const journal = (await readJournal(db)).filter((e) => e.migration === '20260102000000_steps');
        const done = journal.length ? journal[journal.length - 1]!.stepsDone : 0;
        const present: number[] = [];
        for (const k of [1, 2, 3, 4]) {
          const table = await exists(db, `t${k}`);
          const logged = await count(db, `SELECT count(*)::int AS n FROM log WHERE step = 's${k}'`);
          expect(logged, `step ${k}: one log row or none`).toBeLessThanOrEqual(1);
          expect(table, `step ${k}: table and log row together`).toBe(logged === 1);
          if (table) present.push(k);
        }
        expect(present).toEqual([1, 2, 3, 4].slice(0, done));
        return done;
      };
      const kills: { after: string | RegExp; delayMs: number }[] = [
        { after: 'applying 20260102000000_steps', delayMs: 150 }, // inside step 1
        { after: '[1/4]', delayMs: 200 }, // inside step 2 (after step 1 committed)
        { after: '[3/4]', delayMs: 0 }, // right after step 3 committed
      ];
      const seen: number[] = [];
      for (const k of kills) {
        const p = keikaku(root, ['apply', '--database-url', url]);
        await p.waitFor(k.after);
        if (k.delayMs) await new Promise((r) => setTimeout(r, k.delayMs));
        p.child.kill('SIGKILL');
        expect((await p.done).signal).toBe('SIGKILL');
        await othersGone(db);
        seen.push(await consistent());
      }
      expect(seen[0]).toBe(0);
      expect(seen[2]).toBeGreaterThanOrEqual(3);
      const last = await keikaku(root, ['apply', '--database-url', url]).done;
      expect(last.code, last.stderr).toBe(0);
      expect(await consistent()).toBe(4);
      expect(await count(db, `SELECT count(*)::int AS n FROM log`)).toBe(4);
      const attempts = (await readJournal(db)).filter((e) => e.migration === '20260102000000_steps');
      expect(attempts.slice(0, -1).every((e) => e.status === 'failed' && /interrupted/.test(e.error ?? ''))).toBe(true);
      expect(attempts[attempts.length - 1]).toMatchObject({ status: 'applied', stepsDone: 4 });
    }));

  it('a lock held by another session: gives up after its retries naming the blocker, exit 1, nothing half-done; other queries wait at most ~lock_timeout', () =>
    withServerDb(async (db, url) => {
      const generated = writeMigrations(tempDir(), [
        { id: '20260101000000_base', phases: [{ name: 'expand', up: tx('CREATE TABLE t (id int)', 'INSERT INTO t VALUES (1)') }] },
        { id: '20260102000000_alter', phases: [{ name: 'expand', up: tx('CREATE TABLE u (id int)', 'ALTER TABLE t ADD COLUMN c int') }] },
      ]);
      expect((await runMigrations(db, upRequest(generated, { to: '20260101000000_base' }))).outcome).toBe('done');
      const blocker = await connectPg(url);
      const reader = await connectPg(url);
      try {
        const [{ pid: blockerPid }] = (await blocker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
        await blocker.exec('BEGIN');
        await blocker.query('SELECT id FROM t /* long report */');
        // a client of the application reading t all along; first alone, for the machine's own latency
        let stop = false;
        let worst = 0;
        let reads = 0;
        const readLoop = async () => {
          while (!stop) {
            const t0 = performance.now();
            await reader.query('SELECT count(*) FROM t');
            worst = Math.max(worst, performance.now() - t0);
            reads++;
            await new Promise((r) => setTimeout(r, 10));
          }
        };
        let client = readLoop();
        await new Promise((r) => setTimeout(r, 1000));
        stop = true;
        await client;
        const baseline = worst;
        stop = false;
        worst = 0;
        reads = 0;
        client = readLoop();
        const lockTimeoutMs = 300;
        // its own process, so that its CPU work does not delay this process's reads and pass for lock waits
        const r = await keikaku(dirname(generated), ['apply', '--database-url', url, '--lock-timeout', `${lockTimeoutMs}ms`, '--retries', '2']).done;
        stop = true;
        await client;
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr).toContain(`pid ${blockerPid}`);
        expect(r.stderr).toContain('SELECT id FROM t /* long report */');
        expect(r.stderr).toMatch(/lock_timeout 300 ms for a lock, 3 times; nothing of this step was applied/);
        expect(r.stdout.match(/retry \d/g)).toHaveLength(2);
        expect(reads).toBeGreaterThan(10);
        // the ALTER queued for an ACCESS EXCLUSIVE lock blocks readers behind it, but never longer than its lock_timeout
        // (plus the machine's own worst latency, measured alone: a loaded CI machine adds its scheduling delays)
        expect(worst).toBeLessThan(lockTimeoutMs + Math.max(150, 2 * baseline));
        expect(await exists(db, 'u')).toBe(false);
        expect(await db.query(`SELECT 1 FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'c'`)).toEqual([]);
        const last = (await readJournal(db)).at(-1)!;
        expect(last).toMatchObject({ migration: '20260102000000_alter', status: 'failed', stepsDone: 0 });
        expect(last.error).toContain(`pid ${blockerPid}`);
        console.log(`lock test: worst read latency ${worst.toFixed(0)} ms over ${reads} reads (lock_timeout ${lockTimeoutMs} ms; alone ${baseline.toFixed(0)} ms)`);

        await blocker.exec('ROLLBACK');
        const again = await cliIn(dirname(generated), 'apply', '--database-url', url, '--lock-timeout', '300ms');
        expect(again.code, again.stderr).toBe(0);
        expect(await exists(db, 'u')).toBe(true);
      } finally {
        await blocker.close().catch(() => undefined);
        await reader.close().catch(() => undefined);
      }
    }));

  it('the connection is terminated mid-run: a clear error, the journal tells the truth, the next apply resumes', () =>
    withServerDb(async (db, url) => {
      const generated = writeMigrations(tempDir(), [
        {
          id: '20260101000000_slow',
          phases: [
            {
              name: 'expand',
              up:
                tx('CREATE TABLE a (id int)', 'CREATE SEQUENCE once') +
                // sleeps on the first try only: nextval is not rolled back
                tx(`SELECT pg_sleep(CASE WHEN nextval('once') = 1 THEN 30 ELSE 0 END)`, 'CREATE TABLE b (id int)'),
            },
          ],
        },
      ]);
      const run = cliIn(dirname(generated), 'apply', '--database-url', url);
      let victim: number | undefined;
      for (let i = 0; i < 200 && victim === undefined; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const [row] = await db.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(CASE%' AND pid <> pg_backend_pid()`,
        );
        victim = row?.pid;
      }
      expect(victim).toBeDefined();
      // meanwhile, status (another session) sees the phase in progress, one step committed, and who runs it
      const during = await cliIn(dirname(generated), 'status', '--database-url', url);
      expect(during.stdout).toMatch(/in progress: keikaku pid \d+/);
      expect(during.stdout).toMatch(/expand\s+running\s+since .*1\/2 steps committed/);
      await db.query('SELECT pg_terminate_backend($1)', [victim]);
      const r = await run;
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('terminating connection due to administrator command');
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      const attempt = (await readJournal(db)).at(-1)!;
      expect(attempt).toMatchObject({ status: 'failed', stepsDone: 1, stepsTotal: 2 });
      expect(attempt.error).toContain('terminating connection');
      expect(await exists(db, 'a')).toBe(true);
      expect(await exists(db, 'b')).toBe(false);

      const status = await cliIn(dirname(generated), 'status', '--database-url', url);
      expect(status.stdout).toMatch(/expand\s+failed\s+at .*1\/2 steps committed: .*terminating connection/);

      const again = await cliIn(dirname(generated), 'apply', '--database-url', url);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('resuming after step 1');
      expect(await exists(db, 'b')).toBe(true);
    }));

  it('a failed CREATE INDEX CONCURRENTLY leaves an invalid index; the retry drops it and builds it again', () =>
    withServerDb(async (db, url) => {
      const generated = writeMigrations(tempDir(), [
        { id: '20260101000000_t', phases: [{ name: 'expand', up: tx('CREATE TABLE t (v int)', 'INSERT INTO t VALUES (1), (1), (2)') }] },
        { id: '20260102000000_ix', phases: [{ name: 'expand', up: 'CREATE UNIQUE INDEX CONCURRENTLY t_v ON t (v);\n' }] },
      ]);
      const failed = await runMigrations(db, upRequest(generated, { connect: () => connectPg(url) }));
      expect(failed.outcome).toBe('failed');
      expect(await db.query(`SELECT indisvalid FROM pg_index WHERE indexrelid = 't_v'::regclass`)).toEqual([{ indisvalid: false }]);
      await db.exec('DELETE FROM t WHERE ctid = (SELECT max(ctid) FROM t WHERE v = 1)');
      const events: RunEvent[] = [];
      const again = await runMigrations(db, upRequest(generated, { onEvent: (e) => events.push(e) }));
      expect(again.outcome).toBe('done');
      expect(events.find((e) => e.kind === 'cleanup')).toMatchObject({ message: expect.stringContaining('dropped the invalid index "t_v"') });
      expect(await db.query(`SELECT indisvalid FROM pg_index WHERE indexrelid = 't_v'::regclass`)).toEqual([{ indisvalid: true }]);
    }));

  it('the CLI refuses with exit 3: edited applied migration, removed migration, two heads, wrong database; and guards production', () =>
    withServerDb(async (db, url) => {
      const generated = writeMigrations(tempDir(), [
        { id: '20260101000000_a', phases: [{ name: 'expand', up: tx('CREATE TABLE a (id int)'), down: tx('DROP TABLE a') }] },
        { id: '20260102000000_b', phases: [{ name: 'expand', up: tx('CREATE TABLE b (id int)'), down: tx('DROP TABLE b') }] },
      ]);
      const root = dirname(generated);
      // production: no terminal, no --yes → refused before anything runs; the dry run needs neither
      const guarded = await cliIn(root, 'apply', '--database-url', url, '--production');
      expect(guarded.code).toBe(3);
      expect(guarded.stderr).toMatch(/refusing to apply migrations to production database postgres:\/\/.* without --yes/);
      const dry = await cliIn(root, 'apply', '--database-url', url, '--production', '--dry-run');
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain('CREATE TABLE a (id int);');
      expect(await readJournal(db)).toEqual([]);
      const ok = await cliIn(root, 'apply', '--database-url', url, '--production', '--yes');
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/target: postgres:\/\/postgres@[^ ]+ \(--database-url, production\)/);

      const bUp = join(generated, 'migrations/20260102000000_b/1_expand.up.sql');
      appendFileSync(bUp, '-- edited by hand\n');
      resum(generated);
      const edited = await cliIn(root, 'apply', '--database-url', url);
      expect(edited.code).toBe(3);
      expect(edited.stderr).toContain('CHECKSUM: 20260102000000_b/1_expand.up.sql was edited after it was applied');
      const editedJson = await cliIn(root, 'apply', '--database-url', url, '--format', 'json');
      expect(editedJson.code).toBe(3);
      expect(JSON.parse(editedJson.stdout)).toMatchObject({ outcome: 'refused', refusals: [{ code: 'CHECKSUM' }] });
      const status = await cliIn(root, 'status', '--database-url', url, '--format', 'json');
      expect(status.code).toBe(0);
      expect(JSON.parse(status.stdout).migrations[1].phases[0]).toMatchObject({ state: 'applied', checksum: 'edited' });

      rmSync(join(generated, 'migrations/20260102000000_b'), { recursive: true });
      resum(generated);
      const removed = await cliIn(root, 'apply', '--database-url', url);
      expect(removed.code).toBe(3);
      expect(removed.stderr).toContain('UNKNOWN_MIGRATION: the database\'s journal records migration 20260102000000_b');

      const heads = writeMigrations(tempDir(), [
        { id: '20260101000000_a', phases: [{ name: 'expand', up: tx('CREATE TABLE a (id int)') }] },
        { id: '20260102000000_x', phases: [{ name: 'expand', up: tx('CREATE TABLE x (id int)') }] },
        { id: '20260102000001_y', parent: '20260101000000_a', phases: [{ name: 'expand', up: tx('CREATE TABLE y (id int)') }] },
      ]);
      const twoHeads = await cliIn(dirname(heads), 'apply', '--database-url', url);
      expect(twoHeads.code).toBe(3);
      expect(twoHeads.stderr).toContain('TWO_HEADS');

      // another project's database: its journal names migrations this directory does not have
      const otherProject = writeMigrations(tempDir(), [{ id: '20250101000000_other', phases: [{ name: 'expand', up: tx('CREATE TABLE o (id int)') }] }]);
      const wrong = await cliIn(dirname(otherProject), 'apply', '--database-url', url);
      expect(wrong.code).toBe(3);
      expect(wrong.stderr).toMatch(/UNKNOWN_MIGRATION: .*20260101000000_a.*wrong database/);
      expect(await exists(db, 'o')).toBe(false);
    }));

  it('--env picks the URL of a config environment; a production one is guarded; an unknown one is an error', () =>
    withServerDb(async (db, url) => {
      const generated = writeMigrations(tempDir(), [{ id: '20260101000000_a', phases: [{ name: 'expand', up: tx('CREATE TABLE a (id int)') }] }]);
      const root = dirname(generated);
      // no package.json: the config loads as CommonJS, and its environments must still be read
      writeFileSync(
        join(root, 'keikaku.config.ts'),
        `export default { environments: { prod: { url: 'env:KK_TEST_PROD_URL', production: true }, staging: { url: ${JSON.stringify(url)} } } };\n`,
      );
      process.env.KK_TEST_PROD_URL = url;
      try {
        const unknown = await cliIn(root, 'apply', '--env', 'qa');
        expect(unknown.code).toBe(1);
        expect(unknown.stderr).toContain('--env qa: no such environment');
        expect(unknown.stderr).toContain('known: prod, staging');
        const prod = await cliIn(root, 'apply', '--env', 'prod');
        expect(prod.code).toBe(3);
        expect(prod.stderr).toContain('without --yes');
        // the same database named directly is recognised as the production environment's
        const direct = await cliIn(root, 'down', '--database-url', url);
        expect(direct.code).toBe(0); // nothing applied yet: nothing to guard
        expect(direct.stdout).toContain('(--database-url, production)');
        const staging = await cliIn(root, 'status', '--env', 'staging');
        expect(staging.stdout).toMatch(/expand\s+pending/);
        const yes = await cliIn(root, 'apply', '--env', 'prod', '--yes');
        expect(yes.code, yes.stderr).toBe(0);
        expect(yes.stdout).toContain('(environment prod, production)');
        expect(await exists(db, 'a')).toBe(true);
      } finally {
        delete process.env.KK_TEST_PROD_URL;
      }
    }));

  it('--verify-schema refuses a database changed by hand, saying what differs', () =>
    withServerDb(async (db, url) => {
      const generated = writeMigrations(tempDir(), [
        { id: '20260101000000_a', phases: [{ name: 'expand', up: tx('CREATE TABLE a (id int)') }] },
        { id: '20260102000000_b', phases: [{ name: 'expand', up: tx('CREATE TABLE b (id int)') }] },
      ]);
      const root = dirname(generated);
      expect((await runMigrations(db, upRequest(generated, { to: '20260101000000_a' }))).outcome).toBe('done');
      await db.exec('ALTER TABLE a ADD COLUMN by_hand text');
      const refused = await cliIn(root, 'apply', '--database-url', url, '--verify-schema');
      expect(refused.code).toBe(3);
      expect(refused.stderr).toContain('DRIFT: the live schema is not what its applied migrations make');
      expect(refused.stderr).toContain('drop column public.a.by_hand');
      expect(await exists(db, 'b')).toBe(false);
      await db.exec('ALTER TABLE a DROP COLUMN by_hand');
      const ok = await cliIn(root, 'apply', '--database-url', url, '--verify-schema');
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('schema verified');
      expect(await exists(db, 'b')).toBe(true);
    }));
});
