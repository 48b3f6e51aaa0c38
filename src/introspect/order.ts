/**
 * Deterministic ordering: by code unit, never by locale, so the same catalog gives the same model on every
 * machine and under every collation.
 */

export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const compareParts = (pa: readonly string[], pb: readonly string[]): number => {
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const c = compareText(pa[i]!, pb[i]!);
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
};

/** A comparator over a tuple of strings taken from each element, compared part by part. */
export const byText =
  <T>(parts: (x: T) => readonly string[]) =>
  (a: T, b: T): number =>
    compareParts(parts(a), parts(b));

/**
 * A sorted copy (stable, as `byText`). Each element's parts are taken once, not at every comparison: the lists
 * sorted here reach 10^5 elements (dependencies of 10^3 tables).
 */
export const sorted = <T>(xs: readonly T[], parts: (x: T) => readonly string[]): T[] =>
  xs
    .map((x) => ({ x, parts: parts(x) }))
    .sort((a, b) => compareParts(a.parts, b.parts))
    .map((k) => k.x);
