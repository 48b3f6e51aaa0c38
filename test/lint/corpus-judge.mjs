/**
 * The database judges lint on the shared corpus (a report, not a unit test; needs the server):
 *
 *   npx tsx test/lint/corpus-judge.mjs [--url postgres://postgres@127.0.0.1:5432/postgres] [--limit N] [--list]
 *
 * For every case with an expected migration whose schema loads: a scratch database gets `setup_sql` and
 * `current_sql`, then the migration runs statement by statement, each in its own transaction (statements that cannot
 * run in one, e.g. CONCURRENTLY, run alone and are judged for rewrites only). Around each statement:
 *   - rewrite: did any table that existed before the migration get a new relfilenode? versus: does lint report an
 *     error-level TABLE_REWRITE finding on that statement (linted with current_sql as context)?
 *   - lock: does pg_locks show an AccessExclusiveLock, inside the open transaction, on a relation that existed before
 *     the statement? versus: does src/lint/locks.ts (what require-lock-timeout relies on) say so?
 * The tables are empty: PostgreSQL decides a rewrite and a lock from the statement and the catalog, not the rows.
 * Prints agreement counts and every disagreement (with --list) or the first ten.
 */
import { parseSqlScript } from '../../src/db/split-sql.ts';
import { loadSql } from '../../src/db/load-sql.ts';
import { createScratchDatabase } from '../../src/db/scratch.ts';
import { lintSql } from '../../src/lint/index.ts';
import { accessExclusiveLocks } from '../../src/lint/locks.ts';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const url = opt('--url', process.env.KEIKAKU_TEST_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const limit = Number(opt('--limit', 'Infinity'));
const corpus = JSON.parse(await readFile(opt('--corpus', join(root, '../shared/acceptance/corpus/sqldef.json')), 'utf8'));

const USER_TABLES = `
SELECT c.oid::int AS oid, pg_relation_filenode(c.oid)::text AS filenode
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`;
const USER_RELATIONS = `
SELECT c.oid::int AS oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`;
const AE_HELD = `SELECT count(*)::int AS n FROM pg_locks WHERE pid = pg_backend_pid() AND mode = 'AccessExclusiveLock'
  AND locktype = 'relation' AND relation::int = ANY($1::int[])`;

/** Back to an empty database between cases (much faster than a new database per case). */
const RESET = `
DO $reset$
DECLARE r record;
BEGIN
  FOR r IN SELECT evtname FROM pg_event_trigger LOOP EXECUTE format('DROP EVENT TRIGGER %I', r.evtname); END LOOP;
  FOR r IN SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' LOOP
    EXECUTE format('DROP EXTENSION IF EXISTS %I CASCADE', r.extname);
  END LOOP;
  FOR r IN SELECT nspname FROM pg_namespace
           WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\\_%' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
  END LOOP;
END
$reset$;
CREATE SCHEMA public;`;

const scratch = await createScratchDatabase(url);
const db = scratch.db;
const tally = { cases: 0, skipped: 0, failedToLoad: 0, failedMidway: 0, statements: 0 };
const refused = [];
const rewrite = { agree: 0, lintOnly: [], dbOnly: [] };
const lock = { agree: 0, lintOnly: [], dbOnly: [], judged: 0 };

for (const c of corpus) {
  if (tally.cases >= limit) break;
  if (typeof c.expected_up_sql !== 'string' || c.expected_up_sql.trim() === '' || c.loads_current === false || (c.required_roles ?? []).length > 0) {
    tally.skipped++;
    continue;
  }
  tally.cases++;
  let statements;
  let findings;
  try {
    statements = (await parseSqlScript(c.expected_up_sql, c.id)).statements;
    findings = await lintSql(c.expected_up_sql, c.id, { context: c.current_sql ?? '', appliedByKeikaku: true });
  } catch {
    tally.failedToLoad++;
    continue;
  }
  await db.exec('ROLLBACK').catch(() => undefined);
  await db.exec(RESET);
  {
    try {
      if (c.setup_sql) await loadSql(db, c.setup_sql, 'setup');
      await loadSql(db, c.current_sql ?? '', 'current');
    } catch {
      tally.failedToLoad++;
      continue;
    }
    const before = new Map((await db.query(USER_TABLES)).map((r) => [r.oid, r.filenode]));
    for (const [i, s] of statements.entries()) {
      const nextLine = statements[i + 1]?.line ?? Infinity;
      const mine = findings.filter((f) => f.line >= s.line && (f.line < nextLine || (nextLine === s.line && f.line === s.line)));
      const lintRewrite = mine.some((f) => f.hazard === 'TABLE_REWRITE' && f.severity === 'error');
      const lintLock = accessExclusiveLocks(s.node).length > 0;
      const relations = (await db.query(USER_RELATIONS)).map((r) => r.oid);
      const inTx = !s.runsAlone;
      let held = 0;
      try {
        if (inTx) await db.exec('BEGIN');
        await db.exec(s.text);
        if (inTx) held = (await db.query(AE_HELD, [relations]))[0].n;
        if (inTx) await db.exec('COMMIT');
      } catch (error) {
        if (inTx) await db.exec('ROLLBACK').catch(() => undefined);
        tally.failedMidway++;
        refused.push(`${c.id}:${s.line}: ${String(error.message).split('\n')[0]}`);
        break;
      }
      tally.statements++;
      const after = new Map((await db.query(USER_TABLES)).map((r) => [r.oid, r.filenode]));
      const dbRewrite = [...after].some(([oid, node]) => before.has(oid) && before.get(oid) !== node);
      for (const [oid, node] of after) if (before.has(oid)) before.set(oid, node);
      const where = `${c.id}:${s.line}: ${s.text.replace(/\s+/g, ' ').slice(0, 110)}`;
      if (lintRewrite === dbRewrite) rewrite.agree++;
      else (lintRewrite ? rewrite.lintOnly : rewrite.dbOnly).push(where);
      if (inTx) {
        lock.judged++;
        const dbLock = held > 0;
        if (lintLock === dbLock) lock.agree++;
        else (lintLock ? lock.lintOnly : lock.dbOnly).push(where);
      }
    }
  }
}
await scratch.drop();

const show = (list) => (args.includes('--list') ? list : list.slice(0, 10)).map((w) => `    ${w}`).join('\n');
const out = [
  `Corpus cases judged: ${tally.cases} (skipped ${tally.skipped}: no expected migration, schema not loading, or roles needed); ` +
    `${tally.failedToLoad} did not load here; ${tally.failedMidway} stopped at a statement the server refused; ${tally.statements} statements run.`,
  refused.length ? `  refused:\n${refused.map((r) => `    ${r}`).join('\n')}` : '',
  `TABLE_REWRITE: lint and the server agree on ${rewrite.agree} of ${tally.statements} statements; ` +
    `lint says rewrite but the relfilenode stayed: ${rewrite.lintOnly.length}; rewritten but lint silent: ${rewrite.dbOnly.length}.`,
  rewrite.lintOnly.length ? `  lint only:\n${show(rewrite.lintOnly)}` : '',
  rewrite.dbOnly.length ? `  server only:\n${show(rewrite.dbOnly)}` : '',
  `ACCESS EXCLUSIVE (statements run in a transaction): agree on ${lock.agree} of ${lock.judged}; ` +
    `lint only: ${lock.lintOnly.length}; server only: ${lock.dbOnly.length}.`,
  lock.lintOnly.length ? `  lint only:\n${show(lock.lintOnly)}` : '',
  lock.dbOnly.length ? `  server only:\n${show(lock.dbOnly)}` : '',
];
process.stdout.write(`${out.filter((l) => l !== '').join('\n')}\n`);
