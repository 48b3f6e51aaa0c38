/**
 * The objects introspection read, as nodes of a dependency graph: each model key once, the catalog identities
 * that stand for it (a (catalog, oid, sub-id) triple as in `pg_depend`), and the edges between nodes. Only the
 * model's own objects are registered, so an edge found through here always joins two of the model's objects.
 * Nodes are small integers and each key string is built once: a large database has ~10^5 keys and edges.
 */
import { schemaKey } from '../model/keys.js';
import type { Dependency } from '../model/schema.js';
import { compareText } from './order.js';

/** The catalogs whose rows stand for a model object (or a part of one). */
export type Catalog =
  | 'pg_namespace'
  | 'pg_extension'
  | 'pg_type'
  | 'pg_class'
  | 'pg_attrdef'
  | 'pg_constraint'
  | 'pg_rewrite'
  | 'pg_proc'
  | 'pg_trigger'
  | 'pg_policy';

export class ObjectIds {
  private readonly keys: string[] = [];
  private readonly nodes = new Map<string, number>();
  private readonly schemas = new Map<string, number>();
  private readonly objects = new Map<string, Map<number, number>>();
  /** Columns: relation oid → column number → node. */
  private readonly columns = new Map<number, Map<number, number>>();
  /** By node: the nodes it needs, in the order found, repeats included (dropped by `dependencies`). */
  private readonly edges: (number[] | undefined)[] = [];
  /** Edges to objects that may be registered later, or never (a parent in a schema left out). */
  private readonly pending: [number, string][] = [];

  /** The node of a model object, registered on first use. */
  node(key: string): number {
    let n = this.nodes.get(key);
    if (n === undefined) {
      n = this.keys.length;
      this.keys.push(key);
      this.edges.push(undefined);
      this.nodes.set(key, n);
    }
    return n;
  }

  /** A schema's node, also found by name for `inSchema`. */
  schema(name: string): number {
    const n = this.node(schemaKey(name));
    this.schemas.set(name, n);
    return n;
  }

  /** Registers a catalog row standing for `node`; `subId` is a column number for a column of a relation. */
  add(catalog: Catalog, oid: number | null, node: number, subId = 0): void {
    if (oid === null || oid === 0) return;
    if (subId !== 0) {
      let cols = this.columns.get(oid);
      if (!cols) this.columns.set(oid, (cols = new Map()));
      cols.set(subId, node);
      return;
    }
    let m = this.objects.get(catalog);
    if (!m) this.objects.set(catalog, (m = new Map()));
    m.set(oid, node);
  }

  /**
   * The node of a catalog object, or undefined when it is none of the model's. A column the model does not hold
   * on its own (a view's column, a partition's inherited column) stands for its relation.
   */
  nodeOf(catalog: string, oid: number, subId: number): number | undefined {
    if (subId !== 0 && catalog === 'pg_class') {
      const n = this.columns.get(oid)?.get(subId);
      if (n !== undefined) return n;
    }
    return this.objects.get(catalog)?.get(oid);
  }

  /** True when the model holds the object of `key`. */
  has(key: string): boolean {
    return this.nodes.has(key);
  }

  /** "`from` cannot exist without `to`"; `to` given by key counts only if the model holds it in the end. */
  edge(from: number | undefined, to: number | string | undefined): void {
    if (from === undefined || to === undefined) return;
    if (typeof to === 'string') {
      this.pending.push([from, to]);
      return;
    }
    if (from === to) return;
    const tos = this.edges[from];
    if (tos) tos.push(to);
    else this.edges[from] = [to];
  }

  /** The edge of an object to its schema, if the model holds that schema. */
  inSchema(from: number, schema: string): void {
    this.edge(from, this.schemas.get(schema));
  }

  /** Every edge, by key, deduplicated and sorted. */
  dependencies(): Dependency[] {
    for (const [from, to] of this.pending.splice(0)) this.edge(from, this.nodes.get(to));
    const byKey = (a: number, b: number) => compareText(this.keys[a]!, this.keys[b]!);
    const froms: number[] = [];
    for (let n = 0; n < this.edges.length; n++) if (this.edges[n]) froms.push(n);
    const out: Dependency[] = [];
    for (const from of froms.sort(byKey)) {
      const tos = this.edges[from]!.sort(byKey);
      for (let i = 0; i < tos.length; i++) {
        if (i > 0 && tos[i] === tos[i - 1]) continue;
        out.push({ from: this.keys[from]!, to: this.keys[tos[i]!]! });
      }
    }
    return out;
  }
}
