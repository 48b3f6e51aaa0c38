/**
 * What a long migration history costs: `npm run bench:history` (= node test/bench/history.mjs).
 *
 * The schema of test/bench/bench-schema.mjs (default 1,000 tables) gets a first migration (`generate initial`),
 * then grows its history to --migrations M (default 300): each further migration adds one nullable column to
 * one table — written by hand (`generate --empty`, then `rehash`) up to M-1, the last one by `generate` — all in
 * one process through keikaku/api, to keep the set-up to minutes. The two histories (1 migration, M migrations) are then timed on the same edit —
 * one column widened, varchar(40) → varchar(80) — with `node bin/keikaku.js` as a child process:
 *
 *   - the edit loop: `generate`, the cache as the last generate left it;
 *   - a fresh clone: `generate` with node_modules/.cache/keikaku removed (what CI or a new checkout runs);
 *   - `verify` once per history (every migration replayed up → down → up: what CI pays, not the edit loop).
 *
 * The target (issue 16): the edit loop and the fresh clone with M migrations within 10% of their time with one.
 * The grown project is kept in the OS temporary directory, keyed by the options, and reused by the next run
 * (--fresh makes it again). Prints markdown; writes test/bench/history-results.md (gitignored).
 *
 * Options: --tables 1000  --per-file 50  --migrations 300  --reps 3  --seed 20261127
 *          --timeout 1800 (seconds per CLI run)  --no-verify  --fresh  --keep
 *
 * `historyBench(options)` and `historyReport(result)` are exported: `npm run bench:generate -- --history 300` puts
 * the same rows in its report (without verify).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { benchSchema, fileName } from './bench-schema.mjs';
import { killAllChildren, log, median, min, runChild, runMeasured, secs, tail } from './util.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const BIN = join(ROOT, 'bin', 'keikaku.js');

const at = (k) => new Date(Date.parse('2026-11-27T00:00:00Z') + k * 60_000).toISOString();
const CACHE = ['node_modules', '.cache', 'keikaku'];
const migrationCount = (dir) => readdirSync(join(dir, 'generated', 'migrations')).length;
const stats = (runs) => ({ median: median(runs.map((r) => r.ms)), min: min(runs.map((r) => r.ms)), rss: Math.max(...runs.map((r) => r.rssMiB)), n: runs.length });

/**
 * The benchmark: the two projects (1 migration, `migrations` migrations; made, or reused from the OS temporary
 * directory), the same edit timed on each. Resolves with `{ tables, perFile, migrations, reps, setupMs, one, many }`
 * (`one` and `many`: rows `{ run, median, min, rss, n }`). Its working copies live in test/.tmp-bench-history-*
 * and are removed when it ends unless `keep`.
 */
export const historyBench = async ({
  tables: N = 1000,
  perFile: PER_FILE = 50,
  migrations: M = 300,
  reps: REPS = 3,
  seed: SEED = 20261127,
  timeoutMs: TIMEOUT_MS = 1_800_000,
  verify = true,
  fresh = false,
  keep = false,
} = {}) => {
  if (!Number.isInteger(N) || N < 2) throw new Error(`history: not a table count: ${N}`);
  if (!Number.isInteger(M) || M < 2) throw new Error(`history: at least 2 migrations: ${M}`);
  if (!existsSync(join(ROOT, 'dist', 'api.js'))) throw new Error('dist/ is missing: run `npm run build` first');

  const schema = benchSchema({ tables: N, perFile: PER_FILE, seed: SEED });
  /** Migration k (2…M) adds a column to table `grownTable(k)`: spread over the files, never the edited table. */
  const grownTable = (k) => {
    const i = (k * 7919) % N;
    return i === schema.changedIndex ? (i + 1) % N : i;
  };
  const extraAfter = (m) => {
    const extra = new Map();
    for (let k = 2; k <= m; k++) extra.set(grownTable(k), (extra.get(grownTable(k)) ?? 0) + 1);
    return extra;
  };

  // -------------------------------------------------------------------------------------------------------------
  // The projects: one migration, and M migrations (kept between runs)

  const store = join(os.tmpdir(), `keikaku-bench-history-${N}-${PER_FILE}-${SEED}-${M}`);
  const work = mkdtempSync(join(ROOT, 'test', '.tmp-bench-history-'));
  const removeWork = () => {
    if (keep) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  };
  process.on('exit', removeWork);

  /** `node bin/keikaku.js …` in `dir`: wall time, peak RSS (MiB), output. Throws on a non-zero exit. */
  const cli = (dir, args, { now, expectCode = 0 } = {}) =>
    runMeasured('keikaku', BIN, args, { cwd: dir, env: now ? { KEIKAKU_NOW: now } : {}, timeoutMs: TIMEOUT_MS, expectCode });

  const writeSchema = (dir, files) => {
    for (const [name, text] of files) writeFileSync(join(dir, 'schema', name), text);
  };

  /**
   * Grows the history to M migrations in one child process through keikaku/api: migrations 2…M-1 written by hand
   * (`generate --empty`, one `ALTER TABLE … ADD COLUMN` each, as a team's hand-written migrations; schema/ gains the
   * column too), each signed by `rehash`; migration M by `generate`, as the edit loop leaves a project (its caches
   * and generated/ as after any generate).
   */
  const grow = async (dir) => {
    const steps = [];
    for (let k = 2; k < M; k++) {
      const t = schema.tables[grownTable(k)];
      const column = `extra${extraAfter(k).get(grownTable(k))}`; // the DSL names `extra1: integer()` extra1
      steps.push({ k, now: at(k), up: `ALTER TABLE public.${t.name} ADD COLUMN ${column} integer;\n`, down: `ALTER TABLE public.${t.name} DROP COLUMN ${column};\n` });
    }
    const last = fileName(schema.tables[grownTable(M)].file);
    const job = { steps, files: [...schema.files({ extra: extraAfter(M - 1) })], last: { file: last, text: schema.files({ extra: extraAfter(M) }).get(last), now: at(M) } };
    const jobFile = join(work, 'grow.json');
    writeFileSync(jobFile, JSON.stringify(job));
    const code = `
      const { appendFileSync, readFileSync, writeFileSync } = await import('node:fs');
      const api = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'api.js')).href)});
      const root = ${JSON.stringify(dir)};
      const job = JSON.parse(readFileSync(${JSON.stringify(jobFile)}, 'utf8'));
      for (const s of job.steps) {
        const m = await api.generateEmpty({ root, name: 'step_' + s.k, now: new Date(s.now) });
        appendFileSync(m.dir + '/1_expand.up.sql', 'BEGIN;\\n' + s.up + 'COMMIT;\\n');
        appendFileSync(m.dir + '/1_expand.down.sql', 'BEGIN;\\n' + s.down + 'COMMIT;\\n');
        await api.rehash({ root });
      }
      for (const [name, text] of job.files) writeFileSync(root + '/schema/' + name, text);
      writeFileSync(root + '/schema/' + job.last.file, job.last.text);
      await api.generate({ root, name: 'step_' + ${M}, now: new Date(job.last.now) });`;
    const r = await runChild(process.execPath, ['--input-type=module', '-e', code], { cwd: dir, env: process.env, timeoutMs: TIMEOUT_MS });
    rmSync(jobFile, { force: true });
    if (r.code !== 0) throw new Error(`growing the history failed: ${r.error?.message ?? ''}\n${tail(r.stdout + r.stderr, 20)}`);
  };

  const prepare = async () => {
    const one = join(store, 'one');
    const many = join(store, 'many');
    if (!fresh && existsSync(join(store, 'done')) && migrationCount(many) === M) {
      log(`reusing ${store}`);
      return { one, many, setupMs: null };
    }
    rmSync(store, { recursive: true, force: true });
    mkdirSync(store, { recursive: true });
    const t0 = performance.now();
    // The project is made inside the repository (schema files import `keikaku` = this package by self-reference),
    // then copied into the store.
    const make = join(work, 'make');
    mkdirSync(make);
    await cli(make, ['init']);
    rmSync(join(make, 'schema', 'accounts.ts'), { force: true }); // init's example
    writeSchema(make, schema.files());
    log(`generate initial (${N} tables)`);
    await cli(make, ['generate', 'initial'], { now: at(1) });
    cpSync(make, one, { recursive: true });
    log(`growing the history to ${M} migrations`);
    await grow(make);
    if (migrationCount(make) !== M) throw new Error(`expected ${M} migrations, found ${migrationCount(make)}`);
    cpSync(make, many, { recursive: true });
    writeFileSync(join(store, 'done'), '');
    return { one, many, setupMs: performance.now() - t0 };
  };

  // -------------------------------------------------------------------------------------------------------------
  // The measurements

  /** A copy of a stored project under `work` (schema/, generated/, the cache) to run in. */
  const checkout = (from, name) => {
    const dir = join(work, name);
    rmSync(dir, { recursive: true, force: true });
    for (const e of readdirSync(from)) if (e !== 'node_modules') cpSync(join(from, e), join(dir, e), { recursive: true });
    if (existsSync(join(from, ...CACHE))) cpSync(join(from, ...CACHE), join(dir, ...CACHE), { recursive: true });
    return dir;
  };

  const measure = async (label, from, migrations) => {
    const rows = [];
    const edit = async (dir) => writeSchema(dir, schema.files({ changed: true, extra: extraAfter(migrations) }));
    const runs = { edit: [], fresh: [] };
    for (let r = 0; r < REPS; r++) {
      const dir = checkout(from, `${label}-edit-${r}`);
      await edit(dir);
      log(`history ${label}: generate, the edit loop (${r + 1}/${REPS})`);
      runs.edit.push(await cli(dir, ['generate', 'change_one'], { now: at(M + 10) }));
      const clone = checkout(from, `${label}-fresh-${r}`);
      rmSync(join(clone, ...CACHE), { recursive: true, force: true });
      await edit(clone);
      log(`history ${label}: generate, a fresh clone (${r + 1}/${REPS})`);
      runs.fresh.push(await cli(clone, ['generate', 'change_one'], { now: at(M + 10) }));
      const a = readFileSync(join(dir, 'generated', 'schema.sql'), 'utf8');
      const b = readFileSync(join(clone, 'generated', 'schema.sql'), 'utf8');
      if (a !== b) throw new Error(`${label}: the edit loop and the fresh clone wrote different schema.sql`);
      rmSync(dir, { recursive: true, force: true });
      rmSync(clone, { recursive: true, force: true });
    }
    rows.push({ run: 'generate, the edit loop', ...stats(runs.edit) });
    rows.push({ run: 'generate, a fresh clone', ...stats(runs.fresh) });
    if (verify) {
      const dir = checkout(from, `${label}-verify`);
      log(`history ${label}: verify (every migration up → down → up)`);
      rows.push({ run: 'verify (replays the whole history)', ...stats([await cli(dir, ['verify'])]) });
    }
    return rows;
  };

  try {
    const { one, many, setupMs } = await prepare();
    return { tables: N, perFile: PER_FILE, migrations: M, reps: REPS, setupMs, one: await measure('one', one, 1), many: await measure('many', many, M) };
  } finally {
    process.off('exit', removeWork);
    removeWork();
  }
};

/** The report's table of a `historyBench` result: markdown lines, under a heading of `level` #s. */
export const historyReport = (h, { level = 2 } = {}) => [
  `${'#'.repeat(level)} A long history: 1 migration against ${h.migrations}`,
  '',
  `schema/: ${h.tables} tables in files of ${h.perFile}; the history: \`initial\`, then ${h.migrations - 1} migrations of one added column each` +
    (h.setupMs === null ? ' (reused from an earlier run)' : ` (made in ${secs(h.setupMs, 0)} s)`) +
    `. The edit: one column widened. Median and min of ${h.reps}; \`node bin/keikaku.js\` as a child process; both runs checked to write the same schema.sql.`,
  '',
  `| run | 1 migration | ${h.migrations} migrations | ratio | peak RSS (1) | peak RSS (${h.migrations}) |`,
  '|---|---:|---:|---:|---:|---:|',
  ...h.one.map((row, i) => {
    const other = h.many[i];
    return `| ${row.run} | ${secs(row.median)} s (min ${secs(row.min)}) | ${secs(other.median)} s (min ${secs(other.min)}) | ${(other.median / row.median).toFixed(2)}× | ${row.rss.toFixed(0)} MiB | ${other.rss.toFixed(0)} MiB |`;
  }),
];

// ---------------------------------------------------------------------------------------------------------------
// `npm run bench:history`

const main = async () => {
  const { values: opts } = parseArgs({
    options: {
      tables: { type: 'string', default: '1000' },
      'per-file': { type: 'string', default: '50' },
      migrations: { type: 'string', default: '300' },
      reps: { type: 'string', default: '3' },
      seed: { type: 'string', default: '20261127' },
      timeout: { type: 'string', default: '1800' },
      'no-verify': { type: 'boolean', default: false },
      fresh: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (opts.help) {
    process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0].replace(/^\/\*\*|^ \* ?/gm, '') + '\n');
    return;
  }
  process.on('exit', killAllChildren);
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));
  const started = performance.now();
  const h = await historyBench({
    tables: Number(opts.tables),
    perFile: Number(opts['per-file']),
    migrations: Number(opts.migrations),
    reps: Math.max(1, Number(opts.reps) | 0),
    seed: Number(opts.seed) >>> 0,
    timeoutMs: Math.max(1, Number(opts.timeout)) * 1000,
    verify: !opts['no-verify'],
    fresh: opts.fresh,
    keep: opts.keep,
  });
  const load = os.loadavg().map((x) => x.toFixed(1)).join(' / ');
  const lines = [
    `# keikaku history benchmark`,
    '',
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model.split(' ').slice(0, 2).join(' ')} · load average at the end ${load}`,
    '',
    ...historyReport(h),
    '',
    `Total benchmark time ${secs(performance.now() - started, 0)} s.`,
  ];
  const text = lines.join('\n') + '\n';
  process.stdout.write(text);
  writeFileSync(join(HERE, 'history-results.md'), text);
  log(`wrote ${relative(ROOT, join(HERE, 'history-results.md'))}`);
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exitCode = 1;
  });
}
