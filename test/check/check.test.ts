/**
 * `check` end to end on copies of the example app: in sync (exit 0, lint findings as warnings), an edited migration
 * or two heads (exit 3), schema/ edited without `generate` (exit 2, at the declaration). On the real server: the
 * history applied with psql and recorded in the journal, then a column added by hand: exit 2 naming the column and
 * the file:line of its table, in text, GitHub and SARIF (validated against the SARIF 2.1.0 schema); a role without
 * CREATEDB, whose drift is judged through the embedded shadow (PostgreSQL 18) instead of a scratch database of the
 * server; an applied migration edited afterwards (exit 3); a pending phase (exit 2).
 */
import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markApplied, phaseFiles } from '../../src/apply/journal.js';
import { formatGithub, formatText } from '../../src/check/format.js';
import { check } from '../../src/check/index.js';
import { formatSarif } from '../../src/check/sarif.js';
import { runCheck } from '../../src/cli/check.js';
import type { ResolvedConfig } from '../../src/config/index.js';
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js';
import { readHistory } from '../../src/load/migrations.js';
import { ensureBuilt } from '../load/built.js';
import { backends, serverRequired } from '../support/backends.js';
import { runCliIn } from '../support/cli.js';
import { projectRoot } from '../support/paths.js';
import { exampleProject, psqlReplay, removeProjects, replaceIn, resum } from './project.js';
import { sarifErrors } from './sarif-validate.js';

beforeAll(ensureBuilt);
afterAll(removeProjects);

/** A project file as findings name it: relative to the repository root. */
const repoFile = (config: ResolvedConfig, ...parts: string[]) => relative(projectRoot, join(config.root, ...parts));

/** Line and column of the first `needle` in a file, 1-based, at its first character. */
const positionOf = (file: string, needle: string, within = 0) => {
  const lines = readFileSync(file, 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  if (line < 0) throw new Error(`${file}: no ${needle}`);
  return { line: line + 1, col: lines[line]!.indexOf(needle) + 1 + within };
};

describe('check without a database', () => {
  it('the example app is in sync: exit 0; lint findings on its migration files are warnings at file:line', async () => {
    const config = await exampleProject();
    const r = await runCheck(config, { format: 'text', lint: false });
    expect(r.stdout).toContain('  history   ok\n  schema/   ok\n  database  skipped');
    expect(r.stdout.trimEnd().endsWith('In sync.')).toBe(true);
    expect(r.exitCode).toBe(0);

    // With keikaku lint (the default): an index built by hand (not CONCURRENTLY) on an existing table in the last
    // migration, and dropped again so the schema stays the same (the sum rewritten), is reported at its statement as
    // a warning; the exit code stays 0.
    const id = '20261125090000_drop_push_legacy_endpoint';
    const linted = await exampleProject((root) => {
      const file = join(root, 'generated/migrations', id, '3_contract.up.sql');
      writeFileSync(file, `${readFileSync(file, 'utf8')}\nCREATE INDEX offices_scratch ON public.offices (name);\nDROP INDEX public.offices_scratch;\n`);
      resum(join(root, 'generated'));
    });
    const out = await runCheck(linted, { format: 'json' });
    expect(out.exitCode).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report.sections).toEqual({ history: 'ok', schema: 'ok', database: 'skipped' });
    const file = repoFile(linted, 'generated/migrations', id, '3_contract.up.sql');
    const at = (needle: string) => positionOf(join(linted.root, 'generated/migrations', id, '3_contract.up.sql'), needle).line;
    const here = report.findings.filter((f: { location: { file: string } }) => f.location.file === file);
    expect(here.map((f: { location: { line: number } }) => f.location.line)).toContain(at('CREATE INDEX offices_scratch'));
    for (const f of report.findings) expect(f).toMatchObject({ rule: 'lint', level: 'warning', message: expect.stringMatching(/^[A-Z_]+ \([a-z-]+\): /) });
  });

  it('an edited migration file: exit 3, at the file', async () => {
    const id = '20261122090000_add_office_timezone';
    const config = await exampleProject((root) =>
      replaceIn(join(root, 'generated/migrations', id, '1_expand.up.sql'), "DEFAULT 'Asia/Tokyo'", "DEFAULT 'UTC'"),
    );
    const report = await check(config);
    expect(report.exitCode).toBe(3);
    expect(report.sections).toEqual({ history: 'failed', schema: 'skipped', database: 'skipped' });
    expect(report.findings).toContainEqual({
      rule: 'history-not-intact',
      level: 'error',
      message: `FILE_EDITED: ${id}/1_expand.up.sql was edited after it was generated`,
      location: { file: repoFile(config, 'generated/migrations', id, '1_expand.up.sql'), line: 1, col: 1 },
    });
  });

  it('two heads (a merge of two branches): exit 3, history-not-linear', async () => {
    const config = await exampleProject((root) => {
      const dir = join(root, 'generated/migrations');
      cpSync(join(dir, '20261125090000_drop_push_legacy_endpoint'), join(dir, '20261125100000_other_branch'), { recursive: true });
      replaceIn(join(dir, '20261125100000_other_branch/plan.json'), '"id": "20261125090000_drop_push_legacy_endpoint"', '"id": "20261125100000_other_branch"');
      resum(join(root, 'generated'));
    });
    const r = await runCheck(config, { format: 'json', lint: false });
    expect(r.exitCode).toBe(3);
    const report = JSON.parse(r.stdout);
    expect(report.findings.map((f: { rule: string; message: string }) => [f.rule, f.message.split(':')[0]])).toEqual([['history-not-linear', 'TWO_HEADS']]);
    expect(report.findings[0].message).toContain('20261125090000_drop_push_legacy_endpoint and 20261125100000_other_branch both follow 20261124090000_index_support_plans_due_on');
  });

  it('schema/ edited without generate: exit 2, each change at its declaration', async () => {
    const config = await exampleProject((root) => {
      replaceIn(join(root, 'schema/offices.ts'), "    name: text().notNull(),\n", "    name: text().notNull(),\n    note: text(),\n");
      replaceIn(join(root, 'schema/staffs.ts'), "index('staffs_office_id').on(t.officeId)", "index('staffs_office_id').on(t.officeId, t.email)");
    });
    const report = await check(config);
    expect(report.exitCode).toBe(2);
    expect(report.sections).toEqual({ history: 'ok', schema: 'failed', database: 'skipped' });
    const at = (f: string, needle: string) => ({ file: repoFile(config, f), ...positionOf(join(config.root, f), needle) });
    const byMessage = new Map(report.findings.map((f) => [f.message.replace(/^.*holds: /, ''), f.location]));
    expect(byMessage.get('add column public.offices.note')).toEqual(at('schema/offices.ts', 'note: text()'));
    expect(byMessage.get('drop index public.staffs_office_id')).toEqual(at('schema/staffs.ts', "index('staffs_office_id')"));
    expect(byMessage.get('create index public.staffs_office_id')).toEqual(at('schema/staffs.ts', "index('staffs_office_id')"));
    expect(report.findings).toHaveLength(3);
  });
});

const server = (await backends()).find((b) => b.name === 'server');

describe.skipIf(!server && !serverRequired())('check --database-url on the server', () => {
  let config: ResolvedConfig;
  let db: ScratchDatabase;
  const offices = () => ({ file: repoFile(config, 'schema/offices.ts'), ...positionOf(join(config.root, 'schema/offices.ts'), 'offices = table', 0) });

  beforeAll(async () => {
    config = await exampleProject();
    db = await createScratchDatabase(server!.serverUrl!);
    psqlReplay(config.generatedDir, db.url);
    // The history was run by hand: record it in the journal as applied, as `keikaku apply` would have.
    for (const m of readHistory(config.generatedDir).migrations) await markApplied(db.db, m, phaseFiles(m).map(([p]) => p));
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('a database at the head: exit 0 (through the CLI)', async () => {
    const r = await runCliIn(config.root, 'check', '--database-url', db.url);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('  database  ok  ');
    expect(r.stdout).toContain('In sync.');
    expect(r.code).toBe(0);
  });

  it('a column added by hand: exit 2, the column named at the file:line of its table, in every format', async () => {
    await db.db.exec('ALTER TABLE public.offices ADD COLUMN note text; CREATE TABLE public.kept_by_hand (id int)');
    try {
      const report = await check(config, { databaseUrl: db.url });
      expect(report.exitCode).toBe(2);
      expect(report.sections).toEqual({ history: 'ok', schema: 'ok', database: 'failed' });
      const note = {
        rule: 'drift-added',
        level: 'error',
        message: 'column public.offices.note is in the database but not in the migrations (added by hand)',
        object: 'column public.offices.note',
        fix: ['ALTER TABLE "public"."offices" DROP COLUMN "note";'],
        location: offices(),
      };
      // A table schema/ never declared is pointed at the schema the migrations record.
      const table = {
        rule: 'drift-added',
        level: 'error',
        message: 'table public.kept_by_hand is in the database but not in the migrations (added by hand)',
        object: 'table public.kept_by_hand',
        fix: ['DROP TABLE "public"."kept_by_hand";'],
        location: { file: repoFile(config, 'generated/schema.sql'), line: 1, col: 1 },
      };
      expect(report.findings).toHaveLength(2);
      expect(report.findings).toEqual(expect.arrayContaining([note, table]));

      // The same report in each format (the CLI's own path is the test above).
      const { file, line, col } = offices();
      expect(formatText(report)).toContain(`${file}:${line}:${col}: error drift-added: column public.offices.note`);
      expect(formatGithub(report).split('\n')).toContain(
        `::error file=${file},line=${line},col=${col},title=keikaku drift-added::column public.offices.note is in the database but not in the migrations (added by hand)%0Ato bring it back:%0AALTER TABLE "public"."offices" DROP COLUMN "note";`,
      );
      const log = JSON.parse(formatSarif(report, '0.1.0'));
      expect(sarifErrors(log)).toEqual([]);
      expect(log.runs[0].results).toHaveLength(2);
      expect(log.runs[0].results).toContainEqual(
        expect.objectContaining({
          ruleId: 'drift-added',
          message: { text: expect.stringMatching(/^column public\.offices\.note /) },
          locations: [{ physicalLocation: { artifactLocation: { uri: file, uriBaseId: '%SRCROOT%' }, region: { startLine: line, startColumn: col } } }],
        }),
      );
    } finally {
      await db.db.exec('ALTER TABLE public.offices DROP COLUMN note; DROP TABLE public.kept_by_hand');
    }
  });

  it('a role without CREATEDB: the phases are replayed on a server of the same major started locally (PGlite on 18), exactly the drift made by hand', async () => {
    // A read-only CI role: it can read the catalogs and the journal, and cannot create the scratch database.
    const role = `kk_check_${randomBytes(4).toString('hex')}`;
    await db.db.exec(`CREATE ROLE ${role} LOGIN NOCREATEDB; GRANT USAGE ON SCHEMA keikaku TO ${role}; GRANT SELECT ON ALL TABLES IN SCHEMA keikaku TO ${role}`);
    const url = new URL(db.url);
    url.username = role;
    // Any difference of printing between the versions would show up here as more findings.
    await db.db.exec("ALTER TABLE public.staffs ALTER COLUMN email DROP NOT NULL; CREATE INDEX offices_created_at ON public.offices (created_at)");
    try {
      const drifted = await check(config, { databaseUrl: url.href });
      const [row] = await db.db.query<{ v: number }>(`SELECT current_setting('server_version_num')::int AS v`);
      const major = Math.floor(row!.v / 10_000);
      if (major === 18) expect(drifted.normalization).toBe('live schema and applied migrations both read back from the embedded shadow');
      else expect(drifted.normalization).toMatch(new RegExp(`^applied migrations replayed on PostgreSQL ${major}\\.\\d+ \\(embedded\\)$`));
      expect(drifted.exitCode).toBe(2);
      expect(drifted.findings.map((f) => [f.rule, f.message])).toEqual(
        expect.arrayContaining([
          ['drift-changed', 'column public.staffs.email differs from the migrations (changed by hand): notNull is false, the migrations say true'],
          ['drift-added', 'index public.offices_created_at is in the database but not in the migrations (added by hand)'],
        ]),
      );
      expect(drifted.findings).toHaveLength(2);
      const email = drifted.findings.find((f) => f.rule === 'drift-changed')!;
      expect(email.location).toEqual({ file: repoFile(config, 'schema/staffs.ts'), ...positionOf(join(config.root, 'schema/staffs.ts'), 'email:') });
      expect(email.fix).toEqual(['ALTER TABLE "public"."staffs" ALTER COLUMN "email" SET NOT NULL;']);
    } finally {
      await db.db.exec('ALTER TABLE public.staffs ALTER COLUMN email SET NOT NULL; DROP INDEX public.offices_created_at');
      await db.db.exec(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
    }
  });

  it('an applied migration edited afterwards (its sum rewritten too): exit 3, the database ran another version', async () => {
    const id = '20261122090000_add_office_timezone';
    const edited = await exampleProject((root) => {
      replaceIn(join(root, 'generated/migrations', id, '1_expand.up.sql'), "DEFAULT 'Asia/Tokyo'", "DEFAULT 'UTC'");
      resum(join(root, 'generated'));
    });
    const report = await check(edited, { databaseUrl: db.url });
    expect(report.exitCode).toBe(3);
    expect(report.sections.history).toBe('failed');
    expect(report.findings.filter((f) => f.rule === 'history-not-intact')).toEqual([
      {
        rule: 'history-not-intact',
        level: 'error',
        message: expect.stringMatching(new RegExp(`^${id}/1_expand.up.sql differs from the version the database ran \\(`)),
        location: { file: repoFile(edited, 'generated/migrations', id, '1_expand.up.sql'), line: 1, col: 1 },
      },
    ]);
  });

  it('a phase not applied: exit 2, pending at its file; no drift against the phases that are applied', async () => {
    const fresh = await createScratchDatabase(server!.serverUrl!);
    try {
      const history = readHistory(config.generatedDir);
      const last = history.migrations.at(-1)!;
      // Everything but the last migration, applied and journalled.
      const partial = await exampleProject((root) => {
        rmSync(join(root, 'generated/migrations', last.id), { recursive: true });
        resum(join(root, 'generated'));
      });
      psqlReplay(partial.generatedDir, fresh.url);
      for (const m of readHistory(partial.generatedDir).migrations) await markApplied(fresh.db, m, phaseFiles(m).map(([p]) => p));
      const report = await check(config, { databaseUrl: fresh.url });
      expect(report.findings).toEqual([
        {
          rule: 'pending-migration',
          level: 'error',
          message: `${last.id} phase contract is not applied`,
          location: { file: repoFile(config, 'generated/migrations', last.id, '3_contract.up.sql'), line: 1, col: 1 },
        },
      ]);
      expect(report.exitCode).toBe(2);
    } finally {
      await fresh.drop();
    }
  });
});
