/**
 * Where each export is written, kept in the cache by the file's content: an unchanged file is not scanned again,
 * a changed one is, and an entry that is not what the loader writes is not believed.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSchemaDir } from '../../src/load/schema-dir.js';
import { ensureBuilt } from './built.js';
import { emptyDir, removeProjects, writeFiles } from '../cli/tmp-project.js';

const TABLES = `import { integer, table, text } from 'keikaku';

export const shelves = table('shelves', { id: integer().primaryKey() });

// A comment between them.
export const books = table('books', { id: integer().primaryKey(), title: text().notNull() });
`;

describe('the scan of each schema file, kept by its content', () => {
  let dir: string;
  const sites = async () =>
    (await loadSchemaDir(join(dir, 'schema'), { cwd: dir, cacheRoot: dir })).declared.map((d) => `${d.exportName} ${d.site.file}:${d.site.line}:${d.site.col}`);
  const entry = () => {
    const cache = join(dir, 'node_modules/.cache/keikaku');
    const name = readdirSync(cache).find((f) => f.startsWith('exports-'));
    expect(name).toBeDefined();
    return join(cache, name!);
  };

  beforeAll(() => {
    ensureBuilt();
    dir = emptyDir();
    writeFiles(dir, { 'schema/library.ts': TABLES, 'schema/other.ts': `import { integer, table } from 'keikaku';\n\nexport const other = table('other', { id: integer().primaryKey() });\n` });
  });
  afterAll(removeProjects);

  it('places exports the same way from the cache as by scanning', async () => {
    const first = await sites();
    expect(first).toEqual(['shelves schema/library.ts:3:14', 'books schema/library.ts:6:14', 'other schema/other.ts:3:14']);
    const kept = readFileSync(entry(), 'utf8');
    expect(await sites()).toEqual(first);
    expect(readFileSync(entry(), 'utf8')).toBe(kept); // nothing scanned, nothing written
    // What the entry says is what is taken (the files are not scanned while their content is the same).
    const moved = JSON.parse(kept) as { files: Record<string, [string, number, number][]> };
    for (const k of Object.keys(moved.files)) moved.files[k] = moved.files[k]!.map(([n, line, col]) => [n, line + 40, col]);
    writeFileSync(entry(), JSON.stringify(moved));
    expect(await sites()).toEqual(['shelves schema/library.ts:43:14', 'books schema/library.ts:46:14', 'other schema/other.ts:43:14']);
    writeFileSync(entry(), kept);
  });

  it('scans a changed file again', async () => {
    writeFileSync(join(dir, 'schema/library.ts'), `\n\n${TABLES}`);
    expect(await sites()).toEqual(['shelves schema/library.ts:5:14', 'books schema/library.ts:8:14', 'other schema/other.ts:3:14']);
  });

  it('does not believe an entry of another shape', async () => {
    const text = readFileSync(entry(), 'utf8');
    const tampered = JSON.parse(text) as { files: Record<string, unknown[]> };
    for (const k of Object.keys(tampered.files)) tampered.files[k] = tampered.files[k]!.map((e) => [(e as unknown[])[0], 'one', null]);
    writeFileSync(entry(), JSON.stringify(tampered));
    expect(await sites()).toEqual(['shelves schema/library.ts:5:14', 'books schema/library.ts:8:14', 'other schema/other.ts:3:14']);
    writeFileSync(entry(), '{ not json');
    expect(await sites()).toEqual(['shelves schema/library.ts:5:14', 'books schema/library.ts:8:14', 'other schema/other.ts:3:14']);
  });
});
