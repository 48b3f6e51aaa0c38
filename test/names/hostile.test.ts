/**
 * Names are hostile (DESIGN §9). Random names built from line breaks, star-slash, `--`, quotes, backslashes, control
 * characters, ANSI sequences, bidi marks and multi-byte text, cut at 63 bytes, used as table, column, index,
 * constraint, enum, enum label and comment text:
 *
 * - DSL → `plan` / `generate` → apply (psql on the server) → down: after apply the catalog equals the declared
 *   schema's, after down the one before; the DDL the database ran (recorded by event triggers) is exactly the
 *   DDL of the plan's statements run one by one; each file parses (libpg-query) into exactly the plan's statements;
 *   no comment, plan.md line or printed line holds a raw invisible character or a line break from a name.
 * - `diff` from a database holding such names (and a name Postgres cut at 63 bytes itself), and `pull` from it
 *   (server): the same checks on what they print and write.
 *
 * Bounded runs; KEIKAKU_PROPERTY_RUNS raises them, KEIKAKU_PROPERTY_SEED replays the seed a failure printed.
 */
import { RESTORE_POINTS } from '../../src/emit/plan-md.js';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { runGenerate } from '../../src/cli/generate.js';
import { runPlan } from '../../src/cli/plan.js';
import type { ResolvedConfig } from '../../src/config/index.js';
import type { Db } from '../../src/db/types.js';
import { loadSql } from '../../src/db/load-sql.js';
import { createScratchDatabase } from '../../src/db/scratch.js';
import { parseSqlScript } from '../../src/db/split-sql.js';
import { check, enumType, index, integer, sql, table, text } from '../../src/dsl/index.js';
import { scriptText } from '../../src/dsl/ddl/script.js';
import { phaseFile } from '../../src/emit/migration.js';
import { normalize } from '../../src/load/shadow.js';
import { terminalOutput } from '../../src/model/escape.js';
import type { PhaseName } from '../../src/model/plan.js';
import { scriptOf } from '../dsl/declared.js';
import { backends, type Backend } from '../support/backends.js';
import { runCli, runCliIn } from '../support/cli.js';
import { applyScript } from '../support/migrate.js';
import { projectRoot } from '../support/paths.js';
import { tempProjectConfig } from '../support/project-config.js';
import { snapshot } from '../support/snapshot.js';
import { cut63 } from '../support/names.js';

// Each run is a whole generate → apply → down cycle (seconds): the suite keeps a few; KEIKAKU_PROPERTY_RUNS=60 for a long run.
const runs = () => Number(process.env.KEIKAKU_PROPERTY_RUNS ?? 5);

/** Characters that must never reach output raw from a name (line feeds are checked by structure instead). */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/;

const PIECES = [
  '\n', '\r', '\r\n', '*/', '/*', '--', ';', '"', "'", '`', '```', '\\', '\t', '\u0007', '\u0001', '\u001b[31m', '\u001b]8;;x\u0007',
  '\u202e', '\u200f', '\u2066', '\u2028', '\u0085', '表', 'é', '🙂', ' DROP TABLE x; ', ' ', 'a', 'Z', '$$', '$kk$', '$kk', '|', '[x](y)', '<b>', '%0A', ':', ',',
];
const hostileText = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 6 }).map((a) => a.join(''));

/** A name with a distinct first letter per role (so roles never collide), sometimes filled up to 63 bytes. */
const nameArb = (prefix: string) =>
  fc.tuple(hostileText, fc.boolean()).map(([s, long]) => cut63(prefix + (long ? `${s}${'表'.repeat(25)}${s}` : s)));

const namesArb = fc.record({
  table: nameArb('t'),
  pk: nameArb('a'),
  col: nameArb('b'),
  status: nameArb('c'),
  index: nameArb('i'),
  check: nameArb('k'),
  enum: nameArb('e'),
  l1: nameArb('x'),
  l2: nameArb('y'),
  comment: hostileText,
});
type Names = typeof namesArb extends fc.Arbitrary<infer T> ? T : never;

/** Inputs that once failed (a quoted name holding a line that starts with `--`): always run first. */
const FOUND: Names[] = [
  {
    table: 'té',
    pk: 'a\n[x](y)```',
    col: 'b\u0007;%0A\u0007',
    status: 'c$$\u0001\r\n' + '表'.repeat(18),
    index: 'i\\' + '表'.repeat(20),
    check: 'k````' + '表'.repeat(19),
    enum: 'e\n------\u202e',
    l1: 'x--*/:%0A' + '表'.repeat(18),
    l2: 'y*/`\u{1F642}' + '表'.repeat(18),
    comment: ';"\u0007Z',
  },
];

const declare = (n: Names) => {
  const status = enumType({ name: n.enum, comment: n.comment }, [n.l1, n.l2]);
  const hostile = table(
    { name: n.table, comment: n.comment },
    { a: integer(n.pk).primaryKey(), b: text(n.col).comment(n.comment), c: status(n.status).notNull().default(n.l2) },
    (t) => [index(n.index).on(t.b), check(n.check, sql`${t.a} > 0`)],
  );
  return scriptOf({ status, hostile });
};

// ---- the database's own record of what ran --------------------------------------------------------------------

const AUDIT = `
CREATE SCHEMA kk_audit;
CREATE TABLE kk_audit.log (id serial PRIMARY KEY, tag text NOT NULL, object text);
CREATE FUNCTION kk_audit.ddl() RETURNS event_trigger LANGUAGE plpgsql AS $f$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
    INSERT INTO kk_audit.log (tag, object) VALUES (r.command_tag, r.object_identity);
  END LOOP;
END $f$;
CREATE FUNCTION kk_audit.dropped() RETURNS event_trigger LANGUAGE plpgsql AS $f$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM pg_event_trigger_dropped_objects() WHERE original LOOP
    INSERT INTO kk_audit.log (tag, object) VALUES ('DROP ' || r.object_type, r.object_identity);
  END LOOP;
END $f$;
CREATE EVENT TRIGGER kk_audit_ddl ON ddl_command_end EXECUTE FUNCTION kk_audit.ddl();
CREATE EVENT TRIGGER kk_audit_drop ON sql_drop EXECUTE FUNCTION kk_audit.dropped();`;

const auditLog = async (db: Db): Promise<string[]> => {
  const rows = await db.query<{ tag: string; object: string | null }>(`SELECT tag, object FROM kk_audit.log ORDER BY id`);
  await db.exec('TRUNCATE kk_audit.log');
  return rows.map((r) => `${r.tag} ${r.object ?? ''}`);
};

const snap = (db: Db) => snapshot(db, { notNullConstraints: false });

/** A script as users run it: psql on the server, statement by statement (as apply splits it) on PGlite. */
const run = async (db: Db, url: string | undefined, script: string, file: string) =>
  url ? applyScript(db, script, url) : loadSql(db, script, file);

// ---- what the files and outputs must look like -------------------------------------------------------------------

const SESSION = /^(SET check_function_bodies = off|BEGIN|COMMIT)$/;
const bare = (s: string) => s.replace(/^(\s*--[^\n]*\n)*\s*/, '').replace(/;\s*$/, '').trim();

/** The statements a file holds, as Postgres's parser splits it, without the transaction and session lines. */
const fileStatements = async (text: string, file: string): Promise<string[]> =>
  (await parseSqlScript(text, file)).statements.map((s) => bare(s.text)).filter((s) => !SESSION.test(s));

/** The plan's own statements, each split by the same parser (a step's entry may hold several). */
const planStatements = async (entries: readonly string[]): Promise<string[]> => {
  const out: string[] = [];
  for (const e of entries) out.push(...(await fileStatements(e, 'plan')));
  return out;
};

/**
 * Every `--` comment line of a SQL file: nothing raw, nothing that pairs into a block comment. Comment lines are
 * what is left once the statements the parser found are cut out (a quoted name may hold a line starting `--`).
 */
const expectCleanComments = async (text: string, file: string) => {
  const bytes = Buffer.from(text, 'utf8');
  const { statements } = await parseSqlScript(text, file);
  let rest = '';
  let at = 0;
  for (const st of statements) {
    // The statement proper starts at its first token: skip the blank and comment lines the parser counts in.
    const lead = /^(\s*--[^\n]*\n)*\s*/.exec(bytes.subarray(st.start, st.end).toString('utf8'))![0];
    rest += bytes.subarray(at, st.start).toString('utf8') + lead + '\n';
    at = st.end;
  }
  rest += bytes.subarray(at).toString('utf8');
  const comments = rest.split('\n').filter((l) => l.trimStart().startsWith('--'));
  expect(comments.length, `${file}: no comment lines found`).toBeGreaterThan(0);
  for (const line of comments) {
    expect(RAW.test(line), `${file}: ${JSON.stringify(line)}`).toBe(false);
    expect(line.includes('*/') || line.includes('/*'), `${file}: ${JSON.stringify(line)}`).toBe(false);
  }
};

/** Printed text: as the CLI writes it, one line per line it meant, nothing raw. */
const expectCleanOutput = (text: string, lines: number | undefined, what: string) => {
  const printed = terminalOutput(text);
  expect(RAW.test(printed.replace(/\n/g, '')), `${what}: ${JSON.stringify(printed)}`).toBe(false);
  if (lines !== undefined) expect(printed.trimEnd().split('\n').length, `${what}: ${printed}`).toBe(lines);
};

/** plan.md: nothing raw; table rows keep their columns; every fence closes; no line outside a fence is a name's. */
const expectCleanMarkdown = (md: string) => {
  expect(RAW.test(md.replace(/\n/g, '')), JSON.stringify(md)).toBe(false);
  let fence: string | null = null;
  for (const line of md.split('\n')) {
    const m = /^\s*(`{3,})/.exec(line);
    if (fence === null) {
      if (m) fence = m[1]!;
      else if (line.startsWith('|')) expect(line.match(/(?<!\\)\|/g)?.length, line).toBe(6);
      else expect(/^(|#.*|- .*|  - .*|Each phase .*|None\.)$/.test(line) || RESTORE_POINTS.includes(line), `outside a fence: ${JSON.stringify(line)}`).toBe(true);
    } else if (m && m[1] === fence && line.trim() === fence) fence = null;
  }
  expect(fence).toBe(null);
};

// ---- projects -----------------------------------------------------------------------------------------------------

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
const tempProject = (): ResolvedConfig => {
  const config = tempProjectConfig('kk-names-');
  made.push(config.root);
  return config;
};

interface PlanJson {
  readonly phases: readonly { readonly name: PhaseName; readonly steps: readonly { readonly sql: string[]; readonly reverse: string[] }[] }[];
}

/** Each file of a migration folder against its plan.json: the same statements, clean comments. */
const expectFilesMatchPlan = async (dir: string) => {
  const plan = JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')) as PlanJson;
  for (const p of plan.phases) {
    const up = readFileSync(join(dir, phaseFile(p.name, 'up')), 'utf8');
    const down = readFileSync(join(dir, phaseFile(p.name, 'down')), 'utf8');
    await expectCleanComments(up, phaseFile(p.name, 'up'));
    await expectCleanComments(down, phaseFile(p.name, 'down'));
    expect(await fileStatements(up, 'up')).toEqual(await planStatements(p.steps.flatMap((s) => s.sql)));
    expect(await fileStatements(down, 'down')).toEqual(await planStatements([...p.steps].reverse().flatMap((s) => s.reverse)));
  }
  expectCleanMarkdown(readFileSync(join(dir, 'plan.md'), 'utf8'));
  return plan;
};

const all = await backends();

describe.each(all)('hostile names on $title', (backend: Backend) => {
  const shadow = backend.serverUrl ? { shadowUrl: backend.serverUrl } : {};

  it(
    'DSL → plan / generate → apply → down: the declared catalog, only the planned DDL, nothing raw in any output',
    async () => {
      await fc.assert(
        fc.asyncProperty(namesArb, async (n) => {
          const declared = declare(n);
          const desired = await normalize(declared, shadow);
          const cfg = tempProject();
          const loader = async () => ({ schema: desired, hints: [] });
          const planArgs = { renames: [], noRename: [], exitCode: false, color: false } as const;
          const text = await runPlan(cfg, loader, { ...planArgs, format: 'text' });
          const generated = await runGenerate(cfg, loader, { name: 'hostile', renames: [], noRename: [], format: 'text', now: new Date('2026-05-01T00:00:00Z') });
          expect(generated.exitCode).toBe(0);
          const [id] = readdirSync(join(cfg.generatedDir, 'migrations'));
          const dir = join(cfg.generatedDir, 'migrations', id!);
          const plan = await expectFilesMatchPlan(dir);
          const steps = plan.phases.reduce((k, p) => k + p.steps.length, 0);
          // plan: a header, a line per phase and per step, the closing hint; generate: `wrote`, phases, steps.
          expectCleanOutput(text.stdout, 2 + plan.phases.length + steps, 'plan');
          expectCleanOutput(generated.stdout, 1 + plan.phases.length + steps, 'generate');
          await expectCleanComments(readFileSync(join(cfg.generatedDir, 'schema.sql'), 'utf8'), 'schema.sql');

          // The declared schema, created straight from the DSL's DDL.
          const reference = await backend.freshDb();
          let expected: string[];
          try {
            await reference.db.exec(AUDIT);
            await run(reference.db, reference.url, scriptText(declared.script), 'declared.sql');
            expected = await snap(reference.db);
          } finally {
            await reference.release();
          }
          // The DDL the plan's statements make when each is sent alone: what the files may run, no more.
          const planned = await backend.freshDb();
          let plannedLog: string[];
          try {
            await planned.db.exec(AUDIT);
            await planned.db.exec('SET check_function_bodies = off');
            for (const p of plan.phases) for (const s of p.steps) for (const statement of s.sql) await planned.db.exec(statement);
            plannedLog = await auditLog(planned.db);
          } finally {
            await planned.release();
          }

          const fresh = await backend.freshDb();
          try {
            const { db, url } = fresh;
            await db.exec(AUDIT);
            const before = await snap(db);
            for (const p of plan.phases) await run(db, url, readFileSync(join(dir, phaseFile(p.name, 'up')), 'utf8'), phaseFile(p.name, 'up'));
            expect(await snap(db), 'after apply: the declared schema').toEqual(expected);
            expect(await auditLog(db), 'the DDL that ran is the plan’s').toEqual(plannedLog);
            for (const p of [...plan.phases].reverse())
              await run(db, url, readFileSync(join(dir, phaseFile(p.name, 'down')), 'utf8'), phaseFile(p.name, 'down'));
            expect(await snap(db), 'after down: the state before').toEqual(before);
          } finally {
            await fresh.release();
          }
        }),
        {
          numRuns: runs(),
          examples: FOUND.map((n) => [n] as [Names]),
          endOnFailure: true,
          ...(process.env.KEIKAKU_PROPERTY_SEED ? { seed: Number(process.env.KEIKAKU_PROPERTY_SEED) } : {}),
        },
      );
    },
    1_200_000,
  );

  it(
    'diff (and pull, on the server) from a database holding such names, one of them cut at 63 bytes by Postgres',
    async () => {
      await fc.assert(
        fc.asyncProperty(namesArb, hostileText, async (n, extra) => {
          // A name longer than 63 bytes, multi-byte at the cut: Postgres keeps its first 63 bytes (NOTICE).
          const long = `l${extra}${'é'.repeat(40)}`;
          const ddl = `${scriptText(declare(n).script)}\nCREATE TABLE ${`"${long.replace(/"/g, '""')}"`} (id int);\n`;
          const work = mkdtempSync(join(tmpdir(), 'kk-names-diff-'));
          made.push(work);
          writeFileSync(join(work, 'empty.sql'), '');
          writeFileSync(join(work, 'hostile.sql'), ddl);
          const scratch = backend.serverUrl ? await createScratchDatabase(backend.serverUrl) : undefined;
          try {
            if (scratch) await applyScript(scratch.db, ddl, scratch.url);
            const to = scratch ? scratch.url : join(work, 'hostile.sql');
            const out = join(work, 'out');
            const args = ['diff', '--from', join(work, 'empty.sql'), '--to', to, '--out', out];
            const asJson = await runCli(...args, '--format', 'json', ...(backend.serverUrl ? ['--shadow-url', backend.serverUrl] : []));
            expect(asJson.stderr).toBe('');
            expect(asJson.code).toBe(0);
            expectCleanOutput(asJson.stdout, undefined, 'diff --format json');
            const report = JSON.parse(asJson.stdout) as { changes: { sql: string[]; reverse: string[] }[] };
            const up = readFileSync(join(out, 'up.sql'), 'utf8');
            const down = readFileSync(join(out, 'down.sql'), 'utf8');
            await expectCleanComments(up, 'up.sql');
            await expectCleanComments(down, 'down.sql');
            expect(await fileStatements(up, 'up.sql')).toEqual(await planStatements(report.changes.flatMap((c) => c.sql)));
            expect(await fileStatements(down, 'down.sql')).toEqual(await planStatements([...report.changes].reverse().flatMap((c) => c.reverse)));

            const fresh = await backend.freshDb();
            try {
              const before = await snap(fresh.db);
              await run(fresh.db, fresh.url, up, 'up.sql');
              if (scratch) expect(await snap(fresh.db)).toEqual(await snap(scratch.db));
              else {
                const rows = await fresh.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_class WHERE relname = $1`, [cut63(long)]);
                expect(rows[0]!.n, 'the table Postgres cut at 63 bytes').toBe(1);
              }
              await run(fresh.db, fresh.url, down, 'down.sql');
              expect(await snap(fresh.db)).toEqual(before);
            } finally {
              await fresh.release();
            }

            if (scratch) {
              // pull writes schema/*.ts and a baseline from the database: what it prints and writes stays clean.
              const project = mkdtempSync(join(projectRoot, 'test', '.tmp-names-pull-'));
              made.push(project);
              mkdirSync(join(project, 'schema'));
              const pulled = await runCliIn(project, 'pull', '--database-url', scratch.url);
              expect(pulled.code, pulled.stderr).toBe(0);
              expectCleanOutput(pulled.stdout, undefined, 'pull');
              expectCleanOutput(pulled.stderr, undefined, 'pull (stderr)');
              for (const f of readdirSync(join(project, 'schema')).filter((x) => x.endsWith('.ts'))) {
                const source = readFileSync(join(project, 'schema', f), 'utf8');
                // The names are string literals: the file still parses as TypeScript, and holds no raw invisible character.
                const parsed = ts.createSourceFile(f, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
                const problems = (parsed as unknown as { parseDiagnostics: readonly ts.Diagnostic[] }).parseDiagnostics;
                expect(problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), `${f}:\n${source}`).toEqual([]);
              }
              const [baseline] = readdirSync(join(project, 'generated', 'migrations'));
              await expectFilesMatchPlan(join(project, 'generated', 'migrations', baseline!));
            }
          } finally {
            await scratch?.drop();
          }
        }),
        {
          numRuns: Math.max(1, Math.round(runs() / 3)),
          examples: FOUND.map((n) => [n, '\u202ea'] as [Names, string]),
          endOnFailure: true,
          ...(process.env.KEIKAKU_PROPERTY_SEED ? { seed: Number(process.env.KEIKAKU_PROPERTY_SEED) } : {}),
        },
      );
    },
    1_200_000,
  );
});
