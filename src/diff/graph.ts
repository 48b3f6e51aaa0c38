import * as K from '../model/keys.js';
import type { Schema } from '../model/schema.js';

/**
 * Dependencies of one schema. `depsOf(a)` are the keys `a` needs, `dependentsOf(b)` the keys that need `b`: each
 * key once, in the order the edges were found (Postgres's own first, then the ones the model implies).
 */
export interface DepGraph {
  depsOf(k: string): readonly string[];
  dependentsOf(k: string): readonly string[];
}

/** Edges by node, packed: the neighbours of node `i` are `list[start[i]]` up to `list[start[i + 1]]`, in edge order. */
interface Adjacency {
  readonly start: Int32Array;
  readonly list: Int32Array;
}

const adjacency = (nodes: number, from: readonly number[], to: readonly number[]): Adjacency => {
  const start = new Int32Array(nodes + 1);
  for (const f of from) start[f + 1]!++;
  for (let i = 0; i < nodes; i++) start[i + 1]! += start[i]!;
  const next = start.slice(0, nodes);
  const list = new Int32Array(from.length);
  for (let e = 0; e < from.length; e++) list[next[from[e]!]!++] = to[e]!;
  return { start, list };
};

const NONE: readonly string[] = Object.freeze([]);

/** Numbers for keys. The two graphs of a diff share one: their keys are nearly all the same. */
export class KeyNumbers {
  private readonly ids = new Map<string, number>();
  private readonly keys: string[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** The key's number, given on first use. */
  number(k: string): number {
    let i = this.ids.get(k);
    if (i === undefined) {
      i = this.keys.length;
      this.keys.push(k);
      this.ids.set(k, i);
    }
    return i;
  }

  find(k: string): number | undefined {
    return this.ids.get(k);
  }

  key(i: number): string {
    return this.keys[i]!;
  }
}

/**
 * The edges between numbered keys, each direction packed when first read. A schema of 10^3 tables has ~10^5 keys
 * and edges, of which a diff reads a few (those of its changes), and the desired schema's dependents never: a
 * set per key was most of the diff's time and memory.
 */
class Edges implements DepGraph {
  private readonly from: number[] = [];
  private readonly to: number[] = [];
  private out: Adjacency | undefined;
  private in: Adjacency | undefined;
  /** The ends of the last edge: edges come in runs with one end in common (pg_depend's by `from`, a table's columns). */
  private lastFrom = '';
  private lastFromId = -1;
  private lastTo = '';
  private lastToId = -1;

  constructor(private readonly numbers: KeyNumbers) {}

  add(a: string, b: string): void {
    if (a === b) return;
    if (a !== this.lastFrom) {
      this.lastFrom = a;
      this.lastFromId = this.numbers.number(a);
    }
    if (b !== this.lastTo) {
      this.lastTo = b;
      this.lastToId = this.numbers.number(b);
    }
    this.from.push(this.lastFromId);
    this.to.push(this.lastToId);
  }

  depsOf(k: string): readonly string[] {
    return this.neighbours((this.out ??= adjacency(this.numbers.size, this.from, this.to)), k);
  }

  dependentsOf(k: string): readonly string[] {
    return this.neighbours((this.in ??= adjacency(this.numbers.size, this.to, this.from)), k);
  }

  /** Each neighbour once, first edge first; none for a key numbered after the lists were packed (the other graph's). */
  private neighbours(adj: Adjacency, k: string): readonly string[] {
    const i = this.numbers.find(k);
    if (i === undefined || i + 1 >= adj.start.length) return NONE;
    const first = adj.start[i]!;
    const end = adj.start[i + 1]!;
    // Most keys have no neighbour or one.
    if (first === end) return NONE;
    if (end - first === 1) return [this.numbers.key(adj.list[first]!)];
    const out = new Set<string>();
    for (let j = first; j < end; j++) out.add(this.numbers.key(adj.list[j]!));
    return [...out];
  }
}

/**
 * Postgres's own edges (`pg_depend`) plus the ones the model implies. A sequence's ownership edge to its column
 * is left out on purpose: the column's default needs the sequence first, ownership is set afterwards.
 */
export const buildGraph = (s: Schema, numbers: KeyNumbers = new KeyNumbers()): DepGraph => {
  const g = new Edges(numbers);
  const edge = (a: string, b: string) => g.add(a, b);
  const relKey = new Map<string, string>();
  for (const t of s.tables) relKey.set(JSON.stringify([t.schema, t.name]), K.tableKey(t.schema, t.name));
  for (const v of s.views) relKey.set(JSON.stringify([v.schema, v.name]), K.viewKey(v.schema, v.name));
  const rel = (schema: string, name: string) =>
    relKey.get(JSON.stringify([schema, name])) ?? K.tableKey(schema, name);

  const SEQUENCE = K.key('sequence').slice(0, -1);
  const COLUMN = K.key('column').slice(0, -1);
  for (const d of s.dependencies) {
    if (d.from.startsWith(SEQUENCE) && d.to.startsWith(COLUMN)) continue;
    edge(d.from, d.to);
  }
  const inSchema = (k: string, schema: string) => edge(k, K.schemaKey(schema));
  for (const e of s.extensions) inSchema(K.extensionKey(e.name), e.schema);
  for (const t of [...s.enums, ...s.domains, ...s.composites]) inSchema(K.typeKey(t.schema, t.name), t.schema);
  for (const q of s.sequences) inSchema(K.sequenceKey(q.schema, q.name), q.schema);
  for (const f of s.functions) inSchema(K.functionKey(f.schema, f.name, f.identityArgs), f.schema);
  for (const v of s.views) inSchema(K.viewKey(v.schema, v.name), v.schema);
  for (const t of s.tables) {
    const tk = K.tableKey(t.schema, t.name);
    inSchema(tk, t.schema);
    if (t.partitionOf) edge(tk, K.tableKey(t.partitionOf.parentSchema, t.partitionOf.parent));
    for (const p of t.inherits) edge(tk, K.tableKey(p.schema, p.table));
    for (const c of t.columns) edge(K.columnKey(t.schema, t.name, c.name), tk);
    for (const c of t.constraints) {
      const ck = K.constraintKey(t.schema, t.name, c.name);
      edge(ck, tk);
      for (const col of c.columns) edge(ck, K.columnKey(t.schema, t.name, col));
      if (c.type === 'primary') for (const col of c.columns) edge(ck, K.notNullKey(t.schema, t.name, col));
      if (c.references) edge(ck, K.tableKey(c.references.schema, c.references.table));
    }
  }
  for (const i of s.indexes) {
    const ik = K.indexKey(i.schema, i.name);
    edge(ik, rel(i.schema, i.table));
    for (const col of i.columns) if (col) edge(ik, K.columnKey(i.schema, i.table, col));
  }
  for (const t of s.triggers) edge(K.triggerKey(t.schema, t.table, t.name), rel(t.schema, t.table));
  for (const p of s.policies) edge(K.policyKey(p.schema, p.table, p.name), K.tableKey(p.schema, p.table));
  return g;
};

