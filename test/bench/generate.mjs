/**
 * keikaku `generate` benchmark: `npm run bench:generate` (= node --expose-gc test/bench/generate.mjs).
 *
 * Writes a schema/ of N tables (default 1000) in the DSL: TypeScript files of ~50 tables each, ~10 columns per
 * table (identity PK, uuid with default, text, varchar(n), numeric(p,s), boolean, integer, jsonb, timestamptz,
 * an FK to an earlier table, often across files, an enum column for some), 1–3 indexes per table and a CHECK. The
 * project lives in test/.tmp-bench-* (inside the repository, so `import … from 'keikaku'` resolves to dist/ by
 * package self-reference), and is removed at the end unless --keep.
 *
 * Then, with `node bin/keikaku.js` as a child process (wall time, peak RSS):
 *   1. `generate initial` once: the first migration of the whole schema (empty history, cold cache), then
 *      `plan` once (the history, now one migration, replayed and cached; schema/ read from the cache);
 *   2. one column of one table changed (varchar(40) → varchar(80)); `generate change_one` with a cold cache
 *      (node_modules/.cache/keikaku of the project deleted first) and generated/head.json removed (the full path:
 *      history replayed, schema/ fully normalized), REPS times, generated/ restored in between; then REPS times as
 *      a fresh clone meets it (generated/ as step 1 left it, head.json included; cold cache); and REPS times with
 *      the cache as step 1 left it (the usual edit → generate loop). Every run must write the full path's files,
 *      byte for byte;
 *   3. `plan` right after that generate (the history grew by one migration; its head read from head.json),
 *      then `plan` REPS times more with the history unchanged (warm cache: both sides read from the cache).
 * And in this process, from dist/: the stages of the cold generate one after the other — readHistory,
 * loadSchemaDir (the TS files evaluated, exports placed, checked, rendered), normalize (shadow start + apply +
 * introspect, also timed piece by piece), historySchema (shadow start + replay + introspect, also piece by piece),
 * both together as the CLI runs them (the history on a worker thread), diff, plan,
 * and the emitted files; and the cache reads of a warm run.
 *
 * Targets (the issue): generate under 10 s; a second run with an unchanged history under 3 s.
 * Prints markdown to stdout and writes it to test/bench/generate-results.md (gitignored).
 *
 * Options:
 *   --tables 1000        table count
 *   --per-file 50        tables per schema file
 *   --reps 3             repetitions of the cold generate and of the warm plan (median and min reported)
 *   --seed 20261127      PRNG seed of the generator
 *   --timeout 600        seconds allowed to one CLI run
 *   --no-stages          skip the in-process breakdown
 *   --profile            one more warm `plan` under --cpu-prof; its main thread summarised in the report
 *   --results FILE       where to write the report (default test/bench/generate-results.md); --no-write to skip
 *   --keep               keep the temporary project and print its path
 *   --against-drizzle    the same schema declared for Drizzle Kit (test/bench/drizzle.mjs) and `drizzle-kit
 *                        generate` timed in the same run: the first migration, and the one-column change REPS times
 *                        (drizzle-kit keeps no cache: each run is both its fresh clone and its edit loop); a table
 *                        of both tools and the ratios the speed targets are stated in
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { drizzleFiles, drizzleKitBin, drizzleProject, drizzleVersion, writeDrizzleSchema } from './drizzle.mjs';
import { benchSchema, ENUMS, fileName } from './bench-schema.mjs';
import { killAllChildren, log, median, min, runChild, runMeasured, secs, summariseProfile, tail } from './util.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const BIN = join(ROOT, 'bin', 'keikaku.js');

const { values: opts } = parseArgs({
  options: {
    tables: { type: 'string', default: '1000' },
    'per-file': { type: 'string', default: '50' },
    reps: { type: 'string', default: '3' },
    seed: { type: 'string', default: '20261127' },
    timeout: { type: 'string', default: '600' },
    'no-stages': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    results: { type: 'string', default: join(HERE, 'generate-results.md') },
    'no-write': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'against-drizzle': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0].replace(/^\/\*\*|^ \* ?/gm, '') + '\n');
  process.exit(0);
}
const N = Number(opts.tables);
const PER_FILE = Number(opts['per-file']);
if (!Number.isInteger(N) || N < 2 || N > 100_000) throw new Error(`--tables: not a table count: ${opts.tables}`);
if (!Number.isInteger(PER_FILE) || PER_FILE < 1) throw new Error(`--per-file: not a count: ${opts['per-file']}`);
const REPS = Math.max(1, Number(opts.reps) | 0);
const SEED = Number(opts.seed) >>> 0;
const TIMEOUT_MS = Math.max(1, Number(opts.timeout)) * 1000;
const TARGET_GENERATE_MS = 10_000;
const TARGET_WARM_MS = 3_000;

// ---------------------------------------------------------------------------------------------------------------
// The temporary project (inside the repository) and its cleanup

const project = mkdtempSync(join(ROOT, 'test', '.tmp-bench-'));
const schemaDir = join(project, 'schema');
const generatedDir = join(project, 'generated');
const saved = join(project, '.generated-after-initial');
const cacheDir = join(project, 'node_modules', '.cache', 'keikaku');
const savedCache = join(project, '.cache-after-initial');
let cleaned = false;
const cleanup = () => {
  if (cleaned) return;
  cleaned = true;
  killAllChildren();
  if (opts.keep) log(`kept ${project}`);
  else rmSync(project, { recursive: true, force: true });
};
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    log(`${sig}: stopping`);
    cleanup();
    process.exit(130);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Build: dist/ must not be older than src/ (schema files import dist/ through `keikaku`)

const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : e.name.endsWith('.ts') ? statSync(p).mtimeMs : 0);
  }, 0);

const build = async () => {
  const entry = join(ROOT, 'dist', 'index.js');
  if (existsSync(entry) && statSync(entry).mtimeMs >= newest(join(ROOT, 'src'))) return 'dist/ up to date';
  log('building: tsc -p tsconfig.json');
  const r = await runChild(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
    cwd: ROOT,
    env: process.env,
    timeoutMs: 5 * 60_000,
  });
  if (r.code !== 0) {
    log(`WARNING: tsc exited ${r.timedOut ? 'on timeout' : r.code}; dist/ may be partial:`);
    process.stderr.write(tail(r.stdout + r.stderr, 12).replace(/^/gm, '    ') + '\n');
  }
  return `built in ${secs(r.ms, 1)} s${r.code === 0 ? '' : ' (tsc reported errors)'}`;
};

// ---------------------------------------------------------------------------------------------------------------
// The schema in the DSL

const bench = benchSchema({ tables: N, perFile: PER_FILE, seed: SEED });
/** The changed column: `code` of the middle table goes from varchar(40) to varchar(80). */
const CHANGED = bench.changedIndex;

const writeSchema = (files) => {
  for (const [name, text] of files) writeFileSync(join(schemaDir, name), text);
};

// ---------------------------------------------------------------------------------------------------------------
// Running the CLI

const NOW = '2026-11-27T00:00:00Z';

/** `node bin/keikaku.js …` in the project: wall time, peak RSS (MiB), output. Throws on a non-zero exit. */
const cli = (args, { now = NOW, expectCode = 0, nodeArgs = [] } = {}, { debug = false } = {}) =>
  runMeasured('keikaku', BIN, args, { cwd: project, env: { KEIKAKU_NOW: now, ...(debug ? { KEIKAKU_DEBUG: '1' } : {}) }, timeoutMs: TIMEOUT_MS, nodeArgs, expectCode });

/** Every file under `dir` (relative path → text). */
const filesUnder = (dir, out = new Map(), base = dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) filesUnder(p, out, base);
    else out.set(relative(base, p), readFileSync(p, 'utf8'));
  }
  return out;
};

const restoreGenerated = () => {
  rmSync(generatedDir, { recursive: true, force: true });
  cpSync(saved, generatedDir, { recursive: true });
};
const dropCache = () => rmSync(cacheDir, { recursive: true, force: true });
const restoreCache = () => {
  dropCache();
  cpSync(savedCache, cacheDir, { recursive: true });
};

// ---------------------------------------------------------------------------------------------------------------
// Drizzle Kit on the same schema (--against-drizzle)

/** `drizzle-kit generate --name NAME` in the project: wall time, peak RSS (MiB), output. Throws on a non-zero exit. */
const drizzleGenerate = (bin, name) => runMeasured('drizzle-kit', bin, ['generate', '--name', name], { cwd: project, timeoutMs: TIMEOUT_MS });

/** The newest .sql file drizzle-kit wrote under `outDir`. */
const newestSql = (outDir) => {
  const sqls = readdirSync(outDir).filter((f) => f.endsWith('.sql')).sort();
  return sqls.length ? readFileSync(join(outDir, sqls.at(-1)), 'utf8') : '';
};

const againstDrizzle = async (tables) => {
  const bin = drizzleKitBin();
  if (!bin) throw new Error('--against-drizzle: drizzle-kit is not installed (npm install runs the devDependencies)');
  const { schemaDir: dSchema, outDir } = drizzleProject(project);
  writeDrizzleSchema(dSchema, drizzleFiles(tables, ENUMS, -1, PER_FILE));
  log('drizzle-kit generate initial (empty out folder)');
  const initial = await drizzleGenerate(bin, 'initial');
  const initialSql = newestSql(outDir);
  if (!initialSql.includes(`"${tables[0].name}"`)) throw new Error(`drizzle-kit's first migration does not create ${tables[0].name}:\n${tail(initial.stdout)}`);
  const savedOut = join(project, '.drizzle-after-initial');
  cpSync(outDir, savedOut, { recursive: true });
  const changedFile = fileName(tables[CHANGED].file);
  writeDrizzleSchema(dSchema, new Map([[changedFile, drizzleFiles(tables, ENUMS, CHANGED, PER_FILE).get(changedFile)]]));
  const changes = [];
  for (let k = 0; k < REPS; k++) {
    rmSync(outDir, { recursive: true, force: true });
    cpSync(savedOut, outDir, { recursive: true });
    log(`drizzle-kit generate change_one (${k + 1}/${REPS})`);
    const g = await drizzleGenerate(bin, 'change_one');
    const sql = newestSql(outDir);
    if (!(sql.includes(tables[CHANGED].name) && /varchar\(80\)/.test(sql)))
      throw new Error(`drizzle-kit generate change_one wrote an unexpected migration:\n${sql}\n${tail(g.stdout)}`);
    changes.push(g);
  }
  return { version: drizzleVersion(), initial, changes, initialSqlKiB: initialSql.length / 1024 };
};

// ---------------------------------------------------------------------------------------------------------------
// In-process stages (dist/)

/** loadSchemaDir's pieces timed in a new process: evaluating the files, loading ts-morph, the positions. */
const loadPieces = async (files) => {
  const code = `
    const dist = (p) => import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist')).href)} + '/' + p);
    const { readFileSync } = await import('node:fs');
    const files = ${JSON.stringify(files)};
    const { importSchemaFile } = await dist('load/schema-import.js');
    let t = performance.now();
    for (const f of files) await importSchemaFile(f);
    const evaluate = performance.now() - t;
    t = performance.now();
    const { scanExports } = await dist('load/export-scan.js');
    for (const f of files) scanExports(readFileSync(f, 'utf8'), f);
    const scan = performance.now() - t;
    t = performance.now();
    const { exportSites } = await dist('load/schema-positions.js');
    exportSites('export const x = 1;', 'x.ts');
    const loadTsMorph = performance.now() - t;
    t = performance.now();
    for (const f of files) exportSites(readFileSync(f, 'utf8'), f);
    const positions = performance.now() - t;
    process.stdout.write(JSON.stringify({ evaluate, scan, loadTsMorph, positions }));`;
  const r = await runChild(process.execPath, ['--input-type=module', '-e', code], { cwd: project, env: process.env, timeoutMs: TIMEOUT_MS });
  if (r.code !== 0) throw new Error(`timing loadSchemaDir's pieces failed:\n${tail(r.stdout + r.stderr)}`);
  const out = JSON.parse(r.stdout);
  log(`stage loadSchemaDir pieces: evaluate ${secs(out.evaluate)} s, place exports ${secs(out.scan)} s; only for a diagnostic: load ts-morph ${secs(out.loadTsMorph)} s, parts' positions ${secs(out.positions)} s`);
  return out;
};

const stages = async () => {
  const dist = (p) => import(pathToFileURL(join(ROOT, 'dist', p)).href);
  const [
    { readHistory, replay },
    { loadSchemaDir },
    shadow,
    { historySchema },
    { openPglite, extensionsNeeded },
    { readSchema },
    { diff, parseRenameHint },
    { plan },
    { toPhases },
    { renderMigration },
    { renderSchemaSql },
    { validateDeclared },
    { renderDeclared },
    { renameHints },
  ] = await Promise.all([
      dist('load/migrations.js'),
      dist('load/schema-dir.js'),
      dist('load/shadow.js'),
      dist('load/history-schema.js'),
      dist('db/pglite.js'),
      dist('load/source.js'),
      dist('diff/index.js'),
      dist('plan/index.js'),
      dist('plan/phases.js'),
      dist('emit/migration.js'),
      dist('emit/schema-sql.js'),
      dist('load/schema-validate.js'),
      dist('dsl/ddl/script.js'),
      dist('dsl/rename-hints.js'),
    ]);
  const rows = [];
  const time = async (stage, fn, note = '') => {
    globalThis.gc?.();
    const t = performance.now();
    const value = await fn();
    const ms = performance.now() - t;
    rows.push({ stage, ms, note });
    log(`stage ${stage}: ${secs(ms)} s`);
    return value;
  };

  // The state of the cold generate: the history holds `initial`, schema/ has the changed column.
  restoreGenerated();
  dropCache();
  const history = await time('readHistory (files, sums)', () => readHistory(generatedDir));
  const loaded = await time('loadSchemaDir (evaluate TS, place exports, validate, render DDL)', () => loadSchemaDir(schemaDir, { cwd: project }));
  // Its pieces, each from scratch in a new process (in this one the files are evaluated already).
  const pieces = await loadPieces(loaded.files);
  rows.push({ stage: '  evaluate the files (tsx import, in order)', ms: pieces.evaluate, note: 'a new process' });
  rows.push({ stage: '  place the exports (tokenizer, every file)', ms: pieces.scan, note: 'a new process' });
  rows.push({ stage: '  (not run unless a diagnostic needs it) load ts-morph', ms: pieces.loadTsMorph, note: 'a new process' });
  rows.push({ stage: "  (not run unless a diagnostic needs it) parts' positions, every file", ms: pieces.positions, note: 'a new process' });
  await time('  validate, render DDL, rename hints', () => {
    validateDeclared(loaded.declared);
    renderDeclared(loaded.declared);
    renameHints(loaded.declared);
  }, 'again, in this process');
  const ddl = loaded.script.map((s) => s.sql).join('\n');
  const desired = await time('normalize (shadow start + apply + introspect)', () => shadow.normalize(loaded, {}), `${loaded.script.length} statements`);
  const hint = loaded.extensions.map((e) => `CREATE EXTENSION "${e}";`).join('\n');
  const db1 = await time('  shadow start (PGlite)', () => openPglite({ extensions: extensionsNeeded(hint) }));
  try {
    await time('  shadow apply (declared DDL)', () => shadow.applyScript(db1, loaded, true), `${(ddl.length / 1024).toFixed(0)} KiB of DDL`);
    await time('  introspect (readSchema)', () => readSchema(db1));
  } finally {
    await db1.close();
  }
  const current = await time('historySchema (shadow start + replay + introspect)', () => historySchema(history.migrations, {}), `${history.migrations.length} migration(s)`);
  const allSql = history.migrations.flatMap((m) => [...m.files.entries()].filter(([f]) => f.endsWith('.up.sql')).map(([, s]) => s)).join('\n');
  const db2 = await time('  shadow start (PGlite)', () => openPglite({ extensions: extensionsNeeded(allSql) }));
  try {
    await time('  history replay (up files)', () => replay(db2, history.migrations), `${(allSql.length / 1024).toFixed(0)} KiB of SQL`);
    await time('  introspect (readSchema)', () => readSchema(db2));
  } finally {
    await db2.close();
  }
  await time('normalize ∥ historySchema, as plan/generate run them', () =>
    Promise.all([shadow.normalize(loaded, {}), historySchema(history.migrations, {})]),
    'the replay on a worker thread');
  const hints = loaded.renameHints.map((h) => parseRenameHint(h.text));
  const result = await time('diff', () => diff(current, desired, hints));
  const planned = await time('plan', () => plan(result), `${result.changes.length} change(s)`);
  await time('emit (phases, migration files, schema.sql)', () => {
    const phases = toPhases(planned.steps, 'phased');
    renderMigration({ id: '20261127000000_x', parent: history.migrations.at(-1)?.id ?? null, renames: [], strategy: 'phased' }, phases);
    return renderSchemaSql(desired, ['bench']);
  });

  // A warm run reads both schemas from the cache instead of starting shadows.
  await shadow.normalize(loaded, { cacheRoot: project });
  await historySchema(history.migrations, { cacheRoot: project });
  await time('warm: normalize, cache hit', () => shadow.normalize(loaded, { cacheRoot: project }), 'JSON read + key hash of the DDL');
  await time('warm: historySchema, cache hit', () => historySchema(history.migrations, { cacheRoot: project }), 'JSON read + key hash of the history');
  const cacheMiB = readdirSync(cacheDir).reduce((s, f) => s + statSync(join(cacheDir, f)).size, 0) / 1024 / 1024;
  return { rows, ddlKiB: ddl.length / 1024, statements: loaded.script.length, changes: result.changes.length, cacheMiB };
};

// ---------------------------------------------------------------------------------------------------------------
// Main

const main = async () => {
  const started = performance.now();
  const buildNote = await build();
  log(`project ${relative(ROOT, project)}`);
  await cli(['init']);
  rmSync(join(schemaDir, 'accounts.ts'), { force: true }); // init's example
  const tables = bench.tables;
  const v1 = bench.files();
  writeSchema(v1);
  const sourceKiB = [...v1.values()].reduce((s, t) => s + t.length, 0) / 1024;
  log(`schema/: ${N} tables in ${v1.size} files, ${sourceKiB.toFixed(0)} KiB of TypeScript`);

  log('generate initial (empty history, cold cache)');
  const initial = await cli(['generate', 'initial']);
  cpSync(generatedDir, saved, { recursive: true });
  log('plan after generate initial (history replayed and cached)');
  const planInitial = await cli(['plan']);
  if (!/^No changes/.test(planInitial.stdout)) throw new Error(`plan after generate initial is not in sync:\n${planInitial.stdout}`);
  cpSync(cacheDir, savedCache, { recursive: true });
  const initialSqlKiB = readdirSync(join(generatedDir, 'migrations')).reduce(
    (s, id) =>
      s +
      readdirSync(join(generatedDir, 'migrations', id))
        .filter((f) => f.endsWith('.up.sql'))
        .reduce((a, f) => a + statSync(join(generatedDir, 'migrations', id, f)).size, 0),
    0,
  ) / 1024;

  writeSchema(new Map([[fileName(tables[CHANGED].file), bench.files({ changed: true }).get(fileName(tables[CHANGED].file))]]));
  // The full path first (no generated/head.json, cold cache: the history replayed, schema/ fully normalized); its
  // files are what every other run below must write, byte for byte.
  const bare = [];
  let written;
  const sameFiles = (what) => {
    const again = filesUnder(generatedDir);
    const differs = [...new Set([...written.keys(), ...again.keys()])].filter((f) => written.get(f) !== again.get(f));
    if (differs.length) throw new Error(`${what} wrote other files than the full path: ${differs.join(', ')}`);
  };
  for (let k = 0; k < REPS; k++) {
    restoreGenerated();
    rmSync(join(generatedDir, 'head.json'), { force: true });
    dropCache();
    log(`generate change_one, cold cache, no generated/head.json (${k + 1}/${REPS})`);
    const g = await cli(['generate', 'change_one'], { now: '2026-11-28T00:00:00Z' });
    if (!g.stdout.includes(tables[CHANGED].name)) throw new Error(`generate change_one wrote an unexpected migration:\n${g.stdout}`);
    bare.push(g);
    if (written) sameFiles('generate without head.json');
    written ??= filesUnder(generatedDir);
  }
  // A fresh clone: generated/ as committed (head.json included), no cache.
  if (!existsSync(join(saved, 'head.json'))) throw new Error('generate initial wrote no generated/head.json');
  const gens = [];
  for (let k = 0; k < REPS; k++) {
    restoreGenerated();
    dropCache();
    log(`generate change_one, fresh clone: committed head.json, cold cache (${k + 1}/${REPS})`);
    const g = await cli(['generate', 'change_one'], { now: '2026-11-28T00:00:00Z' }, { debug: true });
    if (!g.stdout.includes(tables[CHANGED].name)) throw new Error(`generate change_one wrote an unexpected migration:\n${g.stdout}`);
    if (!g.stderr.includes('generated/head.json: used as the history schema')) throw new Error(`the fresh clone did not use generated/head.json:\n${g.stderr}`);
    const mode = /normalized schema\/: (.*)/.exec(g.stderr)?.[1] ?? '(not reported)';
    if (k === 0) log(`  fresh clone: ${mode}`);
    sameFiles('the fresh clone (committed head)');
    gens.push({ ...g, mode });
  }
  const loops = [];
  for (let k = 0; k < REPS; k++) {
    restoreGenerated();
    restoreCache();
    log(`generate change_one, history cached (${k + 1}/${REPS})`);
    const g = await cli(['generate', 'change_one'], { now: '2026-11-28T00:00:00Z' }, { debug: true });
    if (!g.stdout.includes(tables[CHANGED].name)) throw new Error(`generate change_one wrote an unexpected migration:\n${g.stdout}`);
    const mode = /normalized schema\/: (.*)/.exec(g.stderr)?.[1] ?? '(not reported)';
    if (k === 0) log(`  edit loop: ${mode}`);
    // The incremental normalization must write what the full one wrote, byte for byte.
    sameFiles('the edit loop');
    loops.push({ ...g, mode });
  }
  log('plan after generate (history grew by one migration)');
  const planAfter = await cli(['plan']);
  const plans = [];
  for (let k = 0; k < REPS; k++) {
    log(`plan, unchanged history, warm cache (${k + 1}/${REPS})`);
    const p = await cli(['plan']);
    if (!/^No changes/.test(p.stdout)) throw new Error(`plan after generate is not in sync:\n${p.stdout}`);
    plans.push(p);
  }
  let profile = null;
  if (opts.profile) {
    log('plan, warm cache, under --cpu-prof');
    const dir = mkdtempSync(join(os.tmpdir(), 'kkbench-gen-prof-'));
    try {
      await cli(['plan'], { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
      // The main thread is the profile that was busiest (the other is tsx's loader thread, idle mostly).
      const all = readdirSync(dir).map((f) => summariseProfile(join(dir, f), 12));
      const busy = (p) => p.totalMs - (p.groups.find((g) => g.name === '(idle)')?.ms ?? 0);
      profile = all.sort((a, b) => busy(b) - busy(a))[0] ?? null;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const startup = [];
  for (let k = 0; k < REPS; k++) startup.push(await cli(['--help']));

  const drizzle = opts['against-drizzle'] ? await againstDrizzle(tables) : null;
  const st = opts['no-stages'] ? null : await stages();

  // ---- report
  const ms = (xs) => xs.map((x) => x.ms);
  const mib = (xs) => Math.max(...xs.map((x) => x.rssMiB));
  const verdict = (t, target) => (t <= target ? `✅ under ${target / 1000} s` : `❌ over ${target / 1000} s`);
  const g = median(ms(gens));
  const w = median(ms(plans));
  const out = [];
  out.push(`# keikaku generate benchmark`);
  out.push('');
  out.push(
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'} · ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB · load average at the end ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} · ${buildNote} · ` +
      `shadow: embedded PGlite`,
  );
  out.push('');
  out.push(
    `schema/: **${N} tables** in ${v1.size - 1} files of ${PER_FILE} (+ enums.ts), ${sourceKiB.toFixed(0)} KiB of TypeScript; ` +
      `~10 columns, an FK to an earlier table (often in another file), 1–4 indexes and a CHECK per table; 4 enums. ` +
      `The initial migration is ${initialSqlKiB.toFixed(0)} KiB of up SQL. The change: \`${tables[CHANGED].name}.code\` varchar(40) → varchar(80).`,
  );
  out.push('');
  out.push(`## End to end (\`node bin/keikaku.js …\`, wall time; median and min of ${REPS})`);
  out.push('');
  out.push('| run | median | min | peak RSS | target |');
  out.push('|---|---:|---:|---:|---|');
  out.push(`| \`generate initial\` (empty history, cold cache; once) | ${secs(initial.ms)} s | | ${initial.rssMiB.toFixed(0)} MiB | |`);
  out.push(`| \`plan\` after it (the history replayed and cached; schema/ cached; once) | ${secs(planInitial.ms)} s | | ${planInitial.rssMiB.toFixed(0)} MiB | |`);
  out.push(`| \`generate change_one\` (1 migration in history, cold cache, no generated/head.json: the full path) | ${secs(median(ms(bare)))} s | ${secs(min(ms(bare)))} s | ${mib(bare).toFixed(0)} MiB | ${verdict(median(ms(bare)), TARGET_GENERATE_MS)} |`);
  out.push(`| \`generate change_one\` (fresh clone: committed generated/head.json, cold cache) | ${secs(g)} s | ${secs(min(ms(gens)))} s | ${mib(gens).toFixed(0)} MiB | ${verdict(g, TARGET_GENERATE_MS)} |`);
  out.push(`| \`generate change_one\` (history cached, schema/ changed: the edit loop) | ${secs(median(ms(loops)))} s | ${secs(min(ms(loops)))} s | ${mib(loops).toFixed(0)} MiB | ${verdict(median(ms(loops)), TARGET_WARM_MS)} |`);
  out.push(`| \`plan\` right after generate (history grew: its head read from generated/head.json; schema/ cached) | ${secs(planAfter.ms)} s | | ${planAfter.rssMiB.toFixed(0)} MiB | |`);
  out.push(`| \`plan\` again, unchanged history (warm cache) | ${secs(w)} s | ${secs(min(ms(plans)))} s | ${mib(plans).toFixed(0)} MiB | ${verdict(w, TARGET_WARM_MS)} |`);
  out.push(`| \`--help\` (node + CLI start-up, for reference) | ${secs(median(ms(startup)))} s | ${secs(min(ms(startup)))} s | ${mib(startup).toFixed(0)} MiB | |`);
  out.push('');
  if (drizzle) {
    const d = median(ms(drizzle.changes));
    const ratio = (k) => `${(k / d).toFixed(2)}×`;
    const dRss = Math.max(drizzle.initial.rssMiB, mib(drizzle.changes));
    const kRss = Math.max(initial.rssMiB, mib(bare), mib(gens), mib(loops), planAfter.rssMiB, mib(plans));
    const meets = (k, limit) => (k / d <= limit ? `✅ ≤ ${limit}×` : `❌ > ${limit}×`);
    out.push('');
    out.push(`## Side by side with drizzle-kit ${drizzle.version} \`generate\` (same schema, same change, this run)`);
    out.push('');
    out.push('drizzle-kit keeps no cache and asks no database: its one-change `generate` is both its fresh clone and its edit loop (median of the same repetitions).');
    out.push('');
    out.push('| run | drizzle-kit | keikaku | keikaku ÷ drizzle-kit | target |');
    out.push('|---|---:|---:|---:|---|');
    out.push(`| first migration of the whole schema | ${secs(drizzle.initial.ms)} s, ${drizzle.initial.rssMiB.toFixed(0)} MiB | ${secs(initial.ms)} s, ${initial.rssMiB.toFixed(0)} MiB | ${(initial.ms / drizzle.initial.ms).toFixed(2)}× | |`);
    out.push(`| one change, cold cache, no generated/head.json | ${secs(d)} s | ${secs(median(ms(bare)))} s | ${ratio(median(ms(bare)))} | |`);
    out.push(`| one change, fresh clone (committed generated/head.json, cold cache) | ${secs(d)} s | ${secs(g)} s | ${ratio(g)} | ${meets(g, 1.0)} |`);
    out.push(`| one change, the edit loop (history cached) | ${secs(d)} s | ${secs(median(ms(loops)))} s | ${ratio(median(ms(loops)))} | ${meets(median(ms(loops)), 0.5)} |`);
    out.push(`| \`plan\` right after \`generate\` | ${secs(d)} s | ${secs(planAfter.ms)} s | ${ratio(planAfter.ms)} | ${meets(planAfter.ms, 0.3)} |`);
    out.push(`| \`plan\`, nothing changed (warm) | ${secs(d)} s | ${secs(w)} s | ${ratio(w)} | ${meets(w, 0.3)} |`);
    out.push(`| peak memory of any run above | ${dRss.toFixed(0)} MiB | ${kRss.toFixed(0)} MiB | ${(kRss / dRss).toFixed(2)}× | ${kRss / dRss <= 1.5 ? '✅ ≤ 1.5×' : '❌ > 1.5×'} |`);
    out.push('');
    out.push(`drizzle-kit's first migration is ${drizzle.initialSqlKiB.toFixed(0)} KiB of SQL; keikaku's ${initialSqlKiB.toFixed(0)} KiB.`);
    out.push('');
  }
  out.push(`In the fresh clone schema/ was normalized ${gens[0].mode}, and the history was read from generated/head.json; in the edit loop schema/ was normalized ${loops[0].mode}. The files both wrote are byte-identical to those of the full path (no head.json, cold cache: the history replayed, schema/ fully normalized), checked on every repetition.`);
  out.push('');
  out.push('The CLI replays the history in an embedded shadow on a worker thread while the main thread loads schema/ and normalizes it in a second one, so on two cores the end-to-end time is about the larger of the two, not their sum (the row \"normalize ∥ historySchema\" below).');
  if (st) {
    out.push('');
    out.push(`## Stages of the cold \`generate change_one\` (in-process, from dist/, one after the other)`);
    out.push('');
    out.push(`${st.statements} DDL statements (${st.ddlKiB.toFixed(0)} KiB) declared; ${st.changes} change(s) found; the cache holds ${st.cacheMiB.toFixed(1)} MiB of JSON.`);
    out.push('');
    out.push('| stage | time | note |');
    out.push('|---|---:|---|');
    for (const r of st.rows) out.push(`| ${r.stage.replace(/^ {2}/, '&nbsp;&nbsp;↳ ')} | ${secs(r.ms)} s | ${r.note} |`);
    out.push('');
    out.push('↳ rows split the line above them: the same work again, piece by piece (a second shadow; loadSchemaDir\'s pieces in a new process).');
  }
  if (profile) {
    out.push('');
    out.push(`## Where a warm \`plan\` spends its time (CPU profile of the main thread, ${secs(profile.totalMs)} s sampled)`);
    out.push('');
    out.push('| self time by group | ms | % |');
    out.push('|---|---:|---:|');
    for (const g of profile.groups.slice(0, 10)) out.push(`| ${g.name} | ${g.ms.toFixed(0)} | ${g.pct.toFixed(1)} |`);
    out.push('');
    out.push('| top functions by self time | ms | % |');
    out.push('|---|---:|---:|');
    for (const f of profile.functions.slice(0, 10)) out.push(`| \`${f.name}\` | ${f.ms.toFixed(0)} | ${f.pct.toFixed(1)} |`);
  }
  out.push('');
  out.push(`Total benchmark time ${secs(performance.now() - started, 0)} s.`);
  const report = `${out.join('\n')}\n`;
  process.stdout.write(report);
  if (!opts['no-write']) {
    writeFileSync(opts.results, report);
    log(`wrote ${relative(process.cwd(), opts.results) || opts.results}`);
  }
  return 0;
};

main().then(
  (code) => {
    cleanup();
    process.exit(code);
  },
  (error) => {
    log(`FAILED: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    cleanup();
    process.exit(1);
  },
);
