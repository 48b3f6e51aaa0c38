/**
 * Fleet benchmark (not a test): `node test/bench/fleet.mjs`. Needs a PostgreSQL server (KEIKAKU_BENCH_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres; a role that may CREATE DATABASE), psql on PATH, and a build
 * (`npm run build`: the CLI runs from dist/).
 *
 * Writes a project of two migrations to a temp directory: the first creates two tables, a foreign key and an
 * index (the fleet's existing schema); the second, the one measured, adds a defaulted column, a CHECK added
 * NOT VALID then validated, and an index built CONCURRENTLY (four steps, one of them outside a transaction).
 * A template database gets the first migration with `keikaku apply`; then, for each --parallel value:
 *   1. DATABASES (default 200) databases are made from the template (each with its journal at migration 1), one of
 *      them broken on purpose (the column the second migration adds is already there, so its step fails);
 *   2. `keikaku apply --targets FILE --parallel P --continue-on-error --format json` applies the second migration
 *      to all of them: wall time of the whole process, and each database's durationMs from the JSON (median, p95);
 *   3. the report must say DATABASES-1 applied and 1 failed (the broken one), or the bench stops.
 * Then once, for scale: psql runs the same file on every database, one process per database, one at a time.
 * Every database made is dropped at the end (also on error or Ctrl-C).
 *
 * Options: --databases 200  --parallel 1,4,8  --keep (keep the temp project)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { log, median } from './util.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const BIN = join(ROOT, 'bin', 'keikaku.js');

const { values: opts } = parseArgs({
  options: {
    databases: { type: 'string', default: '200' },
    parallel: { type: 'string', default: '1,4,8' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(opts.databases);
const PARALLEL = opts.parallel.split(',').map(Number);
const SERVER = process.env.KEIKAKU_BENCH_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PREFIX = `keikaku_bench_fleet_${process.pid}_`;
const TEMPLATE = `${PREFIX}template`;
const BROKEN = Math.floor(N / 2);

const withDb = (url, db) => url.replace(/\/[^/?#]*(\?|$)/, `/${db}$1`);
const psql = (url, ...args) => {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
  });
  if (r.status !== 0) throw new Error(`psql ${args.join(' ')}: ${r.stderr || r.error?.message}`);
  return r.stdout;
};
const keikaku = (cwd, ...args) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

const names = Array.from({ length: N }, (_, i) => `${PREFIX}${String(i).padStart(3, '0')}`);
const dropAll = () => {
  const list = psql(SERVER, '-At', '-c', `SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}%'`).split('\n').filter(Boolean);
  for (const db of list) psql(SERVER, '-c', `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  return list.length;
};
process.on('SIGINT', () => {
  dropAll();
  process.exit(130);
});

const project = mkdtempSync(join(os.tmpdir(), 'kk-bench-fleet-'));
const migration = (id, up, down) => {
  const dir = join(project, 'generated', 'migrations', id);
  spawnSync('mkdir', ['-p', dir]);
  writeFileSync(join(dir, '1_expand.up.sql'), up);
  writeFileSync(join(dir, '1_expand.down.sql'), down);
};

try {
  // Two hand-written migrations, signed by `keikaku generate --empty` + `rehash` as a user would.
  for (const name of ['base', 'add_note']) {
    const r = keikaku(project, 'generate', '--empty', name);
    if (r.status !== 0) throw new Error(`generate --empty: ${r.stdout}${r.stderr}`);
  }
  const ids = spawnSync('ls', [join(project, 'generated', 'migrations')], { encoding: 'utf8' }).stdout.trim().split('\n');
  migration(
    ids[0],
    `BEGIN;
CREATE TABLE public.accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE public.orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, account_id bigint NOT NULL REFERENCES public.accounts (id), total numeric(12,2) NOT NULL);
CREATE INDEX orders_account_id_idx ON public.orders (account_id);
INSERT INTO public.accounts (name) SELECT 'a' || g FROM generate_series(1, 100) g;
INSERT INTO public.orders (account_id, total) SELECT 1 + g % 100, g FROM generate_series(1, 1000) g;
COMMIT;
`,
    'BEGIN;\nDROP TABLE public.orders;\nDROP TABLE public.accounts;\nCOMMIT;\n',
  );
  migration(
    ids[1],
    `BEGIN;
ALTER TABLE public.orders ADD COLUMN note text NOT NULL DEFAULT '';
ALTER TABLE public.orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;
COMMIT;

ALTER TABLE public.orders VALIDATE CONSTRAINT orders_total_positive;

CREATE INDEX CONCURRENTLY orders_note_idx ON public.orders (note);
`,
    'BEGIN;\nDROP INDEX public.orders_note_idx;\nALTER TABLE public.orders DROP CONSTRAINT orders_total_positive;\nALTER TABLE public.orders DROP COLUMN note;\nCOMMIT;\n',
  );
  if (keikaku(project, 'rehash').status !== 0) throw new Error('rehash failed');

  dropAll();
  psql(SERVER, '-c', `CREATE DATABASE "${TEMPLATE}"`);
  const t = keikaku(project, 'apply', '--database-url', withDb(SERVER, TEMPLATE), '--to', ids[0]);
  if (t.status !== 0) throw new Error(`apply on the template: ${t.stdout}${t.stderr}`);
  writeFileSync(join(project, 'targets.txt'), `# ${N} databases made by test/bench/fleet.mjs\n${names.map((n) => withDb(SERVER, n)).join('\n')}\n`);

  const make = () => {
    const start = performance.now();
    for (const n of names) {
      psql(SERVER, '-c', `DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`, '-c', `CREATE DATABASE "${n}" TEMPLATE "${TEMPLATE}"`);
    }
    // The broken one: the column the new migration adds is already there.
    psql(withDb(SERVER, names[BROKEN]), '-c', 'ALTER TABLE public.orders ADD COLUMN note text');
    return performance.now() - start;
  };

  const rows = [];
  for (const p of PARALLEL) {
    const madeMs = make();
    log(`--parallel ${p}: ${N} databases made from the template in ${(madeMs / 1000).toFixed(1)} s; applying`);
    const start = performance.now();
    const r = keikaku(project, 'apply', '--targets', 'targets.txt', '--parallel', String(p), '--continue-on-error', '--format', 'json');
    const wallMs = performance.now() - start;
    const report = JSON.parse(r.stdout);
    const c = report.counts;
    if (r.status !== 1 || c.applied !== N - 1 || c.failed !== 1 || report.targets[BROKEN].state !== 'failed')
      throw new Error(`unexpected report (exit ${r.status}): ${JSON.stringify(c)}\n${r.stderr}`);
    const per = report.targets.filter((x) => x.state === 'applied').map((x) => x.durationMs);
    rows.push({ parallel: p, wallMs, median: median(per), p95: pct(per, 95), failed: report.targets[BROKEN].error });
    log(`  wall ${(wallMs / 1000).toFixed(2)} s; per database median ${median(per)} ms, p95 ${pct(per, 95)} ms; ${c.applied} applied, ${c.failed} failed`);
  }

  // For scale: the same file with psql, one process per database, one at a time (no journal, no lock, no checks).
  make();
  const file = join(project, 'generated', 'migrations', ids[1], '1_expand.up.sql');
  const psqlMs = [];
  const startPsql = performance.now();
  for (const [i, n] of names.entries()) {
    if (i === BROKEN) continue;
    const s = performance.now();
    psql(withDb(SERVER, n), '-f', file);
    psqlMs.push(performance.now() - s);
  }
  const psqlWall = performance.now() - startPsql;

  const lines = [
    `fleet bench: ${N} databases (one broken on purpose), one migration of 4 steps, server ${SERVER.replace(/:[^:@/]*@/, '@')}`,
    '',
    '| --parallel | wall time | per database, median | per database, p95 |',
    '|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.parallel} | ${(r.wallMs / 1000).toFixed(1)} s | ${Math.round(r.median)} ms | ${Math.round(r.p95)} ms |`),
    `| psql, 1 process per database | ${(psqlWall / 1000).toFixed(1)} s | ${Math.round(median(psqlMs))} ms | ${Math.round(pct(psqlMs, 95))} ms |`,
    '',
    `the broken database (${names[BROKEN]}) in every run: failed, the others applied: ${rows[0]?.failed}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  const n = dropAll();
  log(`dropped ${n} databases`);
  if (!opts.keep) rmSync(project, { recursive: true, force: true });
}
