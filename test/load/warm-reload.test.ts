/**
 * A process that loads schema/ again (the daemon, `--watch`) evaluates again only what changed: a file whose
 * content changed and every module that imports it, all of them when a variable their evaluation read changed,
 * and everything after a load that failed. What it gives is what a first load of the same files gives.
 */
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { requireSchemaFiles } from '../../src/load/schema-import.js';
import { projectRoot } from '../support/paths.js';

// Inside the repository, so that `keikaku` resolves to this package as it does for schema/.
const dir = mkdtempSync(join(projectRoot, 'test', '.tmp-warm-reload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const evaluations: string[] = [];
(globalThis as { __warmReload?: string[] }).__warmReload = evaluations;

const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
/** A module that records its evaluation and exports `value` built from its own text and its imports'. */
const moduleText = (name: string, own: string, imports: readonly string[], extra = '') =>
  [
    ...imports.map((i) => `import { value as ${i} } from './${i}.js';`),
    `(globalThis as any).__warmReload.push('${name}');`,
    extra,
    `export const value = [${JSON.stringify(own)}, ${imports.join(', ')}].join('+');`,
    `export const box = { value };`,
    '',
  ].join('\n');

const load = async (files: readonly string[]) => {
  evaluations.length = 0;
  const r = await requireSchemaFiles(files);
  return { exports: r, evaluated: [...evaluations].sort() };
};
const valueOf = (r: Map<string, Record<string, unknown>> | null, file: string) => r?.get(file)?.value;

describe('a later load of schema files', () => {
  const shared = write('shared.ts', moduleText('shared', 's1', []));
  const a = write('a.ts', moduleText('a', 'a1', []));
  const b = write('b.ts', moduleText('b', 'b1', ['shared']));
  const files = [a, b];

  it('evaluates the changed file and its importers only, and keeps the rest as they were', async () => {
    const first = await load(files);
    expect(first.evaluated).toEqual(['a', 'b', 'shared']);
    expect(valueOf(first.exports, b)).toBe('b1+s1');

    write('a.ts', moduleText('a', 'a2', []));
    const second = await load(files);
    expect(second.evaluated).toEqual(['a']);
    expect(valueOf(second.exports, a)).toBe('a2');
    // b was not evaluated again: the very same values.
    expect(second.exports!.get(b)!.box).toBe(first.exports!.get(b)!.box);

    write('shared.ts', moduleText('shared', 's2', []));
    const third = await load(files);
    expect(third.evaluated).toEqual(['b', 'shared']);
    expect(valueOf(third.exports, b)).toBe('b1+s2');
    expect(third.exports!.get(a)!.box).toBe(second.exports!.get(a)!.box);

    // Nothing changed: nothing evaluated.
    expect((await load(files)).evaluated).toEqual([]);
  });

  it('fails when an imported file is gone, and evaluates everything once it is back', async () => {
    unlinkSync(shared);
    expect((await load(files)).exports).toBeNull();
    write('shared.ts', moduleText('shared', 's3', []));
    const back = await load(files);
    expect(back.evaluated).toEqual(['a', 'b', 'shared']);
    expect(valueOf(back.exports, b)).toBe('b1+s3');
  });

  it('evaluates everything again after a file threw, and then only what changes', async () => {
    write('a.ts', moduleText('a', 'a3', [], `if (process.env.WARM_RELOAD_THROW) throw new Error('no');`));
    process.env.WARM_RELOAD_THROW = '1';
    try {
      expect((await load(files)).exports).toBeNull();
    } finally {
      delete process.env.WARM_RELOAD_THROW;
    }
    const after = await load(files);
    expect(after.evaluated).toEqual(['a', 'b', 'shared']);
    expect(valueOf(after.exports, a)).toBe('a3');
    write('b.ts', moduleText('b', 'b2', ['shared']));
    expect((await load(files)).evaluated).toEqual(['b']);
  });

  it('evaluates everything again when a variable read by the evaluation changed', async () => {
    write('a.ts', moduleText('a', 'a4', [], `export const fromEnv = process.env.WARM_RELOAD_VALUE ?? null;`));
    process.env.WARM_RELOAD_VALUE = 'one';
    try {
      const first = await load(files);
      expect(first.exports!.get(a)!.fromEnv).toBe('one');
      expect((await load(files)).evaluated).toEqual([]);
      process.env.WARM_RELOAD_VALUE = 'two';
      const second = await load(files);
      expect(second.evaluated).toEqual(['a', 'b', 'shared']);
      expect(second.exports!.get(a)!.fromEnv).toBe('two');
    } finally {
      delete process.env.WARM_RELOAD_VALUE;
    }
  });

  it('gives what the files say after any sequence of edits (a chain and a diamond of imports)', async () => {
    // d imports b and c, which both import a; e imports nothing; the schema files are d and e.
    const graph: Record<string, readonly string[]> = { pa: [], pb: ['pa'], pc: ['pa'], pd: ['pb', 'pc'], pe: [] };
    const names = Object.keys(graph);
    const own = Object.fromEntries(names.map((n) => [n, `${n}0`]));
    for (const n of names) write(`${n}.ts`, moduleText(n, own[n]!, graph[n]!));
    const roots = [join(dir, 'pd.ts'), join(dir, 'pe.ts')];
    const expected = (n: string): string => [own[n]!, ...graph[n]!.map(expected)].join('+');
    await load(roots);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...names), fc.string({ maxLength: 6 })), { minLength: 1, maxLength: 4 }), async (edits) => {
        const before = { ...own };
        for (const [n, text] of edits) {
          own[n] = `${n}:${text}`;
          write(`${n}.ts`, moduleText(n, own[n]!, graph[n]!));
        }
        const r = await load(roots);
        expect(valueOf(r.exports, roots[0]!)).toBe(expected('pd'));
        expect(valueOf(r.exports, roots[1]!)).toBe(expected('pe'));
        // Only modules whose text changed, or that import one that did, were evaluated.
        const changed = new Set(names.filter((n) => own[n] !== before[n]));
        const reaches = (n: string): boolean => changed.has(n) || graph[n]!.some(reaches);
        expect(r.evaluated).toEqual(names.filter(reaches).sort());
      }),
      { numRuns: 25 },
    );
  });

  // Last: it leaves this process importing schema files as ES modules.
  it('stops requiring files that cannot be required at all (top-level await): no second evaluation each load', async () => {
    const plain = write('plain.ts', moduleText('plain', 'p1', []));
    const awaits = write('awaits.ts', `${moduleText('awaits', 'w1', [])}\nexport const later = await Promise.resolve(1);\n`);
    const first = await load([plain, awaits]);
    expect(first.exports).toBeNull();
    const second = await load([plain, awaits]);
    expect(second.exports).toBeNull();
    expect(second.evaluated).toEqual([]);
  });
});
