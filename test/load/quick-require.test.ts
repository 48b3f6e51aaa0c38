/**
 * What `requireFiles` changes while it requires schema files (source maps off, each request resolved once per
 * directory and extension) it undoes afterwards, when a file throws too; and files in one directory that import
 * the same module and each other get the modules they name.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireFiles } from '../../src/load/schema-import.js';
import { projectRoot } from '../support/paths.js';

// Inside the repository, so that `keikaku` resolves to this package as it does for schema/.
const dir = mkdtempSync(join(projectRoot, 'test', '.tmp-quick-require-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const state = () => ({ maps: process.sourceMapsEnabled, resolve: (Module as unknown as { _resolveFilename: unknown })._resolveFilename });

describe('requireFiles', () => {
  // tsx's hooks are registered on first use (they change both for good): the state to keep is the one after that.
  beforeAll(() => requireFiles([]));

  it('gives each file the modules it names, and leaves resolution and source maps as they were', async () => {
    write('shared.ts', `export const from = 'shared';\n`);
    write('other.ts', `export const from = 'other';\n`);
    const a = write('a.ts', `import { from } from './shared.js';\nimport { text } from 'keikaku';\nexport const a = [from, typeof text];\n`);
    const b = write('b.ts', `import { from } from './other.js';\nimport { text } from 'keikaku';\nimport { a } from './a.js';\nexport const b = [from, typeof text, a[0]];\n`);
    const before = state();
    const r = await requireFiles([a, b]);
    expect(state()).toEqual(before);
    expect(r).not.toBeNull();
    expect((r!.exports.get(a) as { a: unknown }).a).toEqual(['shared', 'function']);
    expect((r!.exports.get(b) as { b: unknown }).b).toEqual(['other', 'function', 'shared']);
  });

  it('undoes them when a file throws', async () => {
    const before = state();
    const bad = write('bad.ts', `import { from } from './shared.js';\nthrow new Error('no ' + from);\n`);
    expect(await requireFiles([bad])).toBeNull();
    expect(state()).toEqual(before);
  });
});
