/**
 * keikaku `apply` benchmark: `npm run bench:apply` (= node test/bench/apply.mjs). Needs a PostgreSQL server
 * (KEIKAKU_BENCH_URL, default postgres://postgres@127.0.0.1:5432/postgres), psql on PATH, and a build
 * (`npm run build`: the CLI runs from dist/).
 *
 * Writes a history of N migrations (default 50) to a temp directory: each has an expand phase (a transaction
 * creating a table with 6 columns, a foreign key to the previous table and a CHECK, then a comment and an
 * ALTER … ADD COLUMN), every 5th one also a `CREATE INDEX CONCURRENTLY` run alone and a contract phase
 * (ALTER … DROP COLUMN). Then, REPS times each, on a new empty database every time:
 *   1. `node bin/keikaku.js apply` (wall time of the whole process: start-up, journal, lock, checks, SQL);
 *   2. psql, one session: `psql -X -v ON_ERROR_STOP=1 -f F1 -f F2 …` with the same phase files in the same order;
 *   3. psql, one process per file (what a shell loop over the files does);
 *   4. `node bin/keikaku.js apply` on the database already migrated (nothing to do: start-up + checks).
 * Reports the medians (and minima), the time keikaku adds over one psql session, in total and per migration, and
 * that the two databases end equal (pg_dump --schema-only of both, keikaku's own schema left out).
 *
 * Options: --migrations 50  --reps 3  --keep (keep the temp project)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { log, median, min, runChild } from './util.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const BIN = join(ROOT, 'bin', 'keikaku.js');

const { values: opts } = parseArgs({
  options: {
    migrations: { type: 'string', default: '50' },
    reps: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(opts.migrations);
const REPS = Number(opts.reps);
const SERVER = process.env.KEIKAKU_BENCH_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const dist = (path) => import(pathToFileURL(join(ROOT, 'dist', path)).href);
const { renderSum, readHistory, upFiles } = await dist('load/migrations.js');
const { runMigrations } = await dist('apply/index.js');
const { DEFAULT_TIMEOUTS } = await dist('apply/types.js');
const { connectPg } = await dist('db/pg.js');

const withDb = (url, db) => url.replace(/\/[^/?#]*(\?|$)/, `/${db}$1`);
const psql = (url, ...args) => {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PGOPTIONS: '-c client_min_messages=warning' },
  });
  if (r.status !== 0) throw new Error(`psql ${args.join(' ')}: ${r.stderr || r.error?.message}`);
  return r.stdout;
};

let dbCounter = 0;
const freshDb = () => {
  const name = `keikaku_bench_apply_${process.pid}_${dbCounter++}`;
  psql(SERVER, '-c', `DROP DATABASE IF EXISTS ${name}`, '-c', `CREATE DATABASE ${name} TEMPLATE template0`);
  return { name, url: withDb(SERVER, name), drop: () => psql(SERVER, '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
};

// ---- the history --------------------------------------------------------------------------------------------
const root = mkdtempSync(join(os.tmpdir(), 'kk-bench-apply-'));
const generated = join(root, 'generated');
const pad = (i) => String(i).padStart(3, '0');
for (let i = 1; i <= N; i++) {
  const id = `20260101${String(100000 + i).slice(1)}0_m${pad(i)}`;
  const dir = join(generated, 'migrations', id);
  mkdirSync(dir, { recursive: true });
  const t = `t${pad(i)}`;
  const fk = i > 1 ? `, parent_id bigint REFERENCES t${pad(i - 1)} (id)` : '';
  const expandUp = [
    `-- ${id}: phase 1 (expand)`,
    'SET check_function_bodies = off;',
    '',
    'BEGIN;',
    '',
    `CREATE TABLE public.${t} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, amount numeric(12,2) DEFAULT 0, created_at timestamptz NOT NULL DEFAULT now(), flags jsonb${fk}, CONSTRAINT ${t}_amount_positive CHECK (amount >= 0));`,
    `COMMENT ON TABLE public.${t} IS 'table ${i}';`,
    `ALTER TABLE public.${t} ADD COLUMN note text;`,
    '',
    'COMMIT;',
    '',
    ...(i % 5 === 0 ? [`CREATE INDEX CONCURRENTLY ${t}_name ON public.${t} (name);`, ''] : []),
  ].join('\n');
  const expandDown = [...(i % 5 === 0 ? [`DROP INDEX CONCURRENTLY public.${t}_name;`, ''] : []), 'BEGIN;', `DROP TABLE public.${t};`, 'COMMIT;', ''].join('\n');
  const phases = [{ name: 'expand', steps: [] }];
  writeFileSync(join(dir, '1_expand.up.sql'), expandUp);
  writeFileSync(join(dir, '1_expand.down.sql'), expandDown);
  if (i % 5 === 0) {
    phases.push({ name: 'contract', steps: [] });
    writeFileSync(join(dir, '3_contract.up.sql'), `BEGIN;\nALTER TABLE public.${t} DROP COLUMN note;\nCOMMIT;\n`);
    writeFileSync(join(dir, '3_contract.down.sql'), `BEGIN;\nALTER TABLE public.${t} ADD COLUMN note text;\nCOMMIT;\n`);
  }
  const parent = i === 1 ? null : `20260101${String(100000 + i - 1).slice(1)}0_m${pad(i - 1)}`;
  writeFileSync(join(dir, 'plan.json'), `${JSON.stringify({ format: 'keikaku-plan/1', id, parent, renames: [], strategy: 'phased', phases }, null, 2)}\n`);
}
const history = readHistory(generated);
writeFileSync(join(generated, 'migrations.sum'), renderSum(history.migrations));
const files = history.migrations.flatMap((m) => upFiles(m).map((f) => join(m.dir, f)));
log(`history: ${N} migrations, ${files.length} phase files in ${root}`);

// ---- runs ---------------------------------------------------------------------------------------------------
const keikaku = async (url) => {
  const r = await runChild(process.execPath, [BIN, 'apply', '--database-url', url], { cwd: root, env: { ...process.env, DATABASE_URL: '' }, timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`keikaku apply failed (${r.code}): ${r.stderr}`);
  return r.ms;
};
/** The run alone, in this process: no process start-up, no CLI, the same stage the CLI calls. */
const inProcess = async (url) => {
  const db = await connectPg(url);
  try {
    const t0 = performance.now();
    const r = await runMigrations(db, { history: readHistory(generated), direction: 'up', timeouts: DEFAULT_TIMEOUTS, by: 'bench' });
    if (r.outcome !== 'done') throw new Error(`runMigrations: ${JSON.stringify(r)}`);
    return performance.now() - t0;
  } finally {
    await db.close();
  }
};
const timed = (fn) => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};
const schemaDump = (url) =>
  spawnSync('pg_dump', ['--schema-only', '--no-owner', '--exclude-schema=keikaku', '-d', url], { encoding: 'utf8' }).stdout.replace(/^(--|\\restrict|\\unrestrict).*$/gm, '').trim();

const results = { keikaku: [], inProcess: [], psqlOne: [], psqlEach: [], noop: [] };
let equal = true;
for (let rep = 1; rep <= REPS; rep++) {
  const a = freshDb();
  const b = freshDb();
  const c = freshDb();
  const d = freshDb();
  try {
    results.keikaku.push(await keikaku(a.url));
    results.inProcess.push(await inProcess(d.url));
    results.psqlOne.push(timed(() => psql(b.url, ...files.flatMap((f) => ['-f', f]))));
    results.psqlEach.push(timed(() => files.forEach((f) => psql(c.url, '-f', f))));
    results.noop.push(await keikaku(a.url));
    if (rep === 1) equal = schemaDump(a.url) === schemaDump(b.url);
    log(`rep ${rep}: keikaku ${results.keikaku.at(-1).toFixed(0)} ms, in-process ${results.inProcess.at(-1).toFixed(0)} ms, psql one session ${results.psqlOne.at(-1).toFixed(0)} ms, psql per file ${results.psqlEach.at(-1).toFixed(0)} ms, keikaku with nothing to do ${results.noop.at(-1).toFixed(0)} ms`);
  } finally {
    a.drop();
    b.drop();
    c.drop();
    d.drop();
  }
}

const row = (what, xs) => `| ${what} | ${median(xs).toFixed(0)} | ${min(xs).toFixed(0)} |`;
const overhead = median(results.keikaku) - median(results.psqlOne);
const stageOverhead = median(results.inProcess) - median(results.psqlOne);
const out = [
  `### apply: ${N} migrations (${files.length} phase files), ${REPS} runs each, new database each run`,
  '',
  `PostgreSQL ${psql(SERVER, '-At', '-c', 'SHOW server_version').trim()}, Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)}`,
  '',
  '| run | median ms | min ms |',
  '|---|---:|---:|',
  row('`keikaku apply` (whole process)', results.keikaku),
  row('keikaku apply stage in-process (`runMigrations`: lock, journal, checks, SQL)', results.inProcess),
  row('psql, one session, same files', results.psqlOne),
  row('psql, one process per file', results.psqlEach),
  row('`keikaku apply`, nothing to do', results.noop),
  '',
  `The \`keikaku apply\` process takes ${overhead.toFixed(0)} ms more than one psql session (${(overhead / N).toFixed(1)} ms per migration), of which ~${median(results.noop).toFixed(0)} ms is process start-up, connection and checks (the no-op run).`,
  `The apply stage itself (journal, lock, per-step timeouts, checks) takes ${Math.abs(stageOverhead).toFixed(0)} ms ${stageOverhead >= 0 ? 'more' : 'less'} than psql for the same SQL (${(Math.abs(stageOverhead) / N).toFixed(1)} ms per migration, ${Math.abs((100 * stageOverhead) / median(results.psqlOne)).toFixed(0)}%; within the scatter of single runs when small).`,
  `Schemas after keikaku and after psql are ${equal ? 'identical' : 'DIFFERENT'} (pg_dump --schema-only, schema keikaku excluded).`,
  '',
].join('\n');
process.stdout.write(out);
if (opts.keep) log(`kept ${root}`);
else rmSync(root, { recursive: true, force: true });
if (!equal) process.exitCode = 1;
