/** Where something was declared: a file and a 1-based line and column. */
export interface Site {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export const formatSite = (s: Site): string => `${s.file}:${s.line}:${s.col}`;

/** A DSL declaration with the places it and its parts were written. */
export interface Declared {
  /** The `[DSL]` data of an exported value: a schema, extension, type, sequence, table, view or routine. */
  readonly data: { readonly kind: string };
  /** The export's name, for messages. */
  readonly exportName: string;
  readonly site: Site;
  /**
   * Sites of the declaration's parts, when known: `column:<key>` (a table's property), `extra:<i>` (the i-th
   * element of a table's extras), `value:<i>` (an enum's i-th value), `renamedFrom` / `column:<key>:renamedFrom` /
   * `extra:<i>:renamedFrom` / `value:<i>:renamedFrom` (where a rename hint was written).
   */
  readonly parts: ReadonlyMap<string, Site>;
}

/**
 * A site whose line and column are found only when read. Finding parts' positions needs the file's syntax tree,
 * which costs seconds on a large schema; most runs print no diagnostic and never read one.
 */
export const lazySite = (file: string, find: () => Site): Site => {
  let found: Site | undefined;
  const get = () => (found ??= find());
  return {
    file,
    get line() {
      return get().line;
    },
    get col() {
      return get().col;
    },
  };
};

/** A map computed on first use (the parts of a declaration, from the syntax tree). */
export class LazyMap<K, V> implements ReadonlyMap<K, V> {
  #map: ReadonlyMap<K, V> | undefined;
  constructor(private readonly compute: () => ReadonlyMap<K, V>) {}
  private get map(): ReadonlyMap<K, V> {
    return (this.#map ??= this.compute());
  }
  get size() {
    return this.map.size;
  }
  get(k: K) {
    return this.map.get(k);
  }
  has(k: K) {
    return this.map.has(k);
  }
  forEach(fn: (v: V, k: K, m: ReadonlyMap<K, V>) => void) {
    this.map.forEach((v, k) => fn(v, k, this));
  }
  entries() {
    return this.map.entries();
  }
  keys() {
    return this.map.keys();
  }
  values() {
    return this.map.values();
  }
  [Symbol.iterator]() {
    return this.map[Symbol.iterator]();
  }
}

/** The site of a part, or of the whole declaration when the part's is unknown; looked up when first read. */
export const partSite = (d: Declared, ...keys: readonly string[]): Site =>
  lazySite(d.site.file, () => {
    for (const k of keys) {
      const s = d.parts.get(k);
      if (s) return s;
    }
    return d.site;
  });
