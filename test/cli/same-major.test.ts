/**
 * The same-major shadow (load/shadow-choice.ts): a live database of PostgreSQL 16 or 13 whose role may not create
 * databases, so keikaku starts a server of that major itself. `schema/` is pulled from the database, with a
 * construct PostgreSQL 18 stores differently; `generate --from-db` against it writes nothing. The control: the
 * shadow pinned to 18 (`shadow: { postgres: 18 }`) sees differences where the major's own shadow sees none.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { connectPg } from '../../src/db/pg.js';
import { runCliIn } from '../support/cli.js';
import { majorServerUrl } from '../support/matrix.js';
import { projectRoot } from '../support/paths.js';
import { snapshot } from '../support/snapshot.js';

const withDatabase = (url: string, db: string, user?: string) => {
  const u = new URL(url);
  u.pathname = `/${db}`;
  if (user) u.username = user;
  return u.toString();
};

/**
 * Both majors print a one-table view without qualifying its columns since 16 (13 writes `t.name`), and 18 keeps
 * NOT NULL as constraint rows of their own.
 */
const LIVE_SCHEMA = `
CREATE TABLE public.account (id integer NOT NULL PRIMARY KEY, name text NOT NULL, email text);
CREATE VIEW public.named AS SELECT id, upper(name) AS loud, substring(email from 2 for 3) AS part FROM public.account WHERE name <> '';`;

const cleanups: (() => Promise<void>)[] = [];
const projects: string[] = [];
afterAll(() => {
  for (const p of projects.splice(0)) rmSync(p, { recursive: true, force: true });
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A database owned by a role without CREATEDB, holding LIVE_SCHEMA; its URL as that role, and as the superuser. */
const liveDatabase = async (serverUrl: string): Promise<{ roleUrl: string; adminUrl: string }> => {
  const suffix = randomBytes(4).toString('hex');
  const role = `kk_app_${suffix}`;
  const name = `kk_live_${suffix}`;
  const admin = await connectPg(serverUrl);
  try {
    await admin.exec(`CREATE ROLE ${role} LOGIN NOCREATEDB NOSUPERUSER`);
    await admin.exec(`CREATE DATABASE ${name} OWNER ${role}`);
  } finally {
    await admin.close();
  }
  cleanups.push(async () => {
    const db = await connectPg(serverUrl);
    try {
      await db.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await db.exec(`DROP ROLE IF EXISTS ${role}`);
    } finally {
      await db.close();
    }
  });
  const roleUrl = withDatabase(serverUrl, name, role);
  const db = await connectPg(roleUrl);
  try {
    await db.exec(`ALTER SCHEMA public OWNER TO ${role}`.replace(role, 'CURRENT_USER'));
  } catch {
    // on 13/14 public belongs to postgres; the role creates in it through PUBLIC's CREATE privilege
  }
  try {
    await db.exec(LIVE_SCHEMA);
  } finally {
    await db.close();
  }
  return { roleUrl, adminUrl: withDatabase(serverUrl, name) };
};

const project = (): string => {
  // Inside the repository, so that schema/ files import `keikaku` as the package itself.
  const root = mkdtempSync(join(projectRoot, 'test', '.tmp-same-major-'));
  // Removed after the last test: the commands run in this process (in the directory), and tsx's loader thread
  // keeps the working directory it started in for esbuild, which must still exist when a later test needs it.
  projects.push(root);
  return root;
};

const migrationsIn = (root: string): string[] => {
  const dir = join(root, 'generated', 'migrations');
  return existsSync(dir) ? readdirSync(dir) : [];
};

describe.each([16, 13])('a live PostgreSQL %i whose role may not create databases', (major) => {
  it('generate --from-db normalizes schema/ on an embedded PostgreSQL of that major and writes nothing', async () => {
    const { roleUrl, adminUrl } = await liveDatabase(await majorServerUrl(major));
    const root = project();
    const pulled = await runCliIn(root, 'pull', '--database-url', adminUrl, '--no-baseline');
    expect(pulled.code, pulled.stderr).toBe(0);

    process.env.KEIKAKU_DEBUG = '1';
    let gen;
    try {
      gen = await runCliIn(root, 'generate', '--from-db', roleUrl, '--name', 'nothing');
    } finally {
      delete process.env.KEIKAKU_DEBUG;
    }
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stderr).toMatch(new RegExp(`shadow: PostgreSQL ${major}\\.\\d+ \\(embedded\\)`));
    expect(gen.stderr).not.toContain('warning');
    expect(gen.stdout).toContain('No changes');
    expect(migrationsIn(root)).toEqual([]);

    // The construct's normal form differs on 18: in the catalog (NOT NULL constraint rows), and for 13 in the
    // view text, which a PostgreSQL 18 shadow then reports as a change.
    const live = await connectPg(roleUrl);
    try {
      expect((await snapshot(live)).filter((l) => / NOT NULL /.test(l) && l.startsWith('constraint '))).toEqual([]);
    } finally {
      await live.close();
    }
    writeFileSync(join(root, 'keikaku.config.ts'), 'export default { shadow: { postgres: 18 } };\n');
    const pinned = await runCliIn(root, 'generate', '--from-db', roleUrl, '--name', 'wrong_major', '--format', 'json');
    expect(pinned.code, pinned.stderr).toBe(0);
    if (major < 16) expect(migrationsIn(root), 'a PostgreSQL 18 shadow prints the view differently').toHaveLength(1);
  });
});
