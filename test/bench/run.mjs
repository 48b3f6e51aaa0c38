/**
 * keikaku benchmark: `npm run bench` (= node --expose-gc test/bench/run.mjs).
 *
 * For each size N (default 1000 and 5000 tables): generates a schema A and a B with ~1% of the tables changed
 * (schema-gen.mjs), loads them into databases kkbench_<N>_a / kkbench_<N>_b (reused when their marker comment says
 * they hold exactly this SQL), then times, REPS times each:
 *   a. `node bin/keikaku.js diff --from A --to B --out DIR` as a child process (wall time, peak RSS),
 *   b. the raw catalog fetch: every src/introspect/sql/*.sql run as-is over `pg` on A then B, no decoding,
 *   c. `pg_dump --schema-only` of A then B.
 * Prints a markdown table and writes it to test/bench/results.md.
 *
 * Options:
 *   --sizes 1000,5000   sizes to run (alias: --only-sizes)
 *   --reps 3            repetitions per measurement (median and min reported)
 *   --rebuild           drop and reload the kkbench_* databases even when their marker matches
 *   --seed 20261127     PRNG seed of the generator
 *   --timeout 600       seconds allowed to one keikaku diff / pg_dump / raw fetch
 *   --profile           one extra diff per size under --cpu-prof; summary printed and written to results.md
 *   --no-stages         skip the in-process stage breakdown (read A, read B, diff, plan, render)
 *   --results FILE      where to write the report (default test/bench/results.md); --no-write to skip
 *   --keep              keep the temporary directory (generated SQL, diff output, dumps) and print its path
 *
 * Only databases named kkbench_<digits>_{a,b} are ever created, dropped or commented on. Connection settings come
 * from PGHOST / PGPORT / PGUSER / PGPASSWORD (defaults 127.0.0.1, 5432, postgres).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { GENERATOR_VERSION, generateModel, modelStats, mutateModel, renderSql } from './schema-gen.mjs';
import { killAllChildren, log, max, median, min, runChild, secs, summariseProfile, tail } from './util.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const SQL_DIR = join(ROOT, 'src', 'introspect', 'sql');
const TIME_BIN = '/usr/bin/time';

// ---------------------------------------------------------------------------------------------------------------
// Options and environment

const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string' },
    'only-sizes': { type: 'string' },
    reps: { type: 'string', default: '3' },
    rebuild: { type: 'boolean', default: false },
    seed: { type: 'string', default: '20261127' },
    timeout: { type: 'string', default: '600' },
    profile: { type: 'boolean', default: false },
    'no-stages': { type: 'boolean', default: false },
    results: { type: 'string', default: join(HERE, 'results.md') },
    'no-write': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0].replace(/^\/\*\*|^ \* ?/gm, '') + '\n');
  process.exit(0);
}
const SIZES = (opts.sizes ?? opts['only-sizes'] ?? '1000,5000').split(',').map((s) => {
  const n = Number(s.trim());
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new Error(`--sizes: not a table count: ${s}`);
  return n;
});
const REPS = Math.max(1, Number(opts.reps) | 0);
const SEED = Number(opts.seed) >>> 0;
const TIMEOUT_MS = Math.max(1, Number(opts.timeout)) * 1000;
const LOAD_TIMEOUT_MS = 60 * 60 * 1000;

const PG = {
  host: process.env.PGHOST || '127.0.0.1',
  port: process.env.PGPORT || '5432',
  user: process.env.PGUSER || 'postgres',
  password: process.env.PGPASSWORD,
};
const childEnv = { ...process.env, PGHOST: PG.host, PGPORT: PG.port, PGUSER: PG.user };
delete childEnv.PGDATABASE;
const dbUrl = (db) => {
  const auth = encodeURIComponent(PG.user) + (PG.password ? `:${encodeURIComponent(PG.password)}` : '');
  return PG.host.startsWith('/')
    ? `postgresql://${auth}@/${db}?host=${encodeURIComponent(PG.host)}&port=${PG.port}`
    : `postgresql://${auth}@${PG.host}:${PG.port}/${db}`;
};
const shownUrl = (db) => dbUrl(db).replace(/:[^:@/]*@/, (m) => (PG.password ? ':****@' : m));

const BENCH_DB = /^kkbench_[0-9]+_[ab]$/;
const benchDb = (n, side) => {
  const name = `kkbench_${n}_${side}`;
  if (!BENCH_DB.test(name)) throw new Error(`refusing to touch database ${name}`);
  return name;
};

const tmp = mkdtempSync(join(os.tmpdir(), 'kkbench-'));
let cleaned = false;
const cleanup = () => {
  if (cleaned) return;
  cleaned = true;
  killAllChildren();
  if (opts.keep) log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
};
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    log(`${sig}: stopping`);
    cleanup();
    process.exit(130);
  });
}

const newClient = (db) =>
  new pg.Client({
    connectionString: dbUrl(db),
    application_name: 'kkbench',
    connectionTimeoutMillis: 10_000,
    statement_timeout: TIMEOUT_MS,
    // the raw fetch keeps every value as the text the server sent: no decoding at all
    types: { getTypeParser: () => (v) => v },
  });

const withClient = async (db, fn) => {
  const c = newClient(db);
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
};

// ---------------------------------------------------------------------------------------------------------------
// Build

const build = async () => {
  const local = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const [cmd, args] = existsSync(local)
    ? [process.execPath, [local, '-p', 'tsconfig.json']]
    : ['npx', ['tsc', '-p', 'tsconfig.json']];
  log('building: tsc -p tsconfig.json');
  const r = await runChild(cmd, args, { cwd: ROOT, env: process.env, timeoutMs: 5 * 60_000 });
  const ok = r.code === 0;
  if (!ok) {
    log(`WARNING: tsc exited ${r.timedOut ? 'on timeout' : r.code}; dist/ may be partial or stale:`);
    process.stderr.write(tail(r.stdout + r.stderr, 12).replace(/^/gm, '    ') + '\n');
  }
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) log('WARNING: dist/cli/main.js is missing; keikaku diff will fail');
  return { ok, ms: r.ms, message: ok ? '' : tail(r.stdout + r.stderr, 3) };
};

// ---------------------------------------------------------------------------------------------------------------
// Databases

const sha = (text) => createHash('sha256').update(text).digest('hex').slice(0, 16);

const prepareSize = async (n) => {
  const a = generateModel(n, SEED);
  const { model: b, changes } = mutateModel(a, SEED);
  const sides = { a: renderSql(a, { label: `A of ${n}` }), b: renderSql(b, { label: `B of ${n}` }) };
  const todo = [];
  await withClient('postgres', async (admin) => {
    for (const side of ['a', 'b']) {
      const db = benchDb(n, side);
      const marker = `keikaku bench: generator v${GENERATOR_VERSION}, seed ${SEED}, ${n} tables, side ${side}, sql ${sha(sides[side])}`;
      const { rows } = await admin.query(
        `SELECT pg_catalog.shobj_description(oid, 'pg_database') AS marker FROM pg_catalog.pg_database WHERE datname = $1`,
        [db],
      );
      if (!opts.rebuild && rows[0]?.marker === marker) {
        log(`${db}: reusing (marker matches)`);
        continue;
      }
      log(`${db}: ${rows.length ? (opts.rebuild ? 'rebuilding (--rebuild)' : 'stale marker, rebuilding') : 'creating'}`);
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${db}`);
      const file = join(tmp, `${db}.sql`);
      writeFileSync(file, sides[side]);
      todo.push({ db, side, file, marker });
    }
  });
  if (todo.length) {
    const progress = Object.fromEntries(todo.map((t) => [t.side, 0]));
    let last = 0;
    const show = (force) => {
      if (!force && performance.now() - last < 3000) return;
      last = performance.now();
      log(`N=${n}: loading ${todo.map((t) => `${t.db} ${progress[t.side]}/${n}`).join(', ')}`);
    };
    const started = performance.now();
    const results = await Promise.all(
      todo.map((t) =>
        runChild('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', t.db, '-f', t.file], {
          env: childEnv,
          timeoutMs: LOAD_TIMEOUT_MS,
          onLine: (l) => {
            const m = l.match(/^kkbench-progress (\d+) (\d+)/);
            if (m) {
              progress[t.side] = Number(m[1]);
              show(false);
            }
          },
        }),
      ),
    );
    show(true);
    for (const [i, r] of results.entries()) {
      const t = todo[i];
      if (r.code !== 0) {
        throw new Error(`loading ${t.db} failed (${r.timedOut ? 'timeout' : `exit ${r.code}`}):\n${tail(r.stderr)}`);
      }
    }
    await withClient('postgres', async (admin) => {
      for (const t of todo) await admin.query(`COMMENT ON DATABASE ${t.db} IS ${admin.escapeLiteral(t.marker)}`);
    });
    log(`N=${n}: loaded ${todo.map((t) => t.db).join(' and ')} in ${secs(performance.now() - started, 1)} s`);
  }
  return { stats: modelStats(a), statsB: modelStats(b), intended: changes };
};

// ---------------------------------------------------------------------------------------------------------------
// a. keikaku diff as a child process

const haveTime = (() => {
  try {
    return statSync(TIME_BIN).isFile() && spawnSync(TIME_BIN, ['-f', '%e %M', 'true']).status === 0;
  } catch {
    return false;
  }
})();

const keikakuDiff = async (n, tag, extraArgs = [], nodeFlags = []) => {
  const out = join(tmp, `diff-${n}-${tag}`);
  const rssFile = join(tmp, `rss-${n}-${tag}.txt`);
  const stdoutFile = join(tmp, `stdout-${n}-${tag}.txt`);
  const cliArgs = ['bin/keikaku.js', 'diff', '--from', dbUrl(benchDb(n, 'a')), '--to', dbUrl(benchDb(n, 'b')), '--out', out, ...extraArgs];
  const [cmd, args, env] = haveTime
    ? [TIME_BIN, ['-f', '%e %M', '-o', rssFile, process.execPath, ...nodeFlags, ...cliArgs], childEnv]
    : [process.execPath, ['--import', pathToFileURL(join(HERE, 'maxrss-hook.mjs')).href, ...nodeFlags, ...cliArgs], { ...childEnv, KKBENCH_RSS_FILE: rssFile }];
  const r = await runChild(cmd, args, { cwd: ROOT, env, timeoutMs: TIMEOUT_MS, stdoutFile });
  let rssKb = NaN;
  if (existsSync(rssFile)) {
    const text = readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '';
    rssKb = Number(haveTime ? text.split(/\s+/)[1] : text);
  }
  const stdout = existsSync(stdoutFile) ? readFileSync(stdoutFile, 'utf8') : '';
  const ok = r.code === 0 && !r.timedOut;
  const failure = ok
    ? null
    : r.timedOut
      ? `timed out after ${TIMEOUT_MS / 1000} s`
      : `exit ${r.code ?? r.signal}: ${tail(r.stderr || String(r.error ?? ''), 4)}`;
  if (!opts.keep) rmSync(out, { recursive: true, force: true });
  return { ok, ms: r.ms, rssMb: rssKb / 1024, stdout, failure };
};

// ---------------------------------------------------------------------------------------------------------------
// b. raw catalog fetch: the introspection queries as keikaku issues them (src/introspect/index.ts, session.ts and
// load/source.ts: empty search_path, session.sql, every kind's query, restore-session.sql), minus the decoding.

const paramCount = (sql) => {
  const code = sql.replace(/--[^\n]*/g, '').replace(/'(?:[^']|'')*'/g, "''");
  let n = 0;
  for (const m of code.matchAll(/\$(\d+)\b/g)) n = Math.max(n, Number(m[1]));
  return n;
};

const catalogQueries = () => {
  const files = readdirSync(SQL_DIR).filter((f) => f.endsWith('.sql')).sort();
  const read = (f) => readFileSync(join(SQL_DIR, f), 'utf8');
  const special = new Set(['session.sql', 'restore-session.sql']);
  return {
    session: files.includes('session.sql') ? read('session.sql') : null,
    restore: files.includes('restore-session.sql') ? read('restore-session.sql') : null,
    // each kind's query gets the schema filter ($1 = null: every user schema), as introspect() passes it
    kinds: files.filter((f) => !special.has(f)).map((f) => {
      const sql = read(f);
      return { name: f.replace(/\.sql$/, ''), sql, params: Array(paramCount(sql)).fill(null) };
    }),
  };
};

const rawFetch = async (n) => {
  const queries = catalogQueries(); // read before the clock starts, as keikaku caches the texts
  const perQuery = {};
  let rows = 0;
  let bytes = 0;
  const started = performance.now();
  for (const side of ['a', 'b']) {
    await withClient(benchDb(n, side), async (c) => {
      await c.query("SELECT pg_catalog.set_config('search_path', '', false)");
      const session = queries.session ? (await c.query(queries.session)).rows[0] : null;
      for (const q of queries.kinds) {
        const t0 = performance.now();
        const r = await c.query(q.sql, q.params);
        perQuery[q.name] = (perQuery[q.name] ?? 0) + (performance.now() - t0);
        rows += r.rowCount ?? r.rows.length;
        for (const row of r.rows) for (const v of Object.values(row)) if (typeof v === 'string') bytes += v.length;
      }
      if (queries.restore) await c.query(queries.restore, [session?.search_path ?? '']);
    });
  }
  return { ms: performance.now() - started, perQuery, rows, bytes };
};

const withDeadline = (promise, ms, what) =>
  Promise.race([
    promise,
    new Promise((_, reject) => setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000} s`)), ms).unref()),
  ]);

// ---------------------------------------------------------------------------------------------------------------
// c. pg_dump --schema-only of A then B

const pgDump = async (n) => {
  const started = performance.now();
  for (const side of ['a', 'b']) {
    const db = benchDb(n, side);
    const file = join(tmp, `dump-${db}.sql`);
    const r = await runChild('pg_dump', ['--schema-only', '-d', db, '-f', file], { env: childEnv, timeoutMs: TIMEOUT_MS });
    rmSync(file, { force: true });
    if (r.code !== 0) return { ok: false, ms: NaN, failure: `pg_dump ${db}: ${r.timedOut ? 'timeout' : tail(r.stderr, 3)}` };
  }
  return { ok: true, ms: performance.now() - started };
};

// ---------------------------------------------------------------------------------------------------------------
// Stage breakdown, in process, from dist/ (internal API: reported as unavailable if it moved)

const stages = async (n) => {
  try {
    const source = await import(pathToFileURL(join(ROOT, 'dist', 'load', 'source.js')).href);
    const differ = await import(pathToFileURL(join(ROOT, 'dist', 'diff', 'index.js')).href);
    const planner = await import(pathToFileURL(join(ROOT, 'dist', 'plan', 'index.js')).href);
    const emit = await import(pathToFileURL(join(ROOT, 'dist', 'emit', 'script.js')).href);
    globalThis.gc?.();
    const t = [performance.now()];
    const from = await source.readSource(source.parseSource(dbUrl(benchDb(n, 'a')), '--from'), {});
    t.push(performance.now());
    const to = await source.readSource(source.parseSource(dbUrl(benchDb(n, 'b')), '--to'), {});
    t.push(performance.now());
    const result = differ.diff(from, to, []);
    t.push(performance.now());
    const { steps } = planner.plan(result);
    t.push(performance.now());
    emit.renderScript(steps, 'up', []);
    emit.renderScript(steps, 'down', []);
    t.push(performance.now());
    const d = (i) => t[i + 1] - t[i];
    return { ok: true, readA: d(0), readB: d(1), diff: d(2), plan: d(3), render: d(4), steps: steps.length };
  } catch (e) {
    return { ok: false, failure: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
};

// ---------------------------------------------------------------------------------------------------------------
// Main

const machine = () => {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout?.trim() || String(os.availableParallelism?.() ?? os.cpus().length);
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() || 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src', 'bin'], { cwd: ROOT, encoding: 'utf8' }).stdout?.trim();
  return { cpu, nproc, memGb: (os.totalmem() / 2 ** 30).toFixed(1), node: process.version, git: git + (dirty ? ' + uncommitted changes in src/' : '') };
};

const results = [];
const loadAvg = { start: NaN, max: 0 };
const sampleLoad = () => (loadAvg.max = Math.max(loadAvg.max, os.loadavg()[0]));
let serverVersion = 'unknown';
let pgDumpVersion = 'unknown';

const main = async () => {
  const started = performance.now();
  log(`sizes ${SIZES.join(', ')}, ${REPS} repetition(s), seed ${SEED}; temp dir ${tmp}`);
  log(haveTime ? `peak RSS via ${TIME_BIN}` : `NOTE: ${TIME_BIN} not found (apt package "time"); peak RSS via process.resourceUsage() in the child`);
  loadAvg.start = os.loadavg()[0];
  if (loadAvg.start > 1) log(`NOTE: 1-min load average is ${loadAvg.start.toFixed(2)} on ${os.cpus().length} CPU(s): other processes compete, figures will be noisy`);
  const built = await build();
  serverVersion = await withClient('postgres', async (c) => (await c.query('SHOW server_version')).rows[0].server_version);
  pgDumpVersion = spawnSync('pg_dump', ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? 'unknown';
  for (const n of SIZES) {
    const res = { n, diff: [], rss: [], raw: [], dump: [], failures: [] };
    results.push(res);
    const prep = await prepareSize(n);
    Object.assign(res, prep);

    // warm-up (untimed): the changes count, with --format json
    log(`N=${n}: keikaku diff --format json (warm-up, counts changes)`);
    const first = await keikakuDiff(n, 'json', ['--format', 'json']);
    if (first.ok) {
      try {
        res.changes = JSON.parse(first.stdout).changes.length;
      } catch (e) {
        res.failures.push(`diff --format json printed no parsable JSON: ${String(e).slice(0, 200)}`);
      }
    } else {
      res.failures.push(`keikaku diff failed: ${first.failure}`);
      log(`N=${n}: keikaku diff FAILED: ${first.failure}`);
    }
    await rawFetch(n).catch(() => undefined); // warm-up of the catalog caches of both databases

    for (let rep = 1; rep <= REPS; rep++) {
      sampleLoad();
      if (first.ok) {
        const d = await keikakuDiff(n, `rep${rep}`);
        if (d.ok) {
          res.diff.push(d.ms);
          if (Number.isFinite(d.rssMb)) res.rss.push(d.rssMb);
        } else res.failures.push(`keikaku diff (rep ${rep}) failed: ${d.failure}`);
        log(`N=${n} rep ${rep}: keikaku diff ${d.ok ? `${secs(d.ms)} s, peak RSS ${d.rssMb.toFixed(0)} MB` : `FAILED: ${d.failure}`}`);
      }
      try {
        const r = await withDeadline(rawFetch(n), TIMEOUT_MS, 'raw catalog fetch');
        res.raw.push(r.ms);
        res.perQuery = res.perQuery ?? [];
        res.perQuery.push(r.perQuery);
        res.rawRows = r.rows;
        res.rawBytes = r.bytes;
        log(`N=${n} rep ${rep}: raw catalog fetch ${secs(r.ms)} s (${r.rows} rows, ${(r.bytes / 2 ** 20).toFixed(1)} MB of text)`);
      } catch (e) {
        res.failures.push(`raw catalog fetch failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      const p = await pgDump(n);
      if (p.ok) res.dump.push(p.ms);
      else res.failures.push(p.failure);
      log(`N=${n} rep ${rep}: pg_dump --schema-only x2 ${p.ok ? `${secs(p.ms)} s` : `FAILED: ${p.failure}`}`);
    }

    if (!opts['no-stages'] && first.ok) {
      res.stages = await withDeadline(stages(n), TIMEOUT_MS, 'stage breakdown').catch((e) => ({ ok: false, failure: String(e) }));
      if (res.stages.ok) {
        const s = res.stages;
        log(`N=${n}: stages: read A ${secs(s.readA)} s, read B ${secs(s.readB)} s, diff ${secs(s.diff)} s, plan ${secs(s.plan)} s, render ${secs(s.render)} s`);
      } else log(`N=${n}: stage breakdown unavailable: ${res.stages.failure}`);
    }
    if (opts.profile && first.ok) {
      const dir = join(tmp, `prof-${n}`);
      mkdirSync(dir, { recursive: true });
      const d = await keikakuDiff(n, 'prof', [], ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
      const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
      if (d.ok && file) {
        res.profile = summariseProfile(join(dir, file));
        if (opts.keep) log(`profile: ${join(dir, file)}`);
      } else log(`N=${n}: profiling run failed: ${d.failure ?? 'no .cpuprofile written'}`);
    }
  }
  const report = renderReport(built, performance.now() - started);
  process.stdout.write(report);
  if (!opts['no-write']) {
    writeFileSync(opts.results, report);
    log(`wrote ${relative(process.cwd(), opts.results) || opts.results}`);
  }
  return results.some((r) => r.failures.length) ? 1 : 0;
};

// ---------------------------------------------------------------------------------------------------------------
// Report

const fmt = (xs, digits = 2) => (xs.length ? `${secs(median(xs), digits)} (min ${secs(min(xs), digits)})` : 'failed');

const renderReport = (built, totalMs) => {
  const m = machine();
  const args = process.argv.slice(2);
  const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
  const lines = [
    '# keikaku benchmark',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${m.nproc} CPU(s) (nproc), ${m.cpu}, ${m.memGb} GiB RAM, ${os.type()} ${os.release()}`,
    `- PostgreSQL server ${serverVersion} at ${PG.host}:${PG.port}; ${pgDumpVersion}`,
    `- Node ${m.node}; keikaku at ${m.git}${built.ok ? '' : `; **tsc reported errors** (dist/ emitted anyway): ${built.message.split('\n')[0]}`}`,
    `- Reproduce: \`${command}\` (${REPS} repetitions, seed ${SEED}, generator v${GENERATOR_VERSION}); \`--rebuild\` reloads the databases`,
    `- 1-min load average: ${loadAvg.start.toFixed(2)} at start, up to ${Math.max(loadAvg.max, os.loadavg()[0]).toFixed(2)} during the measurements` +
      ' (anything above ~0.5 means other processes shared the CPUs and the figures are noisy)',
    `- Peak RSS measured with ${haveTime ? '`/usr/bin/time -f %M`' : 'process.resourceUsage().maxRSS in the child'}; total bench time ${secs(totalMs, 0)} s`,
    '',
    'Times in seconds: median of the repetitions (min in brackets). "raw catalog fetch" runs every',
    '`src/introspect/sql/*.sql` over `pg` on both databases, one after the other, with no decoding (connect included).',
    '',
    '| N tables | keikaku diff median s | raw catalog fetch (both DBs) median s | ratio diff/raw | pg_dump --schema-only both median s | keikaku peak RSS MB | changes found |',
    '|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    const ratio = r.diff.length && r.raw.length ? `${(median(r.diff) / median(r.raw)).toFixed(2)}×` : 'n/a';
    const changes = r.changes ?? (r.failures.length ? 'failed' : 'n/a');
    lines.push(
      `| ${r.n.toLocaleString('en-US')} | ${fmt(r.diff)} | ${fmt(r.raw)} | ${ratio} | ${fmt(r.dump)} | ${r.rss.length ? max(r.rss).toFixed(0) : 'n/a'} | ${changes} (${r.intended?.length ?? '?'} edits made) |`,
    );
  }
  lines.push('');
  const big = results.find((r) => r.n === 5000) ?? results.at(-1);
  if (big) {
    const d = median(big.diff);
    const raw = median(big.raw);
    const rss = max(big.rss);
    const verdict = (ok) => (Number.isFinite(ok) || typeof ok === 'boolean' ? (ok ? '**met**' : '**missed**') : 'n/a');
    lines.push(`Targets (N=${big.n.toLocaleString('en-US')}${big.n === 5000 ? '' : '; the targets are set for N=5,000'}):`, '');
    lines.push(`- diff within 2× the raw catalog fetch: ${big.diff.length && big.raw.length ? `${(d / raw).toFixed(2)}× → ${verdict(d <= 2 * raw)}` : 'n/a'}`);
    lines.push(`- diff under 10 s: ${big.diff.length ? `${secs(d)} s → ${verdict(d < 10_000)}` : 'n/a'}`);
    lines.push(`- peak RSS under 500 MB: ${big.rss.length ? `${rss.toFixed(0)} MB → ${verdict(rss < 500)}` : 'n/a'}`);
    lines.push('');
  }
  const failures = results.flatMap((r) => r.failures.map((f) => `- N=${r.n}: ${f.replace(/\n/g, ' ⏎ ')}`));
  if (failures.length) lines.push('## Failures', '', ...[...new Set(failures)], '');

  const withStages = results.filter((r) => r.stages?.ok);
  if (withStages.length) {
    lines.push(
      '## Where keikaku diff spends its time (one in-process run from dist/, reading A then B one after the other)',
      '',
      '| N tables | read A (connect + introspect) s | read B s | diff s | plan s | render up+down s |',
      '|---:|---:|---:|---:|---:|---:|',
      ...withStages.map((r) => {
        const s = r.stages;
        return `| ${r.n.toLocaleString('en-US')} | ${secs(s.readA)} | ${secs(s.readB)} | ${secs(s.diff)} | ${secs(s.plan)} | ${secs(s.render)} |`;
      }),
      '',
    );
  }
  const withQueries = results.filter((r) => r.perQuery?.length);
  if (withQueries.length) {
    const names = Object.keys(withQueries[0].perQuery[0]);
    lines.push(
      '## Raw catalog fetch per query (both databases, median ms)',
      '',
      `| query | ${withQueries.map((r) => `N=${r.n.toLocaleString('en-US')}`).join(' | ')} |`,
      `|---|${withQueries.map(() => '---:').join('|')}|`,
      ...names.map((q) => `| ${q}.sql | ${withQueries.map((r) => median(r.perQuery.map((p) => p[q] ?? NaN)).toFixed(0)).join(' | ')} |`),
      `| rows / text fetched | ${withQueries.map((r) => `${r.rawRows} / ${(r.rawBytes / 2 ** 20).toFixed(1)} MB`).join(' | ')} |`,
      '',
    );
  }
  for (const r of results.filter((x) => x.profile)) {
    const p = r.profile;
    lines.push(
      `## CPU profile of one keikaku diff, N=${r.n.toLocaleString('en-US')} (--cpu-prof, ${secs(p.totalMs)} s sampled)`,
      '',
      '| self time by group | ms | % |',
      '|---|---:|---:|',
      ...p.groups.map((g) => `| ${g.name} | ${g.ms.toFixed(0)} | ${g.pct.toFixed(1)} |`),
      '',
      '| top functions by self time | ms | % |',
      '|---|---:|---:|',
      ...p.functions.slice(0, 12).map((f) => `| \`${f.name}\` | ${f.ms.toFixed(0)} | ${f.pct.toFixed(1)} |`),
      '',
    );
  }
  lines.push('## Schemas', '');
  for (const r of results) {
    if (!r.stats) continue;
    const s = r.stats;
    lines.push(
      `- N=${r.n.toLocaleString('en-US')}: ${s.tables} tables in public/billing/audit, ${s.columns} columns, ${s.indexes} indexes (PKs included), ` +
        `${s.foreignKeys} FKs, ${s.checks} checks, ${s.views} views, ${s.functions} functions + triggers, ${s.enums} enums, ${s.sequences} sequences. ` +
        `B differs by ${r.intended.length} edits: ${summariseEdits(r.intended)}.`,
    );
  }
  return lines.join('\n') + '\n';
};

const summariseEdits = (edits) => {
  const counts = new Map();
  for (const e of edits) {
    const k = e.split(':')[0];
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].map(([k, c]) => `${c}× ${k}`).join(', ');
};

main().then(
  (code) => {
    cleanup();
    process.exitCode = code;
  },
  (e) => {
    log(`FATAL: ${e instanceof Error ? e.stack : String(e)}`);
    cleanup();
    process.exitCode = 1;
  },
);
