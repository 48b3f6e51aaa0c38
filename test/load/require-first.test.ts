/**
 * A process's first load of schema/ (and of the config) goes through `require` (tsx's CommonJS hooks, no loader
 * thread); what cannot be required is imported as an ES module as before. Either way the schema is the same, a
 * module imported through a chain of ES module files is part of what the kept load read, and a file that fails
 * is reported at its place. Each run is the built CLI in a process of its own, as a user's commands are.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtKeikaku, ensureBuilt } from './built.js';
import { emptyDir, removeProjects, writeFiles } from '../cli/tmp-project.js';

const keikaku = builtKeikaku;

const REUSED = 'normalized schema/: unchanged since the last run';

const FILES = {
  'keikaku.config.ts': `import { defineConfig } from 'keikaku';\nimport { dirs } from './settings/dirs.mjs';\n\nexport default defineConfig({ generatedDir: dirs.generated });\n`,
  'settings/dirs.mjs': `export const dirs = { generated: 'generated' };\n`,
  // ES module files importing each other, outside schema/.
  'lib/outer.mjs': `import { inner } from './inner.mjs';\nexport const length = inner + 10;\n`,
  'lib/inner.mjs': `export const inner = 30;\n`,
  'schema/items.ts': `import { integer, table, varchar } from 'keikaku';
import { length } from '../lib/outer.mjs';

export const items = table('items', {
  id: integer().primaryKey(),
  code: varchar({ length }).notNull(),
});
`,
};

describe('schema/ required first, imported as an ES module when it must be', () => {
  let dir: string;

  beforeAll(async () => {
    ensureBuilt();
    dir = emptyDir();
    writeFiles(dir, FILES);
    const first = await keikaku(dir, ['generate', 'initial'], { KEIKAKU_NOW: '2026-12-01T00:00:00Z' });
    expect(first.code, first.stderr).toBe(0);
  }, 120_000);
  afterAll(removeProjects);

  it('takes the same schema whichever way the files were loaded', async () => {
    // A change against the history, so that both plans have something to say.
    writeFileSync(join(dir, 'lib/inner.mjs'), `export const inner = 50;\n`);
    const esm = await keikaku(dir, ['plan', '--format', 'json'], { KEIKAKU_SCHEMA_IMPORT: 'esm', KEIKAKU_NO_CACHE: '1' });
    expect(esm.code, esm.stderr).toBe(0);
    expect(esm.stderr).toContain('(imported as ES modules)');
    const required = await keikaku(dir, ['plan', '--format', 'json'], { KEIKAKU_NO_CACHE: '1' });
    expect(required.code, required.stderr).toBe(0);
    expect(required.stderr).toContain('(required)');
    expect(JSON.parse(required.stdout)).toEqual(JSON.parse(esm.stdout));
    expect(JSON.parse(required.stdout).phases).not.toEqual([]);
    expect(required.stdout).toMatch(/character varying\(60\)/);
    writeFileSync(join(dir, 'lib/inner.mjs'), `export const inner = 30;\n`);
  }, 60_000);

  it('loads again when a module two ES module files away changed', async () => {
    const warm = await keikaku(dir, ['plan'], {});
    expect(warm.stderr).toContain(REUSED);
    writeFileSync(join(dir, 'lib/inner.mjs'), `export const inner = 70;\n`);
    const a = await keikaku(dir, ['plan', '--format', 'json'], {});
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).not.toContain(REUSED);
    expect(a.stderr).toContain('(required)');
    expect(a.stdout).toMatch(/character varying\(80\)/);
    writeFileSync(join(dir, 'lib/inner.mjs'), `export const inner = 30;\n`);
    const back = await keikaku(dir, ['plan'], {});
    expect(back.stdout).toContain('No changes');
  }, 60_000);

  it('evaluates the config again when an ES module it imports changed', async () => {
    writeFileSync(join(dir, 'settings/dirs.mjs'), `export const dirs = { generated: 'elsewhere' };\n`);
    const a = await keikaku(dir, ['plan'], {});
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toContain('migration history (0 migration(s))');
    writeFileSync(join(dir, 'settings/dirs.mjs'), `export const dirs = { generated: 'generated' };\n`);
    expect((await keikaku(dir, ['plan'], {})).stdout).toContain('No changes');
  }, 60_000);

  it('loads a schema file with top-level await (it cannot be required), and keeps that load too', async () => {
    const file = join(dir, 'schema/later.ts');
    writeFileSync(file, `import { integer, table } from 'keikaku';\n\nconst id = await Promise.resolve('later_id');\n\nexport const later = table('later', { [id]: integer().primaryKey() });\n`);
    const a = await keikaku(dir, ['plan', '--format', 'json'], {});
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toContain('later_id');
    expect(a.stderr).toContain('(imported as ES modules)');
    const b = await keikaku(dir, ['plan', '--format', 'json'], {});
    expect(b.stderr).toContain(REUSED);
    expect(b.stdout).toContain('later_id');
    writeFileSync(file, `import { integer, table } from 'keikaku';\n\nexport const later = table('later', { id: integer().primaryKey() });\n\nthrow new Error('declared wrong');\n`);
    const c = await keikaku(dir, ['plan'], {});
    expect(c.code).toBe(1);
    // The error is reported at its line, as the ES module import reports it.
    expect(c.stderr).toMatch(/schema\/later\.ts:5:\d+/);
    expect(c.stderr).toContain('declared wrong');
    expect(c.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }, 90_000);
});
