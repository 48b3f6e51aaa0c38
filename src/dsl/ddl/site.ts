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

/** The site of a part, or of the whole declaration when the part's is unknown. */
export const partSite = (d: Declared, ...keys: readonly string[]): Site => {
  for (const k of keys) {
    const s = d.parts.get(k);
    if (s) return s;
  }
  return d.site;
};
