/**
 * Figures for `keikaku lint` (a report, not a unit test):
 *
 *   npx tsx test/lint/corpus-report.mjs [--json] [--corpus ../shared/acceptance/corpus/sqldef.json]
 *
 * 1. The shared corpus: each case's expected migration (`expected_up_sql`, linted with the case's `current_sql` as
 *    context: those tables exist and hold rows) when it has one, else its desired schema (`desired_sql`, a file that
 *    creates everything it uses). Also the expected downgrades (`expected_down_sql`, context `desired_sql`).
 *    Corpus files are run statement by statement as psql would (no BEGIN assumed, no lock_timeout set).
 * 2. Our own generated migrations (generated/migrations/<id>/*.sql), linted as `keikaku apply` runs them
 *    (appliedByKeikaku: it sets lock_timeout per step): every finding, and which error-level ones are not allowed.
 *
 * Prints findings per rule (errors / warnings), per hazard, and files that fail to parse. Exit 0 always (a report).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lintSql, RULES } from '../../src/lint/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const json = args.includes('--json');
const corpusPath = args.includes('--corpus') ? args[args.indexOf('--corpus') + 1] : join(root, '../shared/acceptance/corpus/sqldef.json');

/** Lints many texts; counts findings per rule and hazard, parse failures, files with findings. */
const tally = () => {
  const perRule = new Map(RULES.map((r) => [r.id, 0]));
  const perHazard = new Map();
  const state = { files: 0, withFindings: 0, withErrors: 0, parseFailures: [], contextFailures: 0, findings: 0, perRule, perHazard, examples: new Map() };
  return {
    state,
    async add(sql, name, options) {
      state.files++;
      let findings;
      try {
        findings = await lintSql(sql, name, options);
      } catch (error) {
        if (!options.context || !String(error.message).includes('(context)')) {
          state.parseFailures.push(`${name}: ${String(error.message).split('\n')[0]}`);
          return [];
        }
        // The context (the schema before) does not parse: lint the file without it (tables then of unknown shape).
        state.contextFailures++;
        findings = await lintSql(sql, name, { ...options, context: undefined });
      }
      state.findings += findings.length;
      if (findings.length > 0) state.withFindings++;
      if (findings.some((f) => f.severity === 'error')) state.withErrors++;
      for (const f of findings) {
        perRule.set(f.rule, (perRule.get(f.rule) ?? 0) + 1);
        perHazard.set(f.hazard, (perHazard.get(f.hazard) ?? 0) + 1);
        if (!state.examples.has(f.rule)) state.examples.set(f.rule, `${f.file}:${f.line}:${f.col}`);
      }
      return findings;
    },
  };
};

const corpus = JSON.parse(await readFile(corpusPath, 'utf8'));
const up = tally();
const desired = tally();
const down = tally();
let emptyMigrations = 0;
for (const c of corpus) {
  if (typeof c.expected_up_sql === 'string' && c.expected_up_sql.trim() !== '') {
    await up.add(c.expected_up_sql, `${c.id} (up)`, { context: c.current_sql ?? '' });
  } else {
    if (c.expected_up_sql === '') emptyMigrations++;
    if (c.desired_sql) await desired.add(c.desired_sql, `${c.id} (desired)`, {});
  }
  if (typeof c.expected_down_sql === 'string' && c.expected_down_sql.trim() !== '') {
    await down.add(c.expected_down_sql, `${c.id} (down)`, { context: c.desired_sql ?? '' });
  }
}

const migrationsDir = join(root, 'generated/migrations');
const generated = tally();
const generatedUp = tally();
const generatedDown = tally();
const generatedFindings = [];
for (const id of (await readdir(migrationsDir)).sort()) {
  for (const file of (await readdir(join(migrationsDir, id))).filter((f) => f.endsWith('.sql')).sort()) {
    const rel = `generated/migrations/${id}/${file}`;
    const text = await readFile(join(root, rel), 'utf8');
    const findings = await generated.add(text, rel, { appliedByKeikaku: true });
    await (file.includes('.down.') ? generatedDown : generatedUp).add(text, rel, { appliedByKeikaku: true });
    generatedFindings.push(...findings);
  }
}
const unallowed = generatedFindings.filter((f) => f.severity === 'error' && !f.allowed);

const plain = (t) => ({
  files: t.state.files,
  parseFailures: t.state.parseFailures,
  contextFailures: t.state.contextFailures,
  findings: t.state.findings,
  filesWithFindings: t.state.withFindings,
  filesWithErrors: t.state.withErrors,
  perRule: Object.fromEntries([...t.state.perRule].filter(([, n]) => n > 0)),
  perHazard: Object.fromEntries([...t.state.perHazard].sort()),
});

if (json) {
  const report = {
    corpus: { cases: corpus.length, emptyMigrations, up: plain(up), desired: plain(desired), down: plain(down) },
    generated: { ...plain(generated), up: plain(generatedUp), down: plain(generatedDown), findings: generatedFindings, unallowedErrors: unallowed.length },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  const severity = new Map(RULES.map((r) => [r.id, r.severity]));
  const groups = [
    ['corpus up', up],
    ['corpus desired', desired],
    ['corpus down', down],
    ['generated up', generatedUp],
    ['generated down', generatedDown],
  ];
  const out = [];
  out.push(`Corpus: ${corpus.length} cases (${corpusPath}); ${emptyMigrations} expect an empty migration.`);
  out.push('');
  out.push('| | files | parse failures | context unparsable | findings | files with findings | files with an error finding |');
  out.push('|---|---:|---:|---:|---:|---:|---:|');
  for (const [name, t] of groups) {
    const s = t.state;
    out.push(`| ${name} | ${s.files} | ${s.parseFailures.length} | ${s.contextFailures} | ${s.findings} | ${s.withFindings} | ${s.withErrors} |`);
  }
  out.push('');
  out.push(`| rule | severity | ${groups.map(([n]) => n).join(' | ')} |`);
  out.push(`|---|---|${groups.map(() => '---:').join('|')}|`);
  for (const r of RULES) {
    const counts = groups.map(([, t]) => t.state.perRule.get(r.id) ?? 0);
    out.push(`| ${r.id} | ${severity.get(r.id)} | ${counts.join(' | ')} |`);
  }
  out.push('');
  for (const [name, t] of groups) {
    if (t.state.parseFailures.length) out.push(`${name}: parse failures:\n  ${t.state.parseFailures.join('\n  ')}`);
  }
  out.push('');
  out.push(`Generated migrations (as keikaku apply runs them): ${generated.state.files} files, ${generatedFindings.length} finding(s), ${unallowed.length} error-level finding(s) not allowed.`);
  for (const f of generatedFindings) {
    out.push(`  ${f.file}:${f.line}:${f.col}: ${f.severity} ${f.rule} [${f.hazard}]${f.allowed ? ' (allowed)' : ''}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
