/** The loader: schema files evaluated with no build step, every declaration with its place, every problem named. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSchemaDir, SchemaError } from '../../src/load/schema-dir.js';
import { projectRoot } from '../support/paths.js';
import { ensureBuilt } from './built.js';

const fixtures = 'test/load/fixtures';
const load = (name: string) => loadSchemaDir(`${fixtures}/${name}`, { cwd: projectRoot });

/** The diagnostics of a load that must fail, as `file:line:col CODE message`. */
const problemsOf = async (name: string): Promise<string[]> => {
  const error = await load(name).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SchemaError);
  expect((error as SchemaError).exitCode).toBe(1);
  return (error as SchemaError).diagnostics.map((d) => `${d.file.replace(`${fixtures}/${name}/`, '')}:${d.line}:${d.col} ${d.code} ${d.message}`);
};

beforeAll(ensureBuilt);

describe('loadSchemaDir', () => {
  it('loads files that import each other, with the place of every declaration and part', async () => {
    const loaded = await load('basic');
    expect(loaded.files.map((f) => f.slice(f.lastIndexOf('/') + 1))).toEqual(['offices.ts', 'staffs.ts']);
    expect(loaded.declared.map((d) => `${d.exportName} ${d.site.file}:${d.site.line}:${d.site.col}`)).toEqual([
      `offices ${fixtures}/basic/offices.ts:4:14`,
      `staffRole ${fixtures}/basic/staffs.ts:4:14`,
      `staffs ${fixtures}/basic/staffs.ts:6:14`,
    ]);
    const staffs = loaded.declared[2]!;
    expect(staffs.parts.get('column:officeId')).toEqual({ file: `${fixtures}/basic/staffs.ts`, line: 8, col: 3 });
    expect(staffs.parts.get('extra:1')).toEqual({ file: `${fixtures}/basic/staffs.ts`, line: 13, col: 49 });
    expect(loaded.renameHints).toEqual([
      {
        text: '"public"."staffs"."full_name"="name"',
        site: { file: `${fixtures}/basic/staffs.ts`, line: 9, col: 26 },
        object: 'column public.staffs.name',
      },
    ]);
    expect(loaded.script.map((s) => s.object)).toEqual([
      'enum public.staff_role',
      'table "public"."offices"',
      'table "public"."staffs"',
      'index offices_name on offices',
      'index on staffs',
      'foreign key on "public"."offices"',
      'foreign key on "public"."staffs"',
    ]);
  });

  it('a second load in the same process sees files changed since the first, imports between them included', async () => {
    const dir = mkdtempSync(join(projectRoot, 'test', '.tmp-reload-'));
    try {
      const write = (column: string) => {
        writeFileSync(join(dir, 'names.ts'), `export const column = '${column}';\n`);
        writeFileSync(
          join(dir, 'things.ts'),
          `import { table, text } from 'keikaku';\nimport { column } from './names.js';\nexport const things = table('things', { x: text(column) });\n`,
        );
      };
      const columns = async () => (await loadSchemaDir(dir)).script.map((s) => s.sql).join('\n');
      write('first_name');
      expect(await columns()).toContain('"first_name"');
      write('second_name');
      const second = await columns();
      expect(second).toContain('"second_name"');
      expect(second).not.toContain('"first_name"');
      write('first_name');
      expect(await columns()).toContain('"first_name"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('duplicate names: tables across files, columns, a type named like a table, enum labels', async () => {
    expect(await problemsOf('bad-duplicate')).toEqual([
      'a.ts:7:3 KK101 column public.people.name is declared twice (first at test/load/fixtures/bad-duplicate/a.ts:6:3); rename one of them',
      'b.ts:3:14 KK101 table public.things is declared twice (first at test/load/fixtures/bad-duplicate/a.ts:3:14); rename one of them',
      'b.ts:5:14 KK101 enum public.people has the same name as table public.people, declared twice (first at test/load/fixtures/bad-duplicate/a.ts:5:14); rename one of them',
      "b.ts:5:53 KK101 value 'a' of enum public.people is declared twice (first at test/load/fixtures/bad-duplicate/b.ts:5:43); rename one of them",
    ]);
  });

  it('a foreign key to a missing column, a table that is not exported, an index on another table', async () => {
    const problems = await problemsOf('bad-reference');
    expect(problems).toHaveLength(3);
    // The callback as the runtime prints it: required files come through esbuild, which drops the spaces.
    expect(problems[0]).toMatch(/^schema\.ts:10:3 KK102 officeId\.references\(\(\) ?=> ?offices\.idd\) does not name a column of a declared table/);
    expect(problems[1]).toBe(
      'schema.ts:11:3 KK103 table public.hidden is used here but not exported from any schema file; export it (export const … = …)',
    );
    expect(problems[2]).toBe('schema.ts:15:3 KK102 index staffs_office on staffs: column offices.id is not a column of staffs');
  });

  it('a file that throws while it is evaluated', async () => {
    const [problem, ...rest] = await problemsOf('bad-throw');
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^broken\.ts:6:\d+ KK105 the file failed to load: no columns today$/);
  });

  it('rename hints that cannot work, and a name Postgres would cut', async () => {
    expect(await problemsOf('bad-hints')).toEqual([
      "schema.ts:4:16 KK108 column public.t.a is renamedFrom its own name 'a'; remove the hint",
      "schema.ts:7:19 KK108 a renamed index needs its new name: index('new_name')",
      'schema.ts:10:14 KK107 table public.a_table_with_a_very_long_name_that_postgresql_would_cut_short_here: the name is 66 bytes; PostgreSQL keeps 63: shorten it',
    ]);
  });

  it('a missing directory', async () => {
    expect(await problemsOf('no-such-dir')).toEqual([
      'test/load/fixtures/no-such-dir:1:1 KK109 no schema directory test/load/fixtures/no-such-dir; create it or set schemaDir in keikaku.config.ts',
    ]);
  });

  it('loads from plain Node in a CommonJS user project that depends on keikaku', () => {
    const project = mkdtempSync(join(tmpdir(), 'kk-user-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true }));
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(projectRoot, join(project, 'node_modules', 'keikaku'), 'dir');
    cpSync(join(projectRoot, fixtures, 'basic'), join(project, 'schema'), { recursive: true });
    const script = `import(${JSON.stringify(join(projectRoot, 'dist/load/schema-dir.js'))}).then(async (m) => {
      const l = await m.loadSchemaDir('schema');
      console.log(JSON.stringify(l.declared.map((d) => d.exportName + ' ' + d.site.file + ':' + d.site.line)));
    });`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual(['offices schema/offices.ts:4', 'staffRole schema/staffs.ts:4', 'staffs schema/staffs.ts:6']);
  });

  it('takes CommonJS exports the same way whether the files are required or imported', () => {
    const project = mkdtempSync(join(tmpdir(), 'kk-user-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true }));
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(projectRoot, join(project, 'node_modules', 'keikaku'), 'dir');
    mkdirSync(join(project, 'schema'));
    // An object of declarations, a declaration alone (its own properties are not exports), and a function.
    writeFileSync(join(project, 'schema/a.ts'), `const { integer, table } = require('keikaku');\nmodule.exports = { items: table('items', { id: integer().primaryKey() }) };\n`);
    writeFileSync(join(project, 'schema/b.ts'), `const { integer, table } = require('keikaku');\nmodule.exports = table('single', { id: integer().primaryKey(), name: integer() });\n`);
    writeFileSync(join(project, 'schema/c.ts'), `module.exports = function helper() { return 1; };\n`);
    const script = `import(${JSON.stringify(join(projectRoot, 'dist/load/schema-dir.js'))}).then(async (m) => {
      const l = await m.loadSchemaDir('schema');
      console.log(JSON.stringify(l.script.map((s) => s.sql)));
    });`;
    const load = (env: Record<string, string>) =>
      JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8', env: { ...process.env, ...env } })) as string[];
    const imported = load({ KEIKAKU_SCHEMA_IMPORT: 'esm' });
    expect(imported.join('\n')).toMatch(/CREATE TABLE "?public"?\."?items"?/);
    expect(imported.join('\n')).toMatch(/CREATE TABLE "?public"?\."?single"?/);
    expect(load({})).toEqual(imported);
    rmSync(project, { recursive: true, force: true });
  });
});
