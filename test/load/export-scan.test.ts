/**
 * The tokenizer that places exports without the TypeScript compiler must agree with the syntax tree on every
 * schema file we have, and must not be fooled by export-like text in comments, strings, templates and regexes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanExports } from '../../src/load/export-scan.js';
import { exportSites } from '../../src/load/schema-positions.js';
import { projectRoot } from '../support/paths.js';

const tsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

describe('scanExports', () => {
  const files = [
    ...tsFiles(join(projectRoot, 'schema')),
    ...tsFiles(join(projectRoot, 'test/dsl/corpus')),
    ...tsFiles(join(projectRoot, 'test/load/fixtures')),
  ];

  it('places every export where the syntax tree does, on every schema file in the repository', () => {
    expect(files.length).toBeGreaterThan(90);
    let compared = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const tree = new Map([...exportSites(text, file)].map(([k, v]) => [k, v.site]));
      expect(Object.fromEntries(scanExports(text, file)), file).toEqual(Object.fromEntries(tree));
      compared += tree.size;
    }
    expect(compared).toBeGreaterThan(150);
  });

  it('skips export-like text in comments, strings, templates and regular expressions', () => {
    const text = [
      "import { table, text, sql } from 'keikaku';",
      '// export const commented = 1;',
      '/* export const blockCommented = 1; */',
      "const s = 'export const inString = 1';",
      'const re = /export const inRegex = 1/g;',
      'const tpl = `export const inTemplate ${`nested ${"}"} export const deeper`} still template`;',
      'export const first = table("first", { body: text().default(sql`x ${1 / 2} }`) });',
      'function f() { const inner = 1; return { export: inner }; }',
      'const local = 1, other = 2;',
      'export { local as renamed };',
      "export { fromElsewhere } from './other.js';",
      'export default first;',
    ].join('\n');
    const tree = new Map([...exportSites(text, 'x.ts')].map(([k, v]) => [k, v.site]));
    const scanned = scanExports(text, 'x.ts');
    expect([...scanned.keys()].sort()).toEqual(['default', 'first', 'renamed']);
    expect(Object.fromEntries(scanned)).toEqual(Object.fromEntries(tree));
    expect(scanned.get('first')).toEqual({ file: 'x.ts', line: 7, col: 14 });
  });
});
