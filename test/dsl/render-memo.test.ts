/**
 * `memoizeRenders` (the daemon): a declaration's statements are taken again from its last render only when they
 * would be rendered the same. Memo on and off give equal scripts over any sequence of declared sets, with
 * reference functions that now return another object, references that are no longer exported, text types naming
 * a relation declared or not, and sites that moved.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { memoizeRenders, renderDeclared, withoutRenderMemo } from '../../src/dsl/ddl/script.js';
import type { Declared } from '../../src/dsl/ddl/site.js';
import { dataOf } from '../../src/dsl/brand.js';
import { fn, integer, sql, table, text, view } from '../../src/index.js';

afterEach(() => memoizeRenders(false));

// A reference function's target, changed between renders as a module evaluated again would change it.
let target: ReturnType<typeof makeParent> | undefined;
const makeParent = (name: string) => table(name, { id: integer().primaryKey(), label: text() });
const parents = [makeParent('parents'), makeParent('parents'), makeParent('elders')];
target = parents[0];
const child = table('children', {
  id: integer().primaryKey(),
  parentId: integer().references(() => target!.id),
});
const lister = fn('list_parents', { returns: 'SETOF public.parents', language: 'sql', body: 'SELECT * FROM parents' });
const named = view('parent_labels', sql`SELECT label FROM ${parents[0]!}`);
const POOL = [...parents, child, lister, named];

const declared = (picks: readonly { i: number; line: number }[]): Declared[] =>
  picks.map(({ i, line }) => ({ data: dataOf(POOL[i])!, exportName: `x${i}`, site: { file: 'mem.ts', line, col: 1 }, parts: new Map() }));

/** What a render says, without object identities. */
const said = (d: readonly Declared[]) => {
  const { statements, problems } = renderDeclared(d);
  return { statements: statements.map((s) => ({ sql: s.sql, object: s.object, site: s.site, unit: s.unit })), problems: problems.map((p) => [p.code, p.message, p.file, p.line, p.col]) };
};

describe('memoizeRenders', () => {
  it('takes an unchanged declaration from its last render (same statement parts), and renders a changed one again', () => {
    memoizeRenders(true);
    target = parents[0];
    const picks = [{ i: 0, line: 1 }, { i: 3, line: 2 }];
    const a = renderDeclared(declared(picks));
    const b = renderDeclared(declared(picks));
    expect(b.statements.map((s) => s.sql)).toEqual(a.statements.map((s) => s.sql));
    // Taken from the memo: the same spans arrays, not made again.
    expect(b.statements.every((s, i) => s.spans === a.statements[i]!.spans)).toBe(true);
    // The reference function now returns another table: the child is rendered again, and names it.
    target = parents[2];
    const c = renderDeclared(declared([{ i: 2, line: 1 }, { i: 3, line: 2 }]));
    expect(c.problems).toEqual([]);
    expect(c.statements.map((s) => s.sql).join('\n')).toMatch(/REFERENCES "public"\."elders"/);
    // The same table moved to another line: its statements say the new site.
    const d = renderDeclared(declared([{ i: 2, line: 1 }, { i: 3, line: 7 }]));
    expect(d.statements.find((s) => s.object.includes('children'))!.site.line).toBe(7);
  });

  it('reports a reference that is no longer exported, though the last render of it had none', () => {
    memoizeRenders(true);
    target = parents[0];
    expect(renderDeclared(declared([{ i: 0, line: 1 }, { i: 3, line: 2 }])).problems).toEqual([]);
    expect(renderDeclared(declared([{ i: 3, line: 2 }])).problems.map((p) => p.code)).not.toEqual([]);
  });

  it('gives what a render without the memo gives, over any sequence of declared sets and reference targets', () => {
    const step = fc.record({
      target: fc.integer({ min: 0, max: parents.length - 1 }),
      picks: fc.uniqueArray(fc.record({ i: fc.integer({ min: 0, max: POOL.length - 1 }), line: fc.integer({ min: 1, max: 3 }) }), { selector: (p) => p.i, maxLength: POOL.length }),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (steps) => {
        memoizeRenders(false);
        memoizeRenders(true); // a memo of its own for each sequence
        for (const s of steps) {
          target = parents[s.target];
          const d = declared(s.picks);
          expect(said(d)).toEqual(withoutRenderMemo(() => said(d)));
        }
      }),
      { numRuns: 200 },
    );
  });
});
