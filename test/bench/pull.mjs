/**
 * keikaku `pull` benchmark: `npm run bench:pull` (= node test/bench/pull.mjs).
 *
 * Loads the 1,000-table benchmark schema (schema-gen.mjs, version A: three Postgres schemas, enums, sequences,
 * views, trigger functions and triggers, comments) into the database kkbench_<N>_a on the local server (reused
 * when its marker comment matches, as test/bench/run.mjs does), then runs `node bin/keikaku.js pull` as a child
 * process into an empty project (test/.tmp-bench-pull-*, inside the repository so `import … from 'keikaku'`
 * resolves to dist/ by package self-reference):
 *   1. cold: an empty schema directory; every file is created;
 *   2. again, unchanged database: must change no file (checked byte for byte);
 *   3. `tsc --noEmit` over the pulled files (strict), which must pass.
 * Target (the issue): pull of 1,000 tables under 10 s; the result type-checks.
 *
 * Options: --tables 1000, --seed 20261127, --reps 3 (runs of the unchanged pull; median reported), --keep.
 * Run `npm run build` first (the CLI runs from dist/). Connection settings: PGHOST, PGPORT, PGUSER, PGPASSWORD.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { GENERATOR_VERSION, generateModel, modelStats, renderSql } from './schema-gen.mjs';
import { killAllChildren, log, median, runChild, secs, tail } from './util.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const BIN = join(ROOT, 'bin', 'keikaku.js');

const { values: opts } = parseArgs({
  options: {
    tables: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '20261127' },
    reps: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(opts.tables);
const SEED = Number(opts.seed) >>> 0;
const REPS = Math.max(1, Number(opts.reps) | 0);

const PG = { host: process.env.PGHOST || '127.0.0.1', port: process.env.PGPORT || '5432', user: process.env.PGUSER || 'postgres', password: process.env.PGPASSWORD };
const dbUrl = (db) =>
  `postgresql://${encodeURIComponent(PG.user)}${PG.password ? `:${encodeURIComponent(PG.password)}` : ''}@${PG.host}:${PG.port}/${db}`;
const childEnv = { ...process.env, PGHOST: PG.host, PGPORT: PG.port, PGUSER: PG.user };
delete childEnv.PGDATABASE;
delete childEnv.DATABASE_URL;

const DB = `kkbench_${N}_a`;
if (!/^kkbench_[0-9]+_a$/.test(DB)) throw new Error(`refusing to touch database ${DB}`);
const sha = (text) => createHash('sha256').update(text).digest('hex').slice(0, 16);

const prepare = async () => {
  const model = generateModel(N, SEED);
  const sql = renderSql(model, { label: `A of ${N}` });
  const marker = `keikaku bench: generator v${GENERATOR_VERSION}, seed ${SEED}, ${N} tables, side a, sql ${sha(sql)}`;
  const admin = new pg.Client({ connectionString: dbUrl('postgres') });
  await admin.connect();
  try {
    const { rows } = await admin.query(`SELECT pg_catalog.shobj_description(oid, 'pg_database') AS marker FROM pg_catalog.pg_database WHERE datname = $1`, [DB]);
    if (rows[0]?.marker === marker) {
      log(`${DB}: reusing (marker matches)`);
      return modelStats(model);
    }
    log(`${DB}: ${rows.length ? 'stale marker, rebuilding' : 'creating'}`);
    await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DB}`);
    const dir = mkdtempSync(join(ROOT, 'test', '.tmp-bench-pull-sql-'));
    const file = join(dir, 'a.sql');
    writeFileSync(file, sql);
    const r = await runChild('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', DB, '-f', file], { env: childEnv, timeoutMs: 60 * 60_000 });
    rmSync(dir, { recursive: true, force: true });
    if (r.code !== 0) throw new Error(`loading ${DB} failed:\n${tail(r.stderr)}`);
    await admin.query(`COMMENT ON DATABASE ${DB} IS ${admin.escapeLiteral(marker)}`);
    log(`${DB}: loaded in ${secs(r.ms, 1)} s`);
    return modelStats(model);
  } finally {
    await admin.end();
  }
};

const files = (dir) => {
  const out = new Map();
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
};

const TIME_BIN = '/usr/bin/time';
const haveTime = existsSync(TIME_BIN);

/** One `keikaku pull` as a child process: wall time, CPU time (user + sys, when /usr/bin/time is there), peak RSS. */
const pullOnce = async (project) => {
  const args = [BIN, 'pull', '--database-url', dbUrl(DB), '--out', 'schema', '--no-baseline', '--format', 'json'];
  const timeFile = join(project, '.time');
  const [cmd, argv] = haveTime ? [TIME_BIN, ['-f', '%e %U %S %M', '-o', timeFile, process.execPath, ...args]] : [process.execPath, args];
  const r = await runChild(cmd, argv, { cwd: project, env: childEnv, timeoutMs: 300_000, keep: 256 * 1024 * 1024 });
  if (r.code !== 0) throw new Error(`pull exited ${r.code}:\n${tail(r.stderr + r.stdout)}`);
  const t = haveTime ? readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number) : [];
  return { ms: r.ms, cpuMs: haveTime ? (t[1] + t[2]) * 1000 : NaN, rssMb: haveTime ? t[3] / 1024 : NaN, load: os.loadavg()[0], report: JSON.parse(r.stdout) };
};

const project = mkdtempSync(join(ROOT, 'test', '.tmp-bench-pull-'));
process.on('exit', () => {
  rmSync(join(project, '.time'), { force: true });
  killAllChildren();
  if (!opts.keep) rmSync(project, { recursive: true, force: true });
  else log(`kept ${project}`);
});

const stats = await prepare();
mkdirSync(join(project, 'schema'));
log(`pull of ${DB} into an empty schema/ (cold)`);
const cold = await pullOnce(project);
const first = files(join(project, 'schema'));
const lines = [...first.values()].reduce((n, t) => n + t.split('\n').length - 1, 0);
const bytes = [...first.values()].reduce((n, t) => n + Buffer.byteLength(t), 0);
const again = [];
for (let i = 0; i < REPS; i++) {
  log(`pull again, database unchanged (${i + 1}/${REPS})`);
  again.push(await pullOnce(project));
}
const second = files(join(project, 'schema'));
const identical = first.size === second.size && [...first].every(([f, t]) => second.get(f) === t);
const changedReported = again.flatMap((a) => a.report.files.filter((f) => f.status !== 'unchanged'));

writeFileSync(
  join(project, 'tsconfig.json'),
  `${JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] }, include: ['schema/**/*.ts'] }, null, 2)}\n`,
);
log('tsc --noEmit over the pulled files');
const tsc = await runChild(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: project, env: childEnv, timeoutMs: 600_000 });

const ok = cold.ms < 10_000 && identical && changedReported.length === 0 && tsc.code === 0;
const report = [
  `## keikaku pull: ${N} tables (${DB})`,
  '',
  `database: ${stats.tables ?? N} tables, ${JSON.stringify(stats)}`,
  '',
  '| what | result |',
  '|---|---|',
  `| pull, empty schema/ (cold): wall time of the child process | ${secs(cold.ms)} s (target < 10 s: ${cold.ms < 10_000 ? 'met' : 'MISSED'}) |`,
  `| … its CPU time (user + sys), peak RSS | ${secs(cold.cpuMs)} s, ${cold.rssMb.toFixed(0)} MB |`,
  `| pull again, unchanged database (median of ${REPS}): wall, CPU | ${secs(median(again.map((a) => a.ms)))} s, ${secs(median(again.map((a) => a.cpuMs)))} s |`,
  `| machine load (1-min average, ${os.cpus().length} cores) | ${[cold, ...again].map((a) => a.load.toFixed(1)).join(', ')} |`,
  `| files written | ${first.size} files, ${lines} lines, ${(bytes / 1024).toFixed(0)} KiB |`,
  `| declarations | ${Object.entries(cold.report.counts).map(([k, v]) => `${v} ${k}`).join(', ')} |`,
  `| second pull byte-identical | ${identical && changedReported.length === 0 ? 'yes' : `NO (${changedReported.map((f) => f.file).join(', ')})`} |`,
  `| tsc --noEmit (strict) | ${tsc.code === 0 ? 'passes' : 'FAILS'} in ${secs(tsc.ms)} s |`,
  `| notes (not expressible) | ${cold.report.notes.length} |`,
  '',
];
if (tsc.code !== 0) report.push('```', tail(tsc.stdout + tsc.stderr, 20), '```', '');
process.stdout.write(`${report.join('\n')}\n`);
process.exitCode = ok ? 0 : 1;
