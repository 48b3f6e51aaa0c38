/**
 * Schema per tenant on a real server (docs/fleets.md, `apply|status --schemas`): migrations keikaku generated for
 * `public` run in three tenant schemas of one database (one with a hostile name). Each tenant's catalog is then
 * the template's as the same migrations build it in a database of its own (catalog snapshots, the schema name
 * mapped), each has its own journal rows; a re-run does nothing; a new migration reaches all; a broken tenant fails
 * while the others apply with --continue-on-error; a killed run resumes; tenants of one database run at once (a
 * lock per schema); an unsafe migration is refused before anything runs; the template and other schemas are never
 * touched; a journal made before the scope column keeps working.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generate, generateEmpty, rehash } from '../../src/api.js';
import { lockKeys, LOCK_KEYS } from '../../src/apply/lock-keys.js';
import { checkDatabase, checkProject, type ReplayMemo } from '../../src/check/index.js';
import { loadConfig } from '../../src/config/index.js';
import { connectPg } from '../../src/db/pg.js';
import type { Db } from '../../src/db/types.js';
import { parsePgUrl } from '../../src/db/url.js';
import { ensureBuilt } from '../load/built.js';
import { backends } from '../support/backends.js';
import { runCliIn, spawnBuiltCli, type CliResult } from '../support/cli.js';
import { projectRoot } from '../support/paths.js';
import { snapshot } from '../support/snapshot.js';

const server = (await backends()).find((b) => b.name === 'server');
if (!server) console.warn('test/tenant/tenants.test.ts: skipped, no PostgreSQL server (tenant schemas need a real database)');

const HOSTILE = 'tenant_"x".y $表 select';
/** In LIKE 'tenant_%' order (bytewise: `"` before letters). */
const TENANTS = [HOSTILE, 'tenant_a', 'tenant_b'];

const SCHEMA_ONE = `import { bigint, check, enumType, index, numeric, sql, table, text, timestamptz } from 'keikaku';
export const status = enumType('order_status', ['open', 'paid']);
export const customers = table('customers', {
  id: bigint().primaryKey().generatedAlwaysAsIdentity(),
  name: text().notNull(),
  email: text().unique(),
});
export const orders = table(
  'orders',
  {
    id: bigint().primaryKey().generatedAlwaysAsIdentity(),
    customerId: bigint().notNull().references(() => customers.id, { onDelete: 'cascade' }),
    status: status().notNull().default('open'),
    total: numeric({ precision: 12, scale: 2 }).notNull(),
    createdAt: timestamptz().notNull().defaultNow(),
  },
  (t) => [index('orders_customer').on(t.customerId), check('orders_total_positive', sql\`total >= 0\`)],
);
`;
/** The next version: a column, an index on it, a new enum label. */
const SCHEMA_TWO = SCHEMA_ONE.replace("['open', 'paid']", "['open', 'paid', 'refunded']")
  .replace('email: text().unique(),', 'email: text().unique(),\n  note: text(),')
  .replace("index('orders_customer').on(t.customerId),", "index('orders_customer').on(t.customerId), index('orders_created').on(t.createdAt),");

describe.runIf(server)('schema per tenant (server)', () => {
  let admin: Db;
  let base: string;
  const db = `keikaku_tenants_${process.pid}`;
  const tpl = `keikaku_tenants_${process.pid}_tpl`;
  const roots: Record<'one' | 'two' | 'slow' | 'unsafe', string> = { one: '', two: '', slow: '', unsafe: '' };
  let work: string;
  const url = (name: string) => `${base}/${name}`;

  const cli = (root: string, ...args: string[]): Promise<CliResult> => runCliIn(root, ...args);
  const withDb = async <T>(name: string, f: (c: Db) => Promise<T>): Promise<T> => {
    const c = await connectPg(url(name));
    try {
      return await f(c);
    } finally {
      await c.close();
    }
  };
  /** A schema's objects, every name qualified (search_path empty), the schema's own name replaced by SCHEMA. */
  const catalogOf = (name: string, schema: string) =>
    withDb(name, async (c) => {
      await c.exec('SET search_path = pg_catalog');
      const [{ q }] = (await c.query<{ q: string }>('SELECT quote_ident($1) AS q', [schema])) as [{ q: string }];
      return (await snapshot(c, { notNullConstraints: false })).filter((l) => l.includes(`${q}.`)).map((l) => l.split(`${q}.`).join('SCHEMA.'));
    });
  const untouched = (name: string) =>
    withDb(name, async (c) => {
      await c.exec('SET search_path = pg_catalog');
      return (await snapshot(c)).filter((l) => l.includes('public.') || l.includes('other.') || l.includes('tenant.'));
    });
  const journal = (name: string) =>
    withDb(name, async (c) =>
      (await c.query<{ ok: boolean }>(`SELECT to_regclass('keikaku.journal') IS NOT NULL AS ok`))[0]!.ok
        ? c.query<{ scope: string; migration: string; status: string; steps_done: number; checksum: string; file: string }>(
            'SELECT scope, migration, status, steps_done, checksum, file FROM keikaku.journal ORDER BY seq',
          )
        : [],
    );
  const scopes = async (name: string) => {
    const out = new Map<string, string[]>();
    for (const r of await journal(name)) out.set(r.scope, [...(out.get(r.scope) ?? []), `${r.migration.slice(15)} ${r.status}`]);
    return out;
  };

  const project = (dir: string) => {
    mkdirSync(join(dir, 'schema'), { recursive: true });
    mkdirSync(join(dir, 'node_modules'), { recursive: true });
    symlinkSync(projectRoot, join(dir, 'node_modules', 'keikaku'), 'dir');
    return dir;
  };

  const reset = async () => {
    for (const n of [db, tpl]) await admin.exec(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
    for (const n of [db, tpl]) await admin.exec(`CREATE DATABASE ${n}`);
    await withDb(db, async (c) => {
      for (const s of TENANTS) await c.query(`SELECT format('CREATE SCHEMA %I', $1::text)`, [s]).then(([r]) => c.exec((r as { format: string }).format));
      // Not tenants: the template (public), a schema the pattern does not match, another with a table.
      await c.exec('CREATE SCHEMA tenant; CREATE TABLE tenant.customers (id int); CREATE SCHEMA other; CREATE TABLE other.keep (id int PRIMARY KEY); INSERT INTO other.keep VALUES (1)');
    });
  };

  beforeAll(async () => {
    ensureBuilt();
    admin = await connectPg(server!.serverUrl!);
    const t = parsePgUrl(server!.serverUrl!).target;
    base = `postgres://${encodeURIComponent(t.user)}@${t.host}:${t.port}`;
    work = mkdtempSync(join(tmpdir(), 'kk-tenants-'));
    // One project, two generated migrations: `one` has the first, `two` both.
    const dir = project(join(work, 'gen'));
    writeFileSync(join(dir, 'schema', 'app.ts'), SCHEMA_ONE);
    await generate({ root: dir, name: 'init', now: new Date('2026-01-01T00:00:00Z') });
    roots.one = join(work, 'one');
    cpSync(join(dir, 'generated'), join(project(roots.one), 'generated'), { recursive: true });
    writeFileSync(join(dir, 'schema', 'app.ts'), SCHEMA_TWO);
    await generate({ root: dir, name: 'more', now: new Date('2026-01-02T00:00:00Z') });
    roots.two = join(work, 'two');
    cpSync(join(dir, 'generated'), join(project(roots.two), 'generated'), { recursive: true });
    // Hand-written: a pause between two steps (to kill a run mid-way, and to see tenants run at once).
    roots.slow = project(join(work, 'slow'));
    const slow = await generateEmpty({ root: roots.slow, name: 'slow', now: new Date('2026-01-01T00:00:00Z') });
    writeFileSync(join(slow.dir, '1_expand.up.sql'), 'BEGIN;\nCREATE TABLE public.a (id int PRIMARY KEY);\nCOMMIT;\n\nSELECT pg_sleep(0.7);\n\nBEGIN;\nCREATE TABLE public.b (id int PRIMARY KEY);\nCOMMIT;\n');
    writeFileSync(join(slow.dir, '1_expand.down.sql'), 'BEGIN;\nDROP TABLE public.b;\nDROP TABLE public.a;\nCOMMIT;\n');
    await rehash({ root: roots.slow });
    // A migration that names the template in a string, on line 4: refused.
    roots.unsafe = project(join(work, 'unsafe'));
    const unsafe = await generateEmpty({ root: roots.unsafe, name: 'unsafe', now: new Date('2026-01-01T00:00:00Z') });
    writeFileSync(join(unsafe.dir, '1_expand.up.sql'), "BEGIN;\nCREATE SEQUENCE public.s;\nCREATE TABLE public.t (id int);\nALTER TABLE public.t ALTER COLUMN id SET DEFAULT nextval('public.s'::regclass);\nCOMMIT;\n");
    writeFileSync(join(unsafe.dir, '1_expand.down.sql'), 'BEGIN;\nDROP TABLE public.t;\nDROP SEQUENCE public.s;\nCOMMIT;\n');
    await rehash({ root: roots.unsafe });
  }, 120_000);

  beforeEach(reset, 30_000);

  afterAll(async () => {
    if (admin) {
      for (const n of [db, tpl]) await admin.exec(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`).catch(() => undefined);
      await admin.close();
    }
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('applies to every tenant schema: each catalog is the template built by the same migrations, each its own journal', async () => {
    const before = await untouched(db);
    const r = await cli(roots.one, 'apply', '--database-url', url(db), '--schemas', 'tenant_%', '--format', 'json');
    expect(r.stderr).not.toMatch(/keikaku:/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.targets.map((t: { schema: string; state: string; url: string }) => [t.url, t.schema, t.state])).toEqual(TENANTS.map((s) => [url(db), s, 'applied']));
    expect(report.targets[0]).toMatchObject({ from: null, to: '20260101000000_init', error: null });
    // The template as the migrations build it, in a database of its own (the database's own journal).
    expect((await cli(roots.one, 'apply', '--database-url', url(tpl))).code).toBe(0);
    const expected = await catalogOf(tpl, 'public');
    expect(expected.length).toBeGreaterThan(8);
    for (const s of TENANTS) expect(await catalogOf(db, s), s).toEqual(expected);
    // Each tenant's journal: its own rows, the file's checksum; nothing in the database's own scope.
    const rows = await journal(db);
    const tplRows = await journal(tpl);
    expect([...(await scopes(db)).entries()]).toEqual(TENANTS.map((s) => [s, ['init applied']]));
    for (const row of rows) expect(row.checksum).toBe(tplRows[0]!.checksum);
    // The template schema and the others are as they were.
    expect(await untouched(db)).toEqual(before);
    // Again: nothing to do; status agrees.
    const again = JSON.parse((await cli(roots.one, 'apply', '--database-url', url(db), '--schemas', 'tenant_%', '--format', 'json')).stdout);
    expect(again.targets.map((t: { state: string }) => t.state)).toEqual(['up-to-date', 'up-to-date', 'up-to-date']);
    const status = await cli(roots.one, 'status', '--database-url', url(db), '--schemas', 'tenant_%');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`schema "tenant_""x"".y $表 select"`);
    expect(status.stdout).toMatch(/status over 3 tenant schemas: 3 up-to-date/);
    // The new migration: status says pending (exit 2), apply reaches every tenant.
    expect((await cli(roots.two, 'status', '--database-url', url(db), '--schemas', 'tenant_%')).code).toBe(2);
    const two = JSON.parse((await cli(roots.two, 'apply', '--database-url', url(db), '--schemas', 'tenant_%', '--format', 'json', '--parallel', '3')).stdout);
    expect(two.targets.map((t: { state: string; from: string; to: string }) => [t.state, t.from, t.to])).toEqual(TENANTS.map(() => ['applied', '20260101000000_init', '20260102000000_more']));
    expect((await cli(roots.two, 'apply', '--database-url', url(tpl))).code).toBe(0);
    const expectedTwo = await catalogOf(tpl, 'public');
    expect(expectedTwo).not.toEqual(expected);
    for (const s of TENANTS) expect(await catalogOf(db, s), s).toEqual(expectedTwo);
    expect(await untouched(db)).toEqual(before);
  }, 90_000);

  it('a broken tenant fails; the others stop, or apply with --continue-on-error; fixed, it resumes', async () => {
    // tenant_a already has a type the first migration creates: that run fails.
    await withDb(db, (c) => c.exec("CREATE TYPE tenant_a.order_status AS ENUM ('x')"));
    const first = await cli(roots.one, 'apply', '--database-url', url(db), '--schemas', 'tenant_%', '--format', 'json');
    expect(first.code).toBe(1);
    const r1 = JSON.parse(first.stdout);
    expect(r1.targets.map((t: { state: string }) => t.state)).toEqual(['applied', 'failed', 'skipped']);
    expect(r1.targets[1].error).toMatch(/1_expand\.up\.sql step 1: .*type "order_status" already exists/);
    expect(r1.stopped).toMatch(/stopped after a failure \(target 2\)/);
    const text = await cli(roots.one, 'apply', '--database-url', url(db), '--schemas', 'tenant_%', '--continue-on-error');
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/apply over 3 tenant schemas: 1 applied, 1 up-to-date, 1 failed/);
    expect(text.stdout).toMatch(/failed:\n {2}postgres:\/\/\S+ schema "tenant_a": /);
    expect([...(await scopes(db)).entries()]).toEqual([
      [HOSTILE, ['init applied']],
      ['tenant_a', ['init failed', 'init failed']],
      ['tenant_b', ['init applied']],
    ]);
    await withDb(db, (c) => c.exec('DROP TYPE tenant_a.order_status'));
    const fixed = JSON.parse((await cli(roots.one, 'apply', '--database-url', url(db), '--schemas', 'tenant_%', '--format', 'json')).stdout);
    expect(fixed.targets.map((t: { state: string }) => t.state)).toEqual(['up-to-date', 'applied', 'up-to-date']);
    expect((await catalogOf(db, 'tenant_a')).length).toBeGreaterThan(8);
  }, 60_000);

  it('runs the tenants of one database at once (a lock per schema), and a killed run resumes where each stopped', async () => {
    expect(new Set([...TENANTS, ''].map((s) => lockKeys(s).join(','))).size).toBe(4);
    expect(lockKeys('')).toEqual(LOCK_KEYS);
    const all = JSON.parse((await cli(roots.slow, 'apply', '--database-url', url(db), '--schemas', 'tenant_%', '--parallel', '3', '--format', 'json')).stdout);
    expect(all.targets.map((t: { state: string }) => t.state)).toEqual(['applied', 'applied', 'applied']);
    for (const t of all.targets) expect(t.durationMs).toBeGreaterThanOrEqual(700);
    // The three attempts overlapped: each started before any finished (one lock for all would have queued them).
    const [span] = await withDb(db, (c) =>
      c.query<{ overlap: boolean }>('SELECT max(started_at) < min(finished_at) AS overlap, count(DISTINCT scope)::int AS n FROM keikaku.journal'),
    );
    expect(span).toEqual({ overlap: true, n: 3 });

    await reset();
    const { child, output, exited } = spawnBuiltCli(roots.slow, 'apply', '--database-url', url(db), '--schemas', 'tenant_%');
    // Killed once the second tenant has committed its first step and sleeps in the second.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const rows = await journal(db).catch(() => []);
      if (rows.some((j) => j.scope === 'tenant_a' && j.status === 'running' && j.steps_done === 1)) break;
      if (Date.now() > deadline) throw new Error(`the run never reached the second tenant: ${output()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await exited;
    expect([...(await scopes(db)).entries()]).toEqual([
      [HOSTILE, ['slow applied']],
      ['tenant_a', ['slow running']],
    ]);
    const status = JSON.parse((await cli(roots.slow, 'status', '--database-url', url(db), '--schemas', 'tenant_%', '--format', 'json')).stdout);
    expect(status.targets.map((t: { state: string }) => t.state)).toEqual(['up-to-date', 'pending', 'pending']);
    expect(status.targets[1].error).toMatch(/is (running|interrupted) \(1\/3 steps committed\)/);
    const again = JSON.parse((await cli(roots.slow, 'apply', '--database-url', url(db), '--schemas', 'tenant_%', '--format', 'json')).stdout);
    expect(again.targets.map((t: { state: string }) => t.state)).toEqual(['up-to-date', 'applied', 'applied']);
    // tenant_a resumed after its committed step: the table it made then was not made again.
    const a = (await journal(db)).filter((j) => j.scope === 'tenant_a');
    expect(a.map((j) => [j.status, j.steps_done])).toEqual([['failed', 1], ['applied', 3]]);
    for (const s of TENANTS) {
      const lines = (await catalogOf(db, s)).join('\n');
      expect(lines, s).toContain('SCHEMA.a');
      expect(lines, s).toContain('SCHEMA.b');
    }
  }, 60_000);

  it('refuses an unsafe migration before anything runs, naming file and line; other schemas and the template untouched', async () => {
    const before = await untouched(db);
    const r = await cli(roots.unsafe, 'apply', '--database-url', url(db), '--schemas', 'tenant_%');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/refusing to run the migrations in tenant schemas \(template "public"\)/);
    expect(r.stderr).toMatch(/migrations\/20260101000000_unsafe\/1_expand\.up\.sql:4: a string holds the template schema's name "public"/);
    expect(await journal(db)).toEqual([]);
    for (const s of TENANTS) expect(await catalogOf(db, s), s).toEqual([]);
    expect(await untouched(db)).toEqual(before);
    // status too: it cannot read the tenants against this history (exit 1: status's 3 means nothing).
    expect((await cli(roots.unsafe, 'status', '--database-url', url(db), '--schemas', 'tenant_%')).code).toBe(1);
    // check refuses it as a history it cannot hold tenants against (exit 3).
    const checked = await cli(roots.unsafe, 'check', '--no-lint', '--database-url', url(db), '--schemas', 'tenant_%');
    expect(checked.code).toBe(3);
    expect(checked.stderr).toMatch(/refusing to run the migrations in tenant schemas \(template "public"\)/);
    // A pattern matching nothing: an error, not an empty success.
    const none = await cli(roots.one, 'apply', '--database-url', url(db), '--schemas', 'nobody_%');
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/--schemas "nobody_%": no schema of .* matches/);
  }, 30_000);

  it('a production database is confirmed once for all its tenant schemas: without --yes nothing runs (exit 3)', async () => {
    const r = await cli(roots.one, 'apply', '--database-url', url(db), '--schemas', 'tenant_%', '--production');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/1 of the 1 databases of this fleet is production; pass --yes/);
    expect(await journal(db)).toEqual([]);
    const yes = JSON.parse((await cli(roots.one, 'apply', '--database-url', url(db), '--schemas', 'tenant_%', '--production', '--yes', '--format', 'json')).stdout);
    expect(yes.targets.map((t: { state: string; production: boolean }) => [t.state, t.production])).toEqual(TENANTS.map(() => ['applied', true]));
  }, 30_000);

  it('verify --schemas: the history replayed once, then each tenant journal held against the files', async () => {
    expect((await cli(roots.one, 'apply', '--database-url', url(db), '--schemas', 'tenant_%')).code).toBe(0);
    // verify names its database as the other commands do without --database-url: DATABASE_URL (.env).
    writeFileSync(join(roots.one, '.env'), `DATABASE_URL=${url(db)}\n`);
    try {
      const ok = JSON.parse((await cli(roots.one, 'verify', '--schemas', 'tenant_%', '--format', 'json')).stdout);
      expect(ok.targets.map((t: { schema: string; state: string }) => [t.schema, t.state])).toEqual(TENANTS.map((s) => [s, 'up-to-date']));
      expect(ok.exitCode).toBe(0);
      // One tenant's journal says it ran other text than the file: that tenant alone fails.
      await withDb(db, (c) => c.exec("UPDATE keikaku.journal SET checksum = repeat('0', 64) WHERE scope = 'tenant_b'"));
      const bad = await cli(roots.one, 'verify', '--schemas', 'tenant_%', '--format', 'json');
      expect(bad.code).toBe(1);
      expect(JSON.parse(bad.stdout).targets.map((t: { state: string }) => t.state)).toEqual(['up-to-date', 'up-to-date', 'failed']);
    } finally {
      rmSync(join(roots.one, '.env'));
    }
  }, 120_000);

  it('check --schemas: each tenant against the template replayed, named as the tenant; drift in one tenant is that tenant\'s alone', async () => {
    // `gen` holds schema/ (the second version) and both migrations: the repository part of check passes.
    const gen = join(work, 'gen');
    expect((await cli(gen, 'apply', '--database-url', url(db), '--schemas', 'tenant_%')).code).toBe(0);
    const check = (...more: string[]) => cli(gen, 'check', '--no-lint', '--database-url', url(db), '--schemas', 'tenant_%', ...more);
    const states = (r: CliResult) => JSON.parse(r.stdout).targets.map((t: { schema: string; state: string }) => [t.schema, t.state]);
    const ok = await check('--format', 'json');
    expect(ok.stderr).not.toMatch(/keikaku:/);
    expect(ok.code).toBe(0);
    expect(states(ok)).toEqual(TENANTS.map((s) => [s, 'up-to-date']));
    // Other schemas (the template itself, one no tenant matches) differ from the history: none of a tenant's business.
    await withDb(db, (c) => c.exec('CREATE TABLE public.stray (id int); ALTER TABLE other.keep ADD COLUMN x int'));
    expect((await check()).code).toBe(0);
    // One tenant drifted by hand: a column added, an index dropped. That tenant alone, both objects named.
    await withDb(db, (c) => c.exec('ALTER TABLE tenant_b.orders ADD COLUMN extra int; DROP INDEX tenant_b.orders_created'));
    const drift = await check('--format', 'json');
    expect(drift.code).toBe(2);
    expect(states(drift)).toEqual([...TENANTS.slice(0, 2).map((s) => [s, 'up-to-date']), ['tenant_b', 'drifted']]);
    const report = JSON.parse(drift.stdout);
    expect(report.exitCode).toBe(2);
    const findings: string[] = report.targets[2].findings;
    expect(findings).toHaveLength(2);
    expect(findings.join('\n')).toMatch(/tenant_b\.orders\.extra/);
    expect(findings.join('\n')).toMatch(/tenant_b\.orders_created/);
    for (const t of report.targets.slice(0, 2)) expect(t.findings).toEqual([]);
    // Through the embedded shadow (a role without CREATEDB and no local server of its major): the same verdicts.
    const config = await loadConfig(gen);
    const repository = await checkProject(config, {});
    const memo: ReplayMemo = new Map();
    const embedded = async (schema: string) =>
      (await checkDatabase(config, repository, url(db), 'embedded', { schema, template: 'public', memo })).findings.map((f) => `${f.rule}: ${f.message}`);
    expect(await embedded('tenant_a')).toEqual([]);
    expect(await embedded('tenant_b')).toEqual(findings);
    expect(memo.size).toBe(1);
    expect((await [...memo.values()][0]!).embedded).toBe(true);
    const text = await check();
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(/schema "tenant_b"\s+drifted/);
    expect(text.stdout).toMatch(/check over 3 tenant schemas: 2 up-to-date, 1 drifted/);
    // The hostile name: a foreign key of its own schema pointing at the template's table is drift there.
    await withDb(db, async (c) => {
      const [r] = await c.query<{ sql: string }>(
        "SELECT format('ALTER TABLE %1$I.orders DROP CONSTRAINT orders_customer_id_fkey, ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES tenant_a.customers (id) ON DELETE CASCADE', $1::text) AS sql",
        [HOSTILE],
      );
      await c.exec(r!.sql);
    });
    const hostile = await check('--format', 'json');
    expect(states(hostile)).toEqual([[HOSTILE, 'drifted'], ['tenant_a', 'up-to-date'], ['tenant_b', 'drifted']]);
    expect(JSON.parse(hostile.stdout).targets[0].findings.join('\n')).toMatch(/orders_customer_id_fkey/);
    // A tenant behind (its journal has the first migration only): pending, compared with that migration alone, no drift.
    await withDb(db, (c) => c.exec('CREATE SCHEMA tenant_c'));
    expect((await cli(roots.one, 'apply', '--database-url', url(db), '--schemas', 'tenant_c')).code).toBe(0);
    const behind = JSON.parse((await check('--format', 'json')).stdout);
    const c = behind.targets.find((t: { schema: string }) => t.schema === 'tenant_c');
    expect(c).toMatchObject({ state: 'pending', from: '20260101000000_init', to: '20260102000000_more' });
    expect(c.findings.length).toBeGreaterThan(0);
    for (const f of c.findings) expect(f).toMatch(/^pending-migration: 20260102000000_more /);
  }, 120_000);

  it('a journal made before the scope column: the database keeps its rows, and gets the column on the next write', async () => {
    expect((await cli(roots.one, 'apply', '--database-url', url(tpl))).code).toBe(0);
    await withDb(tpl, (c) => c.exec('ALTER TABLE keikaku.journal DROP COLUMN scope'));
    expect((await cli(roots.two, 'status', '--database-url', url(tpl))).code).toBe(2);
    expect((await cli(roots.two, 'apply', '--database-url', url(tpl))).code).toBe(0);
    expect((await journal(tpl)).map((j) => [j.scope, j.status])).toEqual([
      ['', 'applied'],
      ['', 'applied'],
    ]);
    expect((await cli(roots.two, 'status', '--database-url', url(tpl))).code).toBe(0);
  }, 30_000);
});
