/**
 * `keikaku rehearse` demo (not a test): `node test/bench/rehearse.mjs`. Needs a PostgreSQL server
 * (KEIKAKU_BENCH_URL, default postgres://postgres@127.0.0.1:5432/postgres), psql and pg_dump on PATH, and a build
 * (`npm run build`: the CLI runs from dist/).
 *
 * 1. A copy of the example app (schema/, generated/) under test/.tmp-rehearse-demo-*, its six migrations applied
 *    to a new database `keikaku_rehearse_demo`, and ROWS staffs (default 1,000,000) over 1,000 offices.
 * 2. The schema edited — staffs gets `email_domain text NOT NULL`, backfilled from `split_part(email, '@', 2)`,
 *    and `name` is renamed `display_name` — and `keikaku generate` writes the migration (phased: expand, backfill,
 *    contract).
 * 3. `keikaku rehearse --format json` on the whole database, then `--sample SAMPLE` (default 10,000): the figures
 *    of each step, the round trip, and the sampled forecast against the whole run's measured times.
 * 4. The source compared before and after: its catalog (pg_dump --schema-only), a checksum of every row of
 *    staffs and offices, and its journal.
 *
 * Options: --rows 1000000  --sample 10000  --keep (keep the project and the database)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const BIN = join(ROOT, 'bin', 'keikaku.js');
const { values: opts } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, sample: { type: 'string', default: '10000' }, keep: { type: 'boolean', default: false } },
});
const ROWS = Number(opts.rows);
const SAMPLE = Number(opts.sample);
const SERVER = process.env.KEIKAKU_BENCH_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'keikaku_rehearse_demo';
const URL_ = SERVER.replace(/\/[^/?]*(\?|$)/, `/${DB}$1`);

const say = (s) => process.stderr.write(`${s}\n`);
const run = (cmd, args, o = {}) => {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...o });
  const ms = Math.round(performance.now() - t0);
  if (r.status !== 0 && !o.ok?.includes(r.status)) throw new Error(`${cmd} ${args.join(' ')} → ${r.status}\n${r.stderr}\n${r.stdout}`);
  return { ...r, ms };
};
const psql = (url, sql) => run('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql]).stdout.trim();
const keikaku = (cwd, args, ok = [0]) => run(process.execPath, [BIN, ...args], { cwd, ok });

const fingerprint = () => {
  const schema = run('pg_dump', ['--schema-only', '-d', URL_]).stdout.replace(/^--.*$/gm, '').replace(/^\\(un)?restrict .*$/gm, '');
  const rows = psql(URL_, `SELECT (SELECT sum(hashtext(t::text)::numeric) FROM staffs t) || ' ' || (SELECT sum(hashtext(o::text)::numeric) FROM offices o) || ' ' || (SELECT count(*) FROM staffs)`);
  const journal = psql(URL_, 'SELECT string_agg(seq || migration || phase || status, \',\' ORDER BY seq) FROM keikaku.journal');
  return { schema: createHash('sha256').update(schema).digest('hex').slice(0, 16), rows, journal: createHash('sha256').update(journal).digest('hex').slice(0, 16) };
};

const dir = mkdtempSync(join(ROOT, 'test', '.tmp-rehearse-demo-'));
try {
  cpSync(join(ROOT, 'schema'), join(dir, 'schema'), { recursive: true });
  cpSync(join(ROOT, 'generated'), join(dir, 'generated'), { recursive: true });
  psql(SERVER, `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  psql(SERVER, `CREATE DATABASE ${DB}`);
  say(`applying the example app's migrations to ${DB}`);
  keikaku(dir, ['apply', '--database-url', URL_]);
  say(`inserting ${ROWS.toLocaleString('en-US')} staffs over 1,000 offices`);
  const fill = run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', URL_, '-c', `
    INSERT INTO offices (name) SELECT 'office ' || g FROM generate_series(1, 1000) g;
    CREATE TEMP TABLE o AS SELECT row_number() OVER (ORDER BY id) AS n, id FROM offices;
    INSERT INTO staffs (office_id, name, email)
      SELECT o.id, 'staff ' || g, 'staff' || g || '@office' || (g % 1000) || '.example'
        FROM generate_series(1, ${ROWS}) g JOIN o ON o.n = 1 + g % 1000;`, '-c', 'VACUUM ANALYZE staffs', '-c', 'VACUUM ANALYZE offices']);
  say(`  ${fill.ms} ms`);

  const file = join(dir, 'schema', 'staffs.ts');
  const edited = readFileSync(file, 'utf8')
    .replace("name: text().notNull().renamedFrom('full_name'),", "displayName: text().notNull().renamedFrom('name'),\n    emailDomain: text().notNull().backfill(sql`split_part(email, '@', 2)`),")
    .replace('length(name) > 0', 'length(display_name) > 0');
  if (!edited.includes('emailDomain')) throw new Error('schema/staffs.ts is not as this demo expects');
  writeFileSync(file, edited);
  say('generating the migration (NOT NULL column with a backfill, a rename)');
  const gen = keikaku(dir, ['generate', 'domain_and_display_name', '--allow-hazards', 'BREAKS_OLD_CLIENTS'], [0, 3]);
  if (gen.status !== 0) throw new Error(`generate refused:\n${gen.stdout}${gen.stderr}`);
  process.stdout.write(gen.stdout);

  const before = fingerprint();
  say('rehearsing on a whole copy');
  const full = keikaku(dir, ['rehearse', '--database-url', URL_, '--format', 'json'], [0, 3]);
  say(`rehearsing on a sample of ${SAMPLE.toLocaleString('en-US')} rows a table`);
  const sampled = keikaku(dir, ['rehearse', '--database-url', URL_, '--sample', String(SAMPLE), '--format', 'json'], [0, 3]);
  const after = fingerprint();
  const F = JSON.parse(full.stdout);
  const S = JSON.parse(sampled.stdout);

  const out = [];
  out.push(`rehearse (whole copy, ${F.copy.method}): exit ${full.status}, ${full.ms} ms in all`);
  out.push(`| phase | step | what | time | longest wait | failed | rows/s | rewrote | WAL | sampled forecast (${SAMPLE}) | sampled/real |`);
  out.push('|---|---|---|---:|---:|---:|---:|---|---:|---:|---:|');
  for (const s of F.steps) {
    const t = S.steps.find((x) => x.migration === s.migration && x.phase === s.phase && x.step === s.step);
    const ratio = t && s.durationMs > 0 ? (t.forecastMs / s.durationMs).toFixed(2) : '—';
    out.push(
      `| ${s.phase} | ${s.step} | ${s.description.slice(0, 70).replace(/\|/g, '\\|')} | ${s.durationMs} ms | ${s.maxLockWaitMs} ms | ${s.failedStatements} of ${s.workloadStatements} | ${s.rowsPerSecond ?? '—'} | ${s.rewrote ? 'yes' : 'no'} | ${s.walBytes === null ? '—' : `${(s.walBytes / 1048576).toFixed(1)} MB`} | ${t ? `${t.forecastMs} ms` : '—'} | ${ratio} |`,
    );
  }
  const total = (r) => r.steps.reduce((n, s) => n + s.durationMs, 0);
  const forecastTotal = S.steps.reduce((n, s) => n + s.forecastMs, 0);
  out.push('');
  out.push(`whole copy: steps ${total(F)} ms; round trip: down ${F.roundTrip?.downMs} ms, up ${F.roundTrip?.upMs} ms, data ${F.roundTrip?.ok ? 'back' : 'NOT back'} (${(F.roundTrip?.tables ?? []).map((t) => `${t.table} ${t.rowsBefore} rows${t.differ.length ? ` differ: ${t.differ.join(',')}` : ''}`).join('; ')})`);
  out.push(`sampled (${S.copy.method}, ${SAMPLE} rows a table): exit ${sampled.status}, ${sampled.ms} ms in all; steps measured ${total(S)} ms, forecast ${forecastTotal} ms vs ${total(F)} ms measured on the whole copy (${(forecastTotal / Math.max(1, total(F))).toFixed(2)}×)`);
  for (const s of [...F.steps, ...S.steps]) for (const e of s.workloadErrors) out.push(`workload error (${s.phase} ${s.step}): ${e}`);
  out.push(`findings (whole): ${F.findings.length ? F.findings.join('; ') : 'none'}`);
  out.push(`findings (sampled): ${S.findings.length ? S.findings.join('; ') : 'none'}`);
  out.push(`source before: ${JSON.stringify(before)}`);
  out.push(`source after:  ${JSON.stringify(after)}`);
  out.push(`source unchanged: ${JSON.stringify(before) === JSON.stringify(after)}`);
  process.stdout.write(`${out.join('\n')}\n`);
  if (JSON.stringify(before) !== JSON.stringify(after)) process.exitCode = 1;
} finally {
  if (!opts.keep) {
    rmSync(dir, { recursive: true, force: true });
    spawnSync('psql', ['-X', '-q', '-d', SERVER, '-c', `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`]);
  } else say(`kept ${dir} and database ${DB}`);
}
