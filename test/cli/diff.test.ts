/** `keikaku diff`: outputs, formats, and bad input (one clear line, the documented exit code, nothing written). */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createScratchDatabase } from '../../src/db/scratch.js';
import { backends } from '../support/backends.js';
import { runCli } from '../support/cli.js';
import { projectRoot } from '../support/paths.js';
import { ensureBuilt } from '../load/built.js';

const dir = mkdtempSync(join(tmpdir(), 'kk-cli-'));
const file = (name: string, sql: string) => {
  const p = join(dir, name);
  writeFileSync(p, sql);
  return p;
};
const server = (await backends()).find((b) => b.name === 'server');
// A schema directory imports `keikaku`: inside the repository, so that it resolves to dist/ (self-reference).
const projectDir = mkdtempSync(join(projectRoot, 'test', '.tmp-cli-diff-'));
afterAll(() => rmSync(projectDir, { recursive: true, force: true }));
const statements = (sql: string) =>
  sql
    .split('\n')
    .filter((l) => !l.startsWith('--') && l.trim() && !/^(BEGIN|COMMIT|SET check_function_bodies)/.test(l));

describe('keikaku diff', () => {
  it('--help names the command, its options and the exit codes', async () => {
    const r = await runCli('diff', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--rename');
    expect(r.stdout).toContain('--format');
    expect(r.stdout).toMatch(/Exit codes: 0 ok/);
  });

  it('diffs two .sql files in the embedded Postgres, with a rename and json output', async () => {
    const from = file('a.sql', 'CREATE TABLE users (id int PRIMARY KEY, full_name text);\n');
    const to = file('b.sql', "CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL DEFAULT '');\n");
    const out = join(dir, 'out-json');
    const r = await runCli('diff', '--from', from, '--to', to, '--out', out, '--rename', 'public.users.full_name=name', '--format', 'json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { changes: { kind: string; object: string }[] };
    expect(report.changes.map((c) => c.kind)).toEqual(['rename_column', 'alter_column']);
    expect(readFileSync(join(out, 'up.sql'), 'utf8')).toContain('RENAME COLUMN "full_name" TO "name"');
    expect(readFileSync(join(out, 'down.sql'), 'utf8')).toContain('RENAME COLUMN "name" TO "full_name"');
  });

  it('writes files with no statements when nothing differs', async () => {
    const same = file('same.sql', 'CREATE TABLE t (id int);\n');
    const out = join(dir, 'out-empty');
    const r = await runCli('diff', '--from', same, '--to', same, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no changes');
    expect(statements(readFileSync(join(out, 'up.sql'), 'utf8'))).toEqual([]);
    expect(statements(readFileSync(join(out, 'down.sql'), 'utf8'))).toEqual([]);
  });

  it('a .sql source Postgres rejects: file, line and statement; exit 1; nothing written', async () => {
    const bad = file('bad.sql', 'CREATE TABLE ok (id int);\n\n-- next one is wrong\nCREATE TABLE broken (id nosuchtype);\n');
    const good = file('good.sql', 'CREATE TABLE ok (id int);\n');
    const out = join(dir, 'out-bad-sql');
    const r = await runCli('diff', '--from', good, '--to', bad, '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}:4`);
    expect(r.stderr).toContain('nosuchtype');
    expect(r.stderr).toContain('CREATE TABLE broken');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('an unreachable database: one line naming host, port and database, never the password; exit 1', async () => {
    const out = join(dir, 'out-unreachable');
    const r = await runCli('diff', '--from', 'postgres://app:sekret@127.0.0.1:1/prod', '--to', 'postgres://app:sekret@127.0.0.1:1/prod', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('127.0.0.1:1/prod');
    expect(r.stderr).not.toContain('sekret');
    expect(existsSync(out)).toBe(false);
  });

  it('a schema directory in the DSL as a source: loaded, normalized in the shadow, diffed; a bad one names file and line', async () => {
    ensureBuilt();
    const schemaDir = join(projectDir, 'schema');
    mkdirSync(schemaDir, { recursive: true });
    writeFileSync(
      join(schemaDir, 'users.ts'),
      `import { integer, table, text, varchar } from 'keikaku';\n\nexport const users = table('users', {\n  id: integer().primaryKey(),\n  email: varchar({ length: 200 }).notNull(),\n  name: text(),\n});\n`,
    );
    const from = file('dsl-from.sql', 'CREATE TABLE users (id int PRIMARY KEY, email varchar(100) NOT NULL);\n');
    const out = join(dir, 'out-dsl');
    const r = await runCli('diff', '--from', from, '--to', schemaDir, '--out', out, '--format', 'json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { changes: { kind: string; object: string }[] };
    expect(report.changes.map((c) => c.object).sort()).toEqual(['add column public.users.name', 'alter column public.users.email']);
    expect(readFileSync(join(out, 'up.sql'), 'utf8')).toContain('TYPE character varying(200)');

    writeFileSync(join(schemaDir, 'users.ts'), `import { table, text } from 'keikaku';\n\nexport const users = table('users', {\n  id: text().primaryKey(),\n  id2: text().references(() => nowhere.id),\n});\nconst nowhere = { id: 1 };\n`);
    const bad = await runCli('diff', '--from', from, '--to', schemaDir, '--out', join(dir, 'out-dsl-bad'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/schema\/users\.ts:\d+:\d+/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'out-dsl-bad'))).toBe(false);
  });

  it('a bad URL or an unknown source is refused with exit 1', async () => {
    const r1 = await runCli('diff', '--from', 'postgres://[nope', '--to', 'x.sql', '--out', join(dir, 'o1'));
    expect(r1.code).toBe(1);
    expect(r1.stderr).toMatch(/keikaku: /);
    const r2 = await runCli('diff', '--from', 'schema.txt', '--to', 'x.sql', '--out', join(dir, 'o2'));
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain('schema.txt');
  });

  it('--rename of a missing object, or to a taken name: exit 3 naming it; nothing written', async () => {
    const from = file('r-a.sql', 'CREATE TABLE users (id int, email text, name text);\n');
    const to = file('r-b.sql', 'CREATE TABLE users (id int, mail text, name text);\n');
    const out = join(dir, 'out-rename');
    const missing = await runCli('diff', '--from', from, '--to', to, '--out', out, '--rename', 'public.users.nope=mail');
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('nope');
    const taken = await runCli('diff', '--from', from, '--to', to, '--out', out, '--rename', 'public.users.email=name');
    expect(taken.code).toBe(3);
    expect(taken.stderr).toContain('name already exists');
    expect(existsSync(out)).toBe(false);
  });

  it.runIf(server)('diffs two live databases without writing to either', async () => {
    const a = await createScratchDatabase(server!.serverUrl!);
    const b = await createScratchDatabase(server!.serverUrl!);
    try {
      await a.db.exec('CREATE TABLE t (id int PRIMARY KEY)');
      await b.db.exec("CREATE TABLE t (id int PRIMARY KEY, note text DEFAULT 'x'); CREATE INDEX t_note ON t (note)");
      const count = async () => (await b.db.query<{ n: string }>('SELECT count(*)::text AS n FROM pg_class'))[0]!.n;
      const before = [await count(), (await a.db.query<{ n: string }>('SELECT count(*)::text AS n FROM pg_class'))[0]!.n];
      const out = join(dir, 'out-live');
      const r = await runCli('diff', '--from', a.url, '--to', b.url, '--out', out);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('add column public.t.note');
      expect(r.stdout).toContain('create index public.t_note');
      const after = [await count(), (await a.db.query<{ n: string }>('SELECT count(*)::text AS n FROM pg_class'))[0]!.n];
      expect(after).toEqual(before);
    } finally {
      await a.drop();
      await b.drop();
    }
  });
});
