/**
 * Who owns the pipeline, read from the imports of src/: the CLI is parsing and printing, so nothing outside
 * src/cli/ imports from it, and src/cli/ reaches the pipeline only through src/api.ts (types aside), never its
 * owner (src/project/) or the stages that load, normalize, write or run it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/paths.js';

const src = join(projectRoot, 'src');

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

interface Import {
  readonly from: string;
  /** The imported file, relative to src/ (`project/diff.ts`). */
  readonly to: string;
  readonly typeOnly: boolean;
}

/** Static imports, re-exports and `await import(…)` of relative paths. */
const importsOf = (file: string): Import[] => {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  const add = (spec: string, typeOnly: boolean) => {
    if (!spec.startsWith('.')) return;
    out.push({ from: relative(src, file), to: relative(src, resolve(dirname(file), spec)).replace(/\.js$/, '.ts'), typeOnly });
  };
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gm)) add(m[2]!, m[1] !== undefined);
  for (const m of text.matchAll(/import\('([^']+)'\)/g)) add(m[1]!, false);
  return out;
};

const all = files(src).flatMap(importsOf);

/**
 * Where the pipeline lives: the CLI may name their types, never call them. It opens no connection (`db/pg.ts`),
 * writes no mark (`apply/mark.ts`) and makes no SQL text (`render/`).
 */
const PIPELINE = [
  /^db\/pg\.ts$/,
  /^apply\/mark\.ts$/,
  /^render\//,
  /^project\//,
  /^load\/(shadow|history-schema|schema-dir|incremental|source)\.ts$/,
  /^emit\/write\.ts$/,
  /^pull\/(index|baseline)\.ts$/,
  /^check\/index\.ts$/,
  /^verify\/index\.ts$/,
  /^apply\/index\.ts$/,
];

describe('the pipeline has one owner', () => {
  it('reads the imports (the scan finds what it looks for)', () => {
    expect(all.some((i) => i.from === 'cli/plan.ts' && i.to === 'api.ts' && !i.typeOnly)).toBe(true);
    expect(all.some((i) => i.from === 'api.ts' && i.to === 'project/generate.ts')).toBe(true);
    expect(all.some((i) => i.from === 'cli/commands/pull.ts' && i.to === 'api.ts')).toBe(true);
  });

  it('nothing outside src/cli/ imports from src/cli/', () => {
    expect(all.filter((i) => !i.from.startsWith('cli/') && i.to.startsWith('cli/'))).toEqual([]);
  });

  it('src/cli/ calls the pipeline only through src/api.ts', () => {
    const offending = all.filter((i) => i.from.startsWith('cli/') && !i.typeOnly && PIPELINE.some((p) => p.test(i.to)));
    expect(offending.map((i) => `${i.from} → ${i.to}`)).toEqual([]);
  });
});
