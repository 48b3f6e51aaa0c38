/**
 * The differ: current schema + rename hints + desired schema → Change[]. A keyed comparison by qualified name;
 * objects Postgres cannot change in place are dropped and created, and so is everything that depends on them
 * (`rebuild.ts`). Changes come out in a stable order; the planner orders them by dependencies.
 */
import type { Change } from '../model/change.js';
import type { Schema, Sequence } from '../model/schema.js';
import { buildGraph, KeyNumbers, type DepGraph } from './graph.js';
import { applyRename, resolveRename, type Rename, type RenameHint } from './renames.js';
import { diffTables, ownedSequenceIndex } from './tables.js';
import { diffTypes } from './types.js';
import { diffObjects } from './objects.js';
import { rebuildDependents } from './rebuild.js';
import { foldInheritedMoves } from './tables.js';

export { parseRenameHint, RenameError, type Rename, type RenameHint } from './renames.js';

export interface DiffResult {
  readonly changes: readonly Change[];
  /** The current schema under its new names (renames applied). */
  readonly current: Schema;
  /** The current schema as read, before any rename. */
  readonly original: Schema;
  readonly desired: Schema;
  readonly currentGraph: DepGraph;
  readonly desiredGraph: DepGraph;
  /** The renames carried out, in order, and the hints that asked for them. */
  readonly renames: readonly Rename[];
  readonly usedHints: readonly string[];
}

export const diff = (current: Schema, desired: Schema, hints: readonly RenameHint[] = []): DiffResult => {
  const first = diffWith(current, desired, hints);
  // A rename whose object is dropped anyway is moot, and would leave the downgrade recreating the dropped
  // object under its new name: such hints are left out and the diff is made again.
  const moot = first.renames.map((r, i) => (droppedAfterRename(first.changes, r) ? i : -1)).filter((i) => i >= 0);
  if (moot.length === 0) return first;
  const used = first.hints.filter((_, i) => !moot.includes(i));
  return diffWith(current, desired, used);
};

const droppedAfterRename = (changes: readonly Change[], r: Rename): boolean =>
  changes.some((c) => {
    switch (r.kind) {
      case 'column':
        return (
          (c.kind === 'drop_table' && c.from.schema === r.schema && c.from.name === r.table) ||
          (c.kind === 'drop_column' && c.table.schema === r.schema && c.table.name === r.table && c.from.name === r.to)
        );
      case 'constraint':
        return (
          (c.kind === 'drop_table' && c.from.schema === r.schema && c.from.name === r.table) ||
          (c.kind === 'drop_constraint' && c.table.schema === r.schema && c.table.name === r.table && c.from.name === r.to)
        );
      default:
        return false;
    }
  });

/**
 * Each schema's dependency graph, built once: `generate` diffs the declared schema against the history and then,
 * for `schema.sql`, against the empty schema (schemas are not changed once made). A graph answers by key, whatever
 * numbering it was built with.
 */
const graphs = new WeakMap<Schema, { readonly graph: DepGraph; readonly numbers: KeyNumbers }>();
const graphOf = (s: Schema, numbers: KeyNumbers): DepGraph => {
  let g = graphs.get(s);
  if (!g) {
    g = { graph: buildGraph(s, numbers), numbers };
    graphs.set(s, g);
  }
  return g.graph;
};

/**
 * Builds, ahead of a diff from `current` (to `desired`, when known), what that diff will need of it (its
 * dependency graph, both directions packed; the desired side's with the same numbering): for a caller that would
 * otherwise wait, such as `generate` while the shadow normalizes schema/. A diff with renames builds the graph of
 * the renamed schema instead, and the current side's is not used.
 */
export const prepareDiff = (current: Schema, desired?: Schema): void => {
  const numbers = graphs.get(current)?.numbers ?? new KeyNumbers();
  for (const s of desired && desired !== current ? [current, desired] : [current]) {
    const g = graphOf(s, numbers);
    g.depsOf('');
    g.dependentsOf('');
  }
};

const diffWith = (current: Schema, desired: Schema, hints: readonly RenameHint[]): DiffResult & { hints: RenameHint[] } => {
  const renameChanges: Change[] = [];
  const renames: Rename[] = [];
  const used: RenameHint[] = [];
  let from = current;
  for (const hint of hints) {
    const rename = resolveRename(from, hint);
    if (!rename) continue;
    const { schema, change } = applyRename(from, rename);
    from = schema;
    renames.push(rename);
    used.push(hint);
    renameChanges.push(change);
  }
  const common = { current: from, original: current, desired, renames, hints: used, usedHints: used.map((h) => h.text) };
  if (from === desired) {
    // The very same schema on both sides (a warm `plan`: the committed head is both the history's schema and the
    // normalization of an unchanged schema/) differs in nothing; its graph is built only if asked for.
    let graph: DepGraph | undefined;
    const lazy = () => (graph ??= buildGraph(from, new KeyNumbers()));
    return {
      ...common,
      changes: [],
      get currentGraph() {
        return lazy();
      },
      get desiredGraph() {
        return lazy();
      },
    };
  }
  // The numbering of the current side's graph when it was built ahead (`prepareDiff`): the desired side's keys are
  // nearly all the same.
  const numbers = graphs.get(from)?.numbers ?? new KeyNumbers();
  const currentGraph = graphOf(from, numbers);
  const desiredGraph = graphOf(desired, numbers);
  const ctx: DiffContext = {
    from,
    to: desired,
    currentGraph,
    desiredGraph,
    ownedSequences: ownedSequenceIndex({ from, to: desired }),
  };
  const changes = [...renameChanges, ...diffObjects(ctx), ...diffTypes(ctx), ...diffTables(ctx)];
  return { ...common, changes: rebuildDependents(ctx, foldInheritedMoves(ctx, mergeEnumRenames(changes))), currentGraph, desiredGraph };
};

/** A renamed enum value and values added to the same type become one ALTER TYPE change. */
const mergeEnumRenames = (changes: Change[]): Change[] => {
  const out: Change[] = [];
  for (const c of changes) {
    if (c.kind === 'alter_enum') {
      const i = out.findIndex((o) => o.kind === 'alter_enum' && o.to.schema === c.from.schema && o.to.name === c.from.name);
      if (i >= 0) {
        const prev = out[i] as Extract<Change, { kind: 'alter_enum' }>;
        out[i] = {
          kind: 'alter_enum',
          from: prev.from,
          to: c.to,
          renamedValues: [...prev.renamedValues, ...c.renamedValues],
          columns: c.columns.length ? c.columns : prev.columns,
        };
        continue;
      }
    }
    out.push(c);
  }
  return out;
};

export interface DiffContext {
  readonly from: Schema;
  readonly to: Schema;
  readonly currentGraph: DepGraph;
  readonly desiredGraph: DepGraph;
  /** Current sequences the desired schema drops, by owning table (`tables.ts`). */
  readonly ownedSequences: ReadonlyMap<string, readonly Sequence[]>;
}

/** Pairs objects of two lists by a key: [only in a, in both, only in b], each in `b`'s (or `a`'s) order. */
export const pairBy = <T>(a: readonly T[], b: readonly T[], k: (x: T) => string) => {
  // Each object's key made once: pairing two schemas of 10^3 tables makes ~10^5 of them.
  const aKeys = a.map(k);
  const bKeys = b.map(k);
  const am = new Map<string, T>();
  for (let i = 0; i < a.length; i++) am.set(aKeys[i]!, a[i]!);
  const bm = new Set(bKeys);
  const removed: T[] = [];
  for (let i = 0; i < a.length; i++) if (!bm.has(aKeys[i]!)) removed.push(a[i]!);
  const both: (readonly [T, T])[] = [];
  const added: T[] = [];
  for (let i = 0; i < b.length; i++) {
    const x = am.get(bKeys[i]!);
    if (x === undefined && !am.has(bKeys[i]!)) added.push(b[i]!);
    else both.push([x as T, b[i]!] as const);
  }
  return { removed, both, added };
};
