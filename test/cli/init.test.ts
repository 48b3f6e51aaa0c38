/**
 * `keikaku init`: the .gitignore a project needs (written, or extended without touching what is there, and a
 * second init changes nothing), judged by git itself; and init's example table does not outlive a `pull`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../load/built.js';
import { backends } from '../support/backends.js';
import { runCliIn } from '../support/cli.js';
import { emptyDir, removeProjects } from './tmp-project.js';

afterAll(removeProjects);

/** The paths of `paths` that git ignores in `dir` (a repository). */
const ignored = (dir: string, paths: string[]): string[] => {
  try {
    return execFileSync('git', ['check-ignore', ...paths], { cwd: dir, encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch (e) {
    // git check-ignore exits 1 when nothing is ignored.
    return String((e as { stdout?: string }).stdout ?? '').split('\n').filter(Boolean);
  }
};

const PRIVATE = ['.env', 'node_modules/.cache/keikaku/schema.json', 'node_modules/pg/index.js'];

describe('keikaku init and .gitignore', () => {
  it('writes a .gitignore that keeps keikaku\'s cache, dependencies and .env out of git; a second init changes nothing', async () => {
    const dir = emptyDir();
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const first = await runCliIn(dir, 'init');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('.gitignore');
    expect(ignored(dir, [...PRIVATE, 'schema/accounts.ts', 'keikaku.config.ts', 'generated/migrations.sum'])).toEqual(PRIVATE);
    const text = readFileSync(join(dir, '.gitignore'), 'utf8');
    const again = await runCliIn(dir, 'init');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Nothing to do/);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe(text);
  });

  it('extends an existing .gitignore: what is there is kept byte for byte, only missing entries are added, once', async () => {
    const dir = emptyDir();
    execFileSync('git', ['init', '-q'], { cwd: dir });
    // Already ignores .env (its own spelling), no newline at the end.
    const mine = 'dist/\r\n/.env\r\n# logs\n*.log';
    writeFileSync(join(dir, '.gitignore'), mine);
    expect((await runCliIn(dir, 'init')).code).toBe(0);
    const text = readFileSync(join(dir, '.gitignore'), 'utf8');
    expect(text.startsWith(mine)).toBe(true);
    const added = text.slice(mine.length).split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    expect(added).toEqual(['node_modules/']);
    expect(ignored(dir, [...PRIVATE, 'dist/x.js', 'a.log', 'schema/accounts.ts'])).toEqual([...PRIVATE, 'dist/x.js', 'a.log']);
    await runCliIn(dir, 'init');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe(text);
  });
});

const server = (await backends()).find((b) => b.name === 'server');

describe.runIf(server)('keikaku init, then pull (server)', () => {
  // tsc may take minutes on a busy machine.
  beforeAll(ensureBuilt, 600_000);

  it('pull removes init\'s untouched example table, so the next generate does not create it', { timeout: 600_000 }, async () => {
    const fresh = await server!.freshDb();
    try {
      await fresh.db.exec('CREATE TABLE orders (id integer PRIMARY KEY, total numeric NOT NULL);');
      const dir = emptyDir();
      expect((await runCliIn(dir, 'init')).code).toBe(0);
      expect(existsSync(join(dir, 'schema', 'accounts.ts'))).toBe(true);
      const pulled = await runCliIn(dir, 'pull', '--database-url', fresh.url!);
      expect(pulled.code, pulled.stderr).toBe(0);
      expect(pulled.stdout).toContain("removed schema/accounts.ts (keikaku init's example, unchanged)");
      expect(existsSync(join(dir, 'schema', 'accounts.ts'))).toBe(false);
      const files = readdirSync(join(dir, 'schema')).filter((f) => f.endsWith('.ts'));
      expect(files.map((f) => readFileSync(join(dir, 'schema', f), 'utf8')).join('\n')).not.toContain("'accounts'");
      // The baseline is the database; schema/ equals it: nothing to generate, and no accounts table anywhere.
      const plan = await runCliIn(dir, 'plan', '--exit-code');
      expect(plan.stderr).toBe('');
      expect(plan.stdout).not.toContain('accounts');
      expect(plan.code).toBe(0);
    } finally {
      await fresh.release();
    }
  });

  it('an edited example is the user\'s: pull keeps it', { timeout: 600_000 }, async () => {
    const fresh = await server!.freshDb();
    try {
      await fresh.db.exec('CREATE TABLE orders (id integer PRIMARY KEY);');
      const dir = emptyDir();
      expect((await runCliIn(dir, 'init')).code).toBe(0);
      const path = join(dir, 'schema', 'accounts.ts');
      writeFileSync(path, readFileSync(path, 'utf8').replace("name: text().notNull(),", "name: text().notNull(),\n  email: text(),"));
      const pulled = await runCliIn(dir, 'pull', '--database-url', fresh.url!, '--no-baseline');
      expect(pulled.code, pulled.stderr).toBe(0);
      expect(pulled.stdout).not.toContain('removed');
      expect(existsSync(path)).toBe(true);
    } finally {
      await fresh.release();
    }
  });
});
