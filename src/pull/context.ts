/**
 * What rendering one declaration needs: the schema it comes from, the export names of the declarations it
 * refers to, and a record of what it imports (DSL builders from keikaku, declarations from other files).
 */
import type { Index, Policy, Schema, Trigger } from '../model/schema.js';

/** A table's indexes, triggers and policies, grouped once per schema (not searched once per table). */
export interface TableParts {
  readonly indexes: readonly Index[];
  readonly triggers: readonly Trigger[];
  readonly policies: readonly Policy[];
}

const groups = new WeakMap<Schema, Map<string, TableParts>>();
const partsKey = (schema: string, table: string) => `${schema}\u0000${table}`;

export const tableParts = (s: Schema, schema: string, table: string): TableParts => {
  let g = groups.get(s);
  if (!g) {
    g = new Map();
    const entry = (x: { schema: string; table: string }) => {
      const k = partsKey(x.schema, x.table);
      let e = g!.get(k) as { indexes: Index[]; triggers: Trigger[]; policies: Policy[] } | undefined;
      if (!e) g!.set(k, (e = { indexes: [], triggers: [], policies: [] }));
      return e;
    };
    for (const i of s.indexes) entry(i).indexes.push(i);
    for (const t of s.triggers) entry(t).triggers.push(t);
    for (const p of s.policies) entry(p).policies.push(p);
    groups.set(s, g);
  }
  return g.get(partsKey(schema, table)) ?? { indexes: [], triggers: [], policies: [] };
};

export interface RenderScope {
  readonly schema: Schema;
  /** The export name of the declaration with this key; undefined when it is not pulled (left out by --schema). */
  exportOf(key: string): string | undefined;
}

/** Collects the imports of one declaration while it is rendered. */
export class DeclContext {
  readonly dslNames = new Set<string>();
  readonly refs = new Set<string>();
  /** Things the declaration could not express in the DSL (reported, never silently dropped). */
  readonly notes: string[] = [];
  constructor(readonly scope: RenderScope) {}
  /** A builder from keikaku, imported. */
  dsl(name: string): string {
    this.dslNames.add(name);
    return name;
  }
  /** Another declaration's export name, imported; undefined when it is not pulled. */
  ref(key: string): string | undefined {
    const name = this.scope.exportOf(key);
    if (name !== undefined) this.refs.add(key);
    return name;
  }
  note(text: string): void {
    this.notes.push(text);
  }
  get schema(): Schema {
    return this.scope.schema;
  }
}

/** The key of a custom (extension or unknown) type's `customType` declaration. */
export const customKey = (typeText: string): string => JSON.stringify(['custom', typeText]);
