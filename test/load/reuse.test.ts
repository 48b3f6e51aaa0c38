/**
 * The last load of schema/ and of the config, reused by the next command when nothing they read has changed — and
 * never when something has: a file schema/ imports from outside schema/, an environment variable the schema or
 * the config reads, a module the config imports, a file saved at the same size and modification time. Each run is
 * the built CLI in a process of its own, as a user's commands are (a process keeps the modules it evaluated).
 * What the cache keeps holds no value of a variable the config read (a URL with its password).
 */
import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtKeikaku, ensureBuilt } from './built.js';
import { emptyDir, removeProjects, writeFiles } from '../cli/tmp-project.js';

const keikaku = builtKeikaku;

const REUSED = 'normalized schema/: unchanged since the last run';

const SCHEMA = {
  'keikaku.config.ts': `import { defineConfig } from 'keikaku';
import { generatedDir } from './settings/dirs.js';

export default defineConfig({
  generatedDir,
  environments: { production: { url: process.env.REUSE_TEST_PROD_URL, production: true } },
});
`,
  'settings/dirs.ts': `export const generatedDir = 'generated';\n`,
  'lib/lengths.ts': `export const codeLength = 40;\n`,
  'schema/items.ts': `import { integer, table, text, varchar } from 'keikaku';
import { codeLength } from '../lib/lengths.js';

export const items = table('items', {
  id: integer().primaryKey(),
  code: varchar({ length: codeLength }).notNull(),
  label: text().default(process.env.REUSE_TEST_LABEL ?? 'none'),
});
`,
};

const SECRET = 'postgres://app:s3cret-Pa55word@db.example:5432/prod';

describe('a load reused only while nothing it read has changed', () => {
  let dir: string;
  const env = { REUSE_TEST_PROD_URL: SECRET };

  beforeAll(async () => {
    ensureBuilt();
    dir = emptyDir();
    writeFiles(dir, SCHEMA);
    const first = await keikaku(dir, ['generate', 'initial'], { ...env, KEIKAKU_NOW: '2026-12-01T00:00:00Z' });
    expect(first.code, first.stderr).toBe(0);
  }, 120_000);
  afterAll(removeProjects);

  it('takes the last load when nothing changed, and says so', async () => {
    const a = await keikaku(dir, ['plan'], env);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toContain('No changes');
    expect(a.stderr).toContain(REUSED);
  }, 60_000);

  it('loads again when a file imported from outside schema/ changed', async () => {
    writeFileSync(join(dir, 'lib/lengths.ts'), `export const codeLength = 80;\n`);
    const a = await keikaku(dir, ['plan', '--format', 'json'], env);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).not.toContain(REUSED);
    expect(a.stdout).toMatch(/character varying\(80\)|varchar\(80\)/);
    writeFileSync(join(dir, 'lib/lengths.ts'), `export const codeLength = 40;\n`);
  }, 60_000);

  it('loads again when an environment variable the schema reads changed, or was set', async () => {
    const set = await keikaku(dir, ['plan', '--format', 'json'], { ...env, REUSE_TEST_LABEL: 'shelf' });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stderr).not.toContain(REUSED);
    expect(set.stdout).toContain('shelf');
    // Back as it was: the load of the first run's inputs is taken again only after a load with them.
    const back = await keikaku(dir, ['plan'], env);
    expect(back.stdout).toContain('No changes');
  }, 60_000);

  it('loads again when a schema file was saved at the same size and modification time', async () => {
    const file = join(dir, 'schema/items.ts');
    const warm = await keikaku(dir, ['plan'], env);
    expect(warm.stderr).toContain(REUSED);
    const text = readFileSync(file, 'utf8');
    const { atime, mtime } = statSync(file);
    const edited = text.replace("'none'", "'nil!'");
    expect(edited.length).toBe(text.length);
    writeFileSync(file, edited);
    utimesSync(file, atime, mtime);
    const a = await keikaku(dir, ['plan', '--format', 'json'], env);
    expect(a.stderr).not.toContain(REUSED);
    expect(a.stdout).toContain('nil!');
    writeFileSync(file, text);
  }, 60_000);

  it('loads again when a file was added to schema/, or removed', async () => {
    const extra = join(dir, 'schema/extra.ts');
    writeFileSync(extra, `import { integer, table } from 'keikaku';\n\nexport const extras = table('extras', { id: integer().primaryKey() });\n`);
    const added = await keikaku(dir, ['plan', '--format', 'json'], env);
    expect(added.stderr).not.toContain(REUSED);
    expect(added.stdout).toContain('extras');
    rmSync(extra);
    const removed = await keikaku(dir, ['plan'], env);
    expect(removed.stderr).not.toContain(REUSED);
    expect(removed.stdout).toContain('No changes');
  }, 60_000);

  it('evaluates the config again when a module it imports changed', async () => {
    writeFileSync(join(dir, 'settings/dirs.ts'), `export const generatedDir = 'elsewhere';\n`);
    const a = await keikaku(dir, ['plan'], env);
    expect(a.code, a.stderr).toBe(0);
    // An empty history in the other directory: the whole schema is a change.
    expect(a.stdout).toContain('migration history (0 migration(s))');
    writeFileSync(join(dir, 'settings/dirs.ts'), `export const generatedDir = 'generated';\n`);
    const b = await keikaku(dir, ['plan'], env);
    expect(b.stdout).toContain('No changes');
  }, 60_000);

  it('keeps no value of a variable the config read', () => {
    const cache = join(dir, 'node_modules/.cache/keikaku');
    const files = readdirSync(cache);
    expect(files.some((f) => f.startsWith('desired-'))).toBe(true);
    for (const f of files) expect(readFileSync(join(cache, f), 'utf8')).not.toContain('s3cret-Pa55word');
  });
});

describe('a config with a password written in it', () => {
  afterAll(removeProjects);

  it('is evaluated on every run and never copied into the cache', async () => {
    ensureBuilt();
    const dir = emptyDir();
    writeFiles(dir, {
      ...SCHEMA,
      'keikaku.config.ts': `export default { environments: { production: { url: 'postgres://app:literal-Secr3t@db.example/prod', production: true } } };\n`,
    });
    for (const args of [['generate', 'initial'], ['plan']]) {
      const r = await keikaku(dir, args, { KEIKAKU_NOW: '2026-12-01T00:00:00Z' });
      expect(r.code, r.stderr).toBe(0);
    }
    const cache = join(dir, 'node_modules/.cache/keikaku');
    const files = readdirSync(cache);
    expect(files.some((f) => f.startsWith('desired-'))).toBe(true);
    expect(files.some((f) => f.startsWith('config-'))).toBe(false);
    for (const f of files) expect(readFileSync(join(cache, f), 'utf8')).not.toContain('literal-Secr3t');
  }, 120_000);
});

describe('the shadow started while the config evaluates', () => {
  afterAll(removeProjects);

  it('is stopped when the config fails: the command exits at once with the config error', async () => {
    ensureBuilt();
    const dir = emptyDir();
    writeFiles(dir, SCHEMA);
    const first = await keikaku(dir, ['generate', 'initial'], { REUSE_TEST_PROD_URL: SECRET, KEIKAKU_NOW: '2026-12-01T00:00:00Z' });
    expect(first.code, first.stderr).toBe(0);
    writeFileSync(join(dir, 'keikaku.config.ts'), `throw new Error('config says no');\n`);
    const t0 = performance.now();
    const broken = await keikaku(dir, ['plan']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('config says no');
    expect(broken.stderr).not.toMatch(/\n\s+at /);
    // A thread left running would hold the process open: it ends well before a shadow's work would.
    expect(performance.now() - t0).toBeLessThan(20_000);
  }, 120_000);
});
