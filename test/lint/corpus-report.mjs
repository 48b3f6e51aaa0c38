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
 * 3. With --recipes: what the current recipes generate. A copy of the example project (schema/ and generated/, in
 *    test/.tmp-lint-recipes-*, removed afterwards) gets one edit of each kind — a column rename, a NOT NULL column
 *    with a backfill expression, an index on an existing table, a dropped column — then `node bin/keikaku.js
 *    generate recipes_check --allow-hazards BREAKS_OLD_CLIENTS` (from dist/: run `npm run build` first) writes a
 *    migration, which is linted like (2).
 *
 * Prints findings per rule (errors / warnings), per hazard, and files that fail to parse. Exit 0 always (a report).
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
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

/** Edits of schema/recipients.ts, one per recipe kind (plain text replacements of the example's declarations). */
const RECIPE_EDITS = [
  ['    givenName: text().notNull(),', "    firstName: text().notNull().renamedFrom('given_name'),\n    kana: text().notNull().backfill(sql`family_name`),"],
  ['    birthDate: date(),\n', ''],
  ['r.given_name', 'r.first_name'],
  ["    index('welfare_recipients_office_id').on(t.officeId),", "    index('welfare_recipients_office_id').on(t.officeId),\n    index('welfare_recipients_created_at').on(t.createdAt),"],
];

const recipes = tally();
const recipeFindings = [];
if (args.includes('--recipes')) {
  const dir = await mkdtemp(join(root, 'test/.tmp-lint-recipes-'));
  try {
    await cp(join(root, 'schema'), join(dir, 'schema'), { recursive: true });
    await cp(join(root, 'generated'), join(dir, 'generated'), { recursive: true });
    const file = join(dir, 'schema/recipients.ts');
    let text = await readFile(file, 'utf8');
    for (const [from, to] of RECIPE_EDITS) {
      if (!text.includes(from)) throw new Error(`schema/recipients.ts no longer contains ${JSON.stringify(from)}: update RECIPE_EDITS`);
      text = text.replace(from, to);
    }
    await writeFile(file, text);
    // The bare rename is refused by generate unless allowed: allow it, as a team accepting it would.
    const generate = [join(root, 'bin/keikaku.js'), 'generate', 'recipes_check', '--allow-hazards', 'BREAKS_OLD_CLIENTS'];
    try {
      execFileSync(process.execPath, generate, { cwd: dir, stdio: 'pipe' });
    } catch (error) {
      throw new Error(`keikaku generate failed: ${String(error.stderr ?? error.message)}`);
    }
    const migrations = join(dir, 'generated/migrations');
    const id = (await readdir(migrations)).find((d) => d.endsWith('_recipes_check'));
    for (const f of (await readdir(join(migrations, id))).filter((x) => x.endsWith('.sql')).sort()) {
      recipeFindings.push(...(await recipes.add(await readFile(join(migrations, id, f), 'utf8'), `${id}/${f}`, { appliedByKeikaku: true })));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

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
    ...(args.includes('--recipes') ? { recipes: { ...plain(recipes), findings: recipeFindings } } : {}),
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
  if (args.includes('--recipes')) {
    out.push('');
    out.push(`Current recipes (a copy of the example with a rename, a NOT NULL column with backfill, a new index, a dropped column): ${recipes.state.files} files, ${recipeFindings.length} finding(s).`);
    for (const f of recipeFindings) out.push(`  ${f.file}:${f.line}:${f.col}: ${f.severity} ${f.rule} [${f.hazard}]${f.allowed ? ' (allowed)' : ''}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
