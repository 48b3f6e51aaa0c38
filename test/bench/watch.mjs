/**
 * How fast `plan --watch` (and, with --database-url, `push --watch --yes`) reacts to a save on the example app:
 * the project is copied under test/ (so its schema files resolve `keikaku`), the watch started once, then each save
 * adds one more column to schema/offices.ts; each reaction is the time from the write to the end of
 * the new report on stdout (the client's view, not keikaku's own figure). Prints the median, p90 and max.
 *
 * Saves come `--pause-ms` (default 2000) after the last reaction: a person edits between saves, and the watch
 * uses that time to start the next run's shadow.
 *
 *   npm run build && npm run bench:watch [-- --saves 20 --pause-ms 2000] [-- --database-url postgres://…/scratch]
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const saves = Number(arg('saves', '12'));
const databaseUrl = arg('database-url', undefined);
/** Time between the end of one reaction and the next save (a person edits between saves). */
const pauseMs = Number(arg('pause-ms', '2000'));

const dir = mkdtempSync(join(root, 'test', '.tmp-bench-watch-'));
cpSync(join(root, 'schema'), join(dir, 'schema'), { recursive: true });
cpSync(join(root, 'generated'), join(dir, 'generated'), { recursive: true });
const file = join(dir, 'schema', 'offices.ts');
const original = readFileSync(file, 'utf8');
const anchor = "timezone: text().notNull().default('Asia/Tokyo'),";
if (!original.includes(anchor)) throw new Error(`schema/offices.ts no longer has ${anchor}`);
/** Save i adds column i (0…i declared): new text each time, so nothing normalized before is reused whole. */
const withColumn = (i) =>
  original.replace(anchor, [anchor, ...Array.from({ length: i + 1 }, (_, k) => `    bench_note_${k}: text(),`)].join('\n'));

const measure = async (args, done) => {
  writeFileSync(file, original);
  const child = spawn(process.execPath, [join(root, 'bin', 'keikaku.js'), ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const until = (pred, ms = 300_000) =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const tick = () => (pred() ? resolve(performance.now()) : performance.now() - t0 > ms ? reject(new Error(`timed out:\n${out}\n${err}`)) : setImmediate(tick));
      tick();
    });
  const startedAt = performance.now();
  await until(() => err.includes('watching schema/'));
  const firstMs = performance.now() - startedAt;
  const times = [];
  let runs = 0;
  for (let i = 0; i < saves; i++) {
    const mark = out.length;
    const t0 = performance.now();
    writeFileSync(file, withColumn(i));
    const t1 = await until(() => done(out.slice(mark), i));
    times.push(t1 - t0);
    // The watch is idle again (every run it started has ended) before the next save.
    await until(() => (err.match(/saved: /g) ?? []).length === (err.match(/after the save; watching/g) ?? []).length);
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  runs = (err.match(/saved: /g) ?? []).length;
  child.kill('SIGINT');
  await new Promise((r) => child.once('exit', r));
  if (process.env.BENCH_VERBOSE) console.log(times.map((t) => t.toFixed(0)).join(" "));
  return { firstMs, times, runs };
};

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return `median ${(q(0.5) / 1000).toFixed(2)} s, p90 ${(q(0.9) / 1000).toFixed(2)} s, max ${(s.at(-1) / 1000).toFixed(2)} s (${s.length} saves)`;
};

try {
  const plan = await measure(['plan', '--watch'], (o, i) => new RegExp(`add column public\\.offices\\.bench_note_${i}\\b[\\s\\S]*keikaku generate`).test(o));
  console.log(`plan --watch: first report ${(plan.firstMs / 1000).toFixed(2)} s; reaction to a save: ${stats(plan.times)}, saves ${pauseMs} ms apart; ${plan.runs} re-plans`);
  if (databaseUrl) {
    const push = await measure(['push', '--watch', '--yes', '--database-url', databaseUrl], (o) => /matches schema\//.test(o));
    console.log(`push --watch --yes: first push ${(push.firstMs / 1000).toFixed(2)} s; reaction to a save: ${stats(push.times)}; ${push.runs} re-pushes`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
