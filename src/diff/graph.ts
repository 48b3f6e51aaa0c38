import * as K from '../model/keys.js';
import type { Schema } from '../model/schema.js';

/** Dependencies of one schema as adjacency sets: `deps.get(a)` are the keys `a` needs; `dependents` the reverse. */
export interface DepGraph {
  readonly deps: ReadonlyMap<string, ReadonlySet<string>>;
  readonly dependents: ReadonlyMap<string, ReadonlySet<string>>;
}

const add = (m: Map<string, Set<string>>, a: string, b: string) => {
  let s = m.get(a);
  if (!s) m.set(a, (s = new Set()));
  s.add(b);
};

/**
 * Postgres's own edges (`pg_depend`) plus the ones the model implies. A sequence's ownership edge to its column
 * is left out on purpose: the column's default needs the sequence first, ownership is set afterwards.
 */
export const buildGraph = (s: Schema): DepGraph => {
  const deps = new Map<string, Set<string>>();
  const dependents = new Map<string, Set<string>>();
  const edge = (a: string, b: string) => {
    if (a === b) return;
    add(deps, a, b);
    add(dependents, b, a);
  };
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
  return { deps, dependents };
};

export const depsOf = (g: DepGraph, k: string): readonly string[] => [...(g.deps.get(k) ?? [])];
export const dependentsOf = (g: DepGraph, k: string): readonly string[] => [...(g.dependents.get(k) ?? [])];
