/**
 * `keikaku pull` on the command line (server): JSON report, --dry-run writes nothing, --schema limits what is
 * pulled, and mistakes are one line with exit code 1 and no password.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js';
import { backends } from '../support/backends.js';
import { runCliIn } from '../support/cli.js';
import { projectRoot } from '../support/paths.js';
import { caseDir, tagDir } from './corpus-judge.js';

/** The .ts files of a directory (not the dot-files), by name. */
const readFiles = (d: string): Record<string, string> =>
  Object.fromEntries(readdirSync(d).filter((f) => f.endsWith('.ts')).sort().map((f) => [f, readFileSync(join(d, f), 'utf8')]));

const server = (await backends()).find((b) => b.name === 'server');

describe.runIf(server)('keikaku pull (server)', () => {
  let scratch: ScratchDatabase;
  const dir = caseDir('cli', `${process.pid}`);
  const cli = (...args: string[]) => runCliIn(dir, ...args);

  beforeAll(async () => {
    scratch = await createScratchDatabase(server!.serverUrl!);
    await scratch.db.exec(`
      CREATE SCHEMA app;
      CREATE TABLE public.notes (id integer PRIMARY KEY, body text, item_ref integer);
      CREATE TABLE app.items (id integer PRIMARY KEY, label text NOT NULL, note_id integer REFERENCES public.notes (id));
      CREATE TABLE pgmigrations (id serial PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL);
      INSERT INTO pgmigrations (name, run_on) VALUES ('1700000000000_init', '2024-01-01 10:00:00');`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  });
  afterAll(async () => {
    await scratch?.drop();
    rmSync(tagDir('cli'), { recursive: true, force: true });
  });

  it('reports in JSON and writes nothing with --dry-run', async () => {
    const r = await cli('pull', '--database-url', scratch.url, '--dry-run', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { files: { file: string; status: string }[]; journals: { tool: string; revision: string }[]; baseline: { kind: string } };
    expect(report.files.map((f) => [f.file, f.status])).toEqual([
      ['app/schema.ts', 'created'],
      ['app/tables.ts', 'created'],
      ['tables.ts', 'created'],
    ]);
    expect(report.journals.map((j) => [j.tool, j.revision])).toEqual([['node-pg-migrate', '1700000000000_init']]);
    expect(report.baseline.kind).toBe('skipped');
    expect(existsSync(join(dir, 'schema'))).toBe(false);
    expect(existsSync(join(dir, 'generated'))).toBe(false);
  });

  it('pulls only the schemas named with --schema', async () => {
    const r = await cli('pull', '--database-url', scratch.url, '--schema', 'app', '--no-baseline', '--out', 'only-app');
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(dir, 'only-app')).sort()).toEqual(['.keikaku-pull.json', 'app']);
    expect(r.stdout).toContain('node-pg-migrate managed this database (public.pgmigrations): 1 migration(s) applied, the last 1700000000000_init');
    expect(r.stdout).toContain('foreign key items_note_id_fkey on app.items references public.notes, which is not pulled: left out');
    // Where an earlier pull declared the other schema's table, the reference is written to it.
    expect((await cli('pull', '--database-url', scratch.url, '--no-baseline', '--out', 'all')).code).toBe(0);
    const again = await cli('pull', '--database-url', scratch.url, '--schema', 'app', '--no-baseline', '--out', 'all');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('no file changed');
    expect(readFileSync(join(dir, 'all', 'app', 'tables.ts'), 'utf8')).toContain("noteId: integer('note_id').references(() => notes.id),");
  });

  it("pulled into the example's hand-written schema/, changes nothing there: same objects, kept as written", async () => {
    const example = await createScratchDatabase(server!.serverUrl!);
    const project = join(dir, 'example');
    try {
      mkdirSync(project, { recursive: true });
      cpSync(join(projectRoot, 'generated'), join(project, 'generated'), { recursive: true });
      cpSync(join(projectRoot, 'schema'), join(project, 'schema'), { recursive: true });
      writeFileSync(join(project, 'keikaku.config.ts'), `export default { shadowUrl: ${JSON.stringify(server!.serverUrl)} };\n`);
      const before = readFiles(join(project, 'schema'));
      const applied = await runCliIn(project, 'apply', '--database-url', example.url);
      expect(applied.code, applied.stderr).toBe(0);
      const pulled = await runCliIn(project, 'pull', '--database-url', example.url, '--format', 'json');
      expect(pulled.code, pulled.stderr).toBe(0);
      const report = JSON.parse(pulled.stdout) as { files: { status: string }[]; baseline: { kind: string } };
      expect(report.files.map((f) => f.status)).toEqual(report.files.map(() => 'unchanged'));
      expect(report.baseline.kind).toBe('history-exists');
      expect(readFiles(join(project, 'schema'))).toEqual(before);
      // Again, now with the record of that pull: the declarations are still compared as objects, and kept.
      const again = await runCliIn(project, 'pull', '--database-url', example.url);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain(`  ${Object.keys(before).length} files unchanged\n`);
      expect(readFiles(join(project, 'schema'))).toEqual(before);
    } finally {
      await example.drop();
    }
  });

  it('says what is wrong in one line, exit 1, without the password', async () => {
    const noUrl = await cli('pull');
    expect([noUrl.code, noUrl.stderr]).toEqual([1, 'keikaku: no database: pass --database-url URL or --env NAME, or set DATABASE_URL (environment or .env)\n']);
    const missing = await cli('pull', '--database-url', scratch.url, '--schema', 'nope', '--no-baseline');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^keikaku: --schema nope: no such schema in .*\n$/);
    writeFileSync(join(dir, 'a-file'), '');
    const notDir = await cli('pull', '--database-url', scratch.url, '--out', 'a-file', '--no-baseline');
    expect(notDir.code).toBe(1);
    expect(notDir.stderr).toMatch(/a-file is not a directory/);
    const refused = await cli('pull', '--database-url', 'postgres://someone:s3cret@127.0.0.1:1/x');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^keikaku: cannot connect to postgres:\/\/someone@127\.0\.0\.1:1\/x/);
    expect(refused.stderr).not.toContain('s3cret');
  });
});
