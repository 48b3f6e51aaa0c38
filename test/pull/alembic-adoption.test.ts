/**
 * Adopting a database that Alembic managed, through the CLI as a user runs it, on the server: an
 * `alembic_version` table at some revision and a schema built by SQL, with rows. `keikaku pull` writes schema/,
 * says Alembic was at that revision, and baselines (first migration, recorded as applied); `plan` is then empty,
 * both against the history and against the database (the Alembic table is no drift). Then two changes made the
 * keikaku way: a column renamed in code (`renamedFrom`) and a NOT NULL added, through `generate` and `apply`.
 * Judged by the database: the rows are all there under the new name, the column is NOT NULL, nothing is left to
 * plan, and Alembic's journal is untouched.
 *
 * Schema files are modules cached by path: the project moves to a new directory before its files are edited,
 * as a user's next `keikaku` run is a new process.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, type ScratchDatabase } from '../../src/db/scratch.js';
import { ensureBuilt } from '../load/built.js';
import { backends } from '../support/backends.js';
import { runCliIn } from '../support/cli.js';
import { caseDir, tagDir } from './corpus-judge.js';

const server = (await backends()).find((b) => b.name === 'server');

const ALEMBIC_SQL = `
CREATE TABLE alembic_version (version_num varchar(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
INSERT INTO alembic_version VALUES ('3f9c2a1b7d4e');
CREATE TYPE account_state AS ENUM ('active', 'suspended');
CREATE TABLE accounts (
  id serial PRIMARY KEY,
  full_name text NOT NULL,
  email varchar(200),
  state account_state NOT NULL DEFAULT 'active',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_email_idx ON accounts (lower(email));
CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  total numeric(10,2) NOT NULL CHECK (total >= 0)
);
COMMENT ON TABLE accounts IS 'Customer accounts (from the Alembic era)';
INSERT INTO accounts (full_name, email) VALUES ('Ada Lovelace', 'ada@example.com'), ('Alan Turing', 'alan@example.com');
INSERT INTO orders (account_id, total) VALUES (1, 10.50), (2, 99.00), (1, 0);
`;

describe.runIf(server)('adopting an Alembic-managed database (server)', () => {
  let scratch: ScratchDatabase;
  let dir = caseDir('alembic', `a${process.pid}`);
  const cli = (...args: string[]) => runCliIn(dir, ...args);

  beforeAll(async () => {
    ensureBuilt();
    scratch = await createScratchDatabase(server!.serverUrl!);
    await scratch.db.exec(ALEMBIC_SQL);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // Shadows on the same server (scratch databases), as a team adopting a PG 15 database would configure.
    writeFileSync(join(dir, 'keikaku.config.ts'), `export default { shadowUrl: ${JSON.stringify(server!.serverUrl)} };\n`);
  });
  afterAll(async () => {
    await scratch?.drop();
    rmSync(tagDir('alembic'), { recursive: true, force: true });
  });

  it('pull, baseline, then a rename and a NOT NULL through generate and apply, with the data kept', async () => {
    const pulled = await cli('pull', '--database-url', scratch.url);
    expect(pulled.stderr).toBe('');
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toContain('Alembic managed this database (public.alembic_version): at revision 3f9c2a1b7d4e');
    expect(pulled.stdout).toMatch(/baseline: .*_baseline \(\d+ step\(s\)\), recorded as applied/);
    const tables = readFileSync(join(dir, 'schema/tables.ts'), 'utf8');
    expect(tables).toContain("fullName: text('full_name').notNull(),");
    expect(tables).not.toContain('alembic');

    // Nothing to do, whether against the history or against the live database (Alembic's table is not drift).
    expect((await cli('plan')).stdout).toContain('No changes');
    expect((await cli('plan', '--from-db', scratch.url)).stdout).toContain('No changes');
    const checked = await cli('check', '--database-url', scratch.url);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    const status = await cli('apply', '--database-url', scratch.url, '--format', 'json');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).not.toMatch(/"applied": \[\s*\{/);

    // The project moves (a new process would load the edited files afresh), then the two changes in code.
    const moved = `${dir}-2`;
    rmSync(moved, { recursive: true, force: true });
    renameSync(dir, moved);
    dir = moved;
    const edited = readFileSync(join(dir, 'schema/tables.ts'), 'utf8')
      .replace("fullName: text('full_name').notNull(),", "name: text().notNull().renamedFrom('full_name'),")
      .replace('email: varchar({ length: 200 }),', 'email: varchar({ length: 200 }).notNull(),');
    expect(edited).not.toBe(readFileSync(join(dir, 'schema/tables.ts'), 'utf8'));
    writeFileSync(join(dir, 'schema/tables.ts'), edited);

    // One phase (the application is stopped for it), so the rename's BREAKS_OLD_CLIENTS is accepted explicitly.
    const generated = await cli('generate', 'name_and_required_email', '--strategy', 'simple', '--allow-hazards', 'BREAKS_OLD_CLIENTS');
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stdout).toMatch(/rename column public\.accounts\.full_name to name/i);
    const applied = await cli('apply', '--database-url', scratch.url);
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);

    const rows = await scratch.db.query<{ name: string; email: string }>('SELECT name, email FROM public.accounts ORDER BY id');
    expect(rows).toEqual([
      { name: 'Ada Lovelace', email: 'ada@example.com' },
      { name: 'Alan Turing', email: 'alan@example.com' },
    ]);
    const [col] = await scratch.db.query<{ attnotnull: boolean }>(
      `SELECT attnotnull FROM pg_attribute WHERE attrelid = 'public.accounts'::regclass AND attname = 'email'`,
    );
    expect(col?.attnotnull).toBe(true);
    expect(await scratch.db.query('SELECT count(*)::int AS n FROM public.orders')).toEqual([{ n: 3 }]);
    expect(await scratch.db.query('SELECT version_num FROM public.alembic_version')).toEqual([{ version_num: '3f9c2a1b7d4e' }]);
    expect((await cli('plan', '--from-db', scratch.url)).stdout).toContain('No changes');
    expect((await cli('plan')).stdout).toContain('No changes');
    const after = await cli('check', '--database-url', scratch.url);
    expect(after.code, after.stdout + after.stderr).toBe(0);
  });
});
