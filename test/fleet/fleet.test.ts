/**
 * `apply` and `status` over a fleet of real databases on the server (docs/fleets.md): the parallel bound seen in
 * pg_stat_activity, a canary that fails stopping the rest, stop and continue after a failure, the JSON summary,
 * a run killed mid-way resumed by the next, exit codes, production confirmed once, targets from a query, and no
 * password in any output. Four scratch databases, dropped after.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fleetApply, generateEmpty, mark, rehash } from '../../src/api.js';
import { loadConfig } from '../../src/config/index.js';
import { connectPg } from '../../src/db/pg.js';
import type { Db } from '../../src/db/types.js';
import { parsePgUrl } from '../../src/db/url.js';
import { ensureBuilt } from '../load/built.js';
import { backends } from '../support/backends.js';
import { runCliIn, spawnBuiltCli, type CliResult } from '../support/cli.js';

const server = (await backends()).find((b) => b.name === 'server');
if (!server) console.warn('test/fleet/fleet.test.ts: skipped, no PostgreSQL server (a fleet needs real databases)');

/** In every URL the tests write: it must never be printed. */
const SECRET = 'Fleet-Pw-7c1e9a';
/** In the URLs a targets query returns (not in any argument, file or config literal: masked at the source only). */
const QUERY_SECRET = 'Query-Pw-44d2b0';
const N = 4;

describe.runIf(server)('fleet (server)', () => {
  let admin: Db;
  let root: string;
  const names = Array.from({ length: N }, (_, i) => `keikaku_fleet_${process.pid}_${i}`);
  const outputs: string[] = [];
  let base: { user: string; host: string; port: number };
  const url = (db: string, pw = SECRET) => `postgres://${encodeURIComponent(base.user)}:${pw}@${base.host}:${base.port}/${db}`;
  const missing = `keikaku_fleet_${process.pid}_missing`;

  const cli = async (...args: string[]): Promise<CliResult> => {
    const r = await runCliIn(root, ...args);
    outputs.push(r.stdout, r.stderr);
    return r;
  };
  const targets = (file: string, dbs: readonly string[]) => {
    writeFileSync(join(root, file), `# fleet under test\n${dbs.map((d) => `  ${url(d)}  # ${d}`).join('\n')}\n\n`);
    return file;
  };
  const journal = async (db: string) => {
    const c = await connectPg(url(db));
    try {
      if (!(await c.query<{ ok: boolean }>(`SELECT to_regclass('keikaku.journal') IS NOT NULL AS ok`))[0]!.ok) return [];
      return await c.query<{ migration: string; status: string; steps_done: number }>('SELECT migration, status, steps_done FROM keikaku.journal ORDER BY seq');
    } finally {
      await c.close();
    }
  };
  const reset = async () => {
    for (const n of [...names, missing]) await admin.exec(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
    for (const n of names) await admin.exec(`CREATE DATABASE ${n}`);
  };

  beforeAll(async () => {
    ensureBuilt();
    admin = await connectPg(server!.serverUrl!);
    const t = parsePgUrl(server!.serverUrl!).target;
    base = { user: t.user, host: t.host, port: t.port };
    root = mkdtempSync(join(tmpdir(), 'kk-fleet-'));
    // One migration: a table, a pause long enough to see runs overlap (and to kill one mid-way), another table.
    const m = await generateEmpty({ root, name: 'fleet', now: new Date('2026-01-01T00:00:00Z') });
    writeFileSync(
      join(m.dir, '1_expand.up.sql'),
      'BEGIN;\nCREATE TABLE public.a (id int PRIMARY KEY);\nCOMMIT;\n\nSELECT pg_sleep(0.6);\n\nBEGIN;\nCREATE TABLE public.b (id int PRIMARY KEY);\nCOMMIT;\n',
    );
    writeFileSync(join(m.dir, '1_expand.down.sql'), 'BEGIN;\nDROP TABLE public.b;\nDROP TABLE public.a;\nCOMMIT;\n');
    await rehash({ root });
  }, 30_000);

  beforeEach(reset, 30_000);

  afterAll(async () => {
    if (admin) {
      for (const n of [...names, missing]) await admin.exec(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`).catch(() => undefined);
      await admin.close();
    }
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('keeps to --parallel (seen in pg_stat_activity) and reports each target in the JSON summary', async () => {
    const file = targets('all.txt', names);
    let most = 0;
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const [row] = await admin.query<{ n: number }>(
          `SELECT count(DISTINCT datname)::int AS n FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()`,
          [names],
        );
        most = Math.max(most, row!.n);
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    const r = await cli('apply', '--targets', file, '--parallel', '2', '--format', 'json');
    polling = false;
    await poll;
    expect(r.code).toBe(0);
    expect(most).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(Object.keys(report).sort()).toEqual(['command', 'counts', 'durationMs', 'exitCode', 'stopped', 'targets']);
    expect(report.counts).toEqual({ applied: N, 'up-to-date': 0, pending: 0, drifted: 0, failed: 0, skipped: 0 });
    expect(report.targets).toHaveLength(N);
    for (const [i, t] of report.targets.entries()) {
      expect(Object.keys(t)).toEqual(['url', 'production', 'from', 'to', 'durationMs', 'state', 'error']);
      expect(t).toMatchObject({ url: `postgres://${base.user}@${base.host}:${base.port}/${names[i]}`, from: null, to: '20260101000000_fleet', state: 'applied', error: null });
      expect(t.durationMs).toBeGreaterThanOrEqual(600);
    }
    // Each database its own journal.
    for (const n of names) expect((await journal(n)).map((j) => j.status)).toEqual(['applied']);
    // Again: nothing to do; status agrees (exit 0).
    const again = JSON.parse((await cli('apply', '--targets', file, '--format', 'json', '--parallel', '4')).stdout);
    expect(again.targets.map((t: { state: string; from: string }) => [t.state, t.from])).toEqual(names.map(() => ['up-to-date', '20260101000000_fleet']));
    expect((await cli('status', '--targets', file)).code).toBe(0);
  }, 30_000);

  it('a failing canary stops the fleet: exit 1, the others skipped and untouched', async () => {
    const file = targets('canary.txt', [missing, ...names.slice(1)]);
    const r = await cli('apply', '--targets', file, '--canary', '1', '--parallel', '3', '--continue-on-error', '--format', 'json');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.targets.map((t: { state: string }) => t.state)).toEqual(['failed', 'skipped', 'skipped', 'skipped']);
    expect(report.targets[0].error).toBe(`cannot connect to postgres://${base.user}@${base.host}:${base.port}/${missing}: database "${missing}" does not exist`);
    expect(report.stopped).toMatch(/canary failed/);
    for (const n of names.slice(1)) expect(await journal(n)).toEqual([]);
    // The text form names the failure at the end.
    const text = await cli('apply', '--targets', file, '--canary', '1');
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/1 failed, 3 skipped/);
    expect(text.stdout).toMatch(/skipped: a canary failed \(target 1\)/);
  }, 30_000);

  it('stops starting databases after a failure, or goes on with --continue-on-error; status exits 2 while one is pending', async () => {
    const file = targets('stop.txt', [names[0]!, missing, names[1]!, names[2]!]);
    const stop = JSON.parse((await cli('apply', '--targets', file, '--format', 'json')).stdout);
    expect(stop.targets.map((t: { state: string }) => t.state)).toEqual(['applied', 'failed', 'skipped', 'skipped']);
    expect(stop.exitCode).toBe(1);
    const status = await cli('status', '--targets', targets('present.txt', names.slice(0, 3)), '--format', 'json');
    expect(status.code).toBe(2);
    expect(JSON.parse(status.stdout).targets.map((t: { state: string }) => t.state)).toEqual(['up-to-date', 'pending', 'pending']);
    const go = await cli('apply', '--targets', file, '--continue-on-error', '--format', 'json');
    expect(go.code).toBe(1);
    expect(JSON.parse(go.stdout).targets.map((t: { state: string }) => t.state)).toEqual(['up-to-date', 'failed', 'applied', 'applied']);
    // A status with an unreachable database: exit 1 (an error beats "pending").
    expect((await cli('status', '--targets', file)).code).toBe(1);
  }, 30_000);

  it('a run killed mid-way is resumed by the next: each database where it stopped', async () => {
    const file = targets('kill.txt', names.slice(0, 3));
    const { child, output, exited } = spawnBuiltCli(root, 'apply', '--targets', file);
    // Kill it once the second database has committed its first step and sleeps in the second.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const rows = await journal(names[1]!).catch(() => []);
      if (rows.some((j) => j.status === 'running' && j.steps_done === 1)) break;
      if (Date.now() > deadline) throw new Error(`the run never reached the second database: ${output()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await exited;
    outputs.push(output());
    expect((await journal(names[0]!)).map((j) => j.status)).toEqual(['applied']);
    expect((await journal(names[1]!)).map((j) => [j.status, j.steps_done])).toEqual([['running', 1]]);
    expect(await journal(names[2]!)).toEqual([]);
    const status = JSON.parse((await cli('status', '--targets', file, '--format', 'json')).stdout);
    // `running` while the server has not yet ended the killed session, `interrupted` after.
    expect(status.targets[1]).toMatchObject({ state: 'pending', error: expect.stringMatching(/is (running|interrupted) \(1\/3 steps committed\)/) });
    const r = await cli('apply', '--targets', file, '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).targets.map((t: { state: string }) => t.state)).toEqual(['up-to-date', 'applied', 'applied']);
    // The second resumed after its committed step (CREATE TABLE a did not run twice: it would have failed).
    const second = await journal(names[1]!);
    expect(second.at(-1)).toMatchObject({ status: 'applied', steps_done: 3 });
  }, 40_000);

  it('asks once for the production databases of the fleet: exit 3 and nothing run without --yes', async () => {
    // An entry of the config's targets marked production is guarded too (the API refuses: nobody to ask).
    const config = { ...(await loadConfig(root)), targets: [url(names[0]!), { url: url(names[1]!), production: true }] };
    await expect(fleetApply({ config, fleet: true })).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(/1 of the 2 databases/) });
    let asked: string[] = [];
    const confirmed = await fleetApply({ config, fleet: true, confirm: async (prod) => void (asked = prod.map((t) => t.database)) });
    expect(asked).toEqual([names[1]]);
    expect(confirmed.targets.map((t) => [t.production, t.state])).toEqual([
      [false, 'applied'],
      [true, 'applied'],
    ]);
    await reset();
    await mark({ root, databaseUrl: url(names[2]!), kind: 'production' });
    const file = targets('prod.txt', names.slice(0, 3));
    const refused = await cli('apply', '--targets', file, '--parallel', '3');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/1 of the 3 databases of this fleet is production/);
    for (const n of names.slice(0, 3)) expect(await journal(n)).toEqual([]);
    // --production: every database is guarded.
    expect((await cli('apply', '--targets', targets('one.txt', [names[3]!]), '--production')).code).toBe(3);
    const yes = await cli('apply', '--targets', file, '--parallel', '3', '--yes', '--format', 'json');
    expect(yes.code).toBe(0);
    expect(JSON.parse(yes.stdout).targets.map((t: { production: boolean; state: string }) => [t.production, t.state])).toEqual([
      [false, 'applied'],
      [false, 'applied'],
      [true, 'applied'],
    ]);
  }, 30_000);

  it('reads the targets of the config from a query on a catalog database (passwords masked at the source)', async () => {
    const c = await connectPg(url(names[3]!));
    try {
      await c.exec(`CREATE TABLE tenants (name text, url text)`);
      await c.query(`INSERT INTO tenants VALUES ($1, $2), ($3, $4), ($5, $6)`, ['t0', url(names[0]!, QUERY_SECRET), 't1', url(names[1]!, QUERY_SECRET), 'gone', url(missing, QUERY_SECRET)]);
    } finally {
      await c.close();
    }
    const project = mkdtempSync(join(tmpdir(), 'kk-fleet-q-'));
    try {
      rmSync(project, { recursive: true });
      // The same history, a config whose targets are the rows of a query; the catalog's URL from the environment.
      await import('node:fs').then((fs) => fs.cpSync(root, project, { recursive: true }));
      writeFileSync(join(project, 'keikaku.config.ts'), `export default { targets: { query: 'SELECT url FROM tenants ORDER BY name DESC', from: 'env:FLEET_CATALOG' } };\n`);
      process.env.FLEET_CATALOG = url(names[3]!);
      const r = await runCliIn(project, 'apply', '--fleet', '--continue-on-error', '--format', 'json');
      outputs.push(r.stdout, r.stderr);
      expect(r.code).toBe(1);
      const report = JSON.parse(r.stdout);
      expect(report.targets.map((t: { url: string; state: string }) => [t.url.split('/').at(-1), t.state])).toEqual([
        [names[1], 'applied'],
        [names[0], 'applied'],
        [missing, 'failed'],
      ]);
      const text = await runCliIn(project, 'status', '--fleet');
      outputs.push(text.stdout, text.stderr);
      expect(text.code).toBe(1);
      expect(text.stdout).toContain(`postgres://${base.user}@${base.host}:${base.port}/${missing}`);
    } finally {
      delete process.env.FLEET_CATALOG;
      rmSync(project, { recursive: true, force: true });
    }
  }, 30_000);

  it('refuses fleet options without a fleet and single-database options with one (exit 1)', async () => {
    const single = await cli('apply', '--database-url', url(names[0]!), '--parallel', '2');
    expect(single.code).toBe(1);
    expect(single.stderr).toMatch(/--parallel: only with --targets FILE or --fleet/);
    const both = await cli('apply', '--targets', targets('x.txt', [names[0]!]), '--database-url', url(names[0]!));
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/--database-url: not with --targets/);
    const bad = await cli('status', '--targets', 'nope.txt');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cannot read it \(ENOENT\)/);
    writeFileSync(join(root, 'bad.txt'), `${url(names[0]!)}\npostgres://u:${SECRET}@h:0/db\n`);
    const malformed = await cli('apply', '--targets', 'bad.txt');
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(/bad\.txt:2: invalid database URL/);
    expect((await journal(names[0]!)).length).toBe(0);
  }, 30_000);

  // Last: every output of every run above (text, JSON, errors, the killed process's).
  it('printed no password, in any output of any run', () => {
    expect(outputs.length).toBeGreaterThan(20);
    const all = outputs.join('\n');
    expect(all).toContain('postgres://');
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(QUERY_SECRET);
    expect(all).not.toContain(encodeURIComponent(QUERY_SECRET));
  });
});
