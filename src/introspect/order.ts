/**
 * Deterministic ordering: by code unit, never by locale, so the same catalog gives the same model on every
 * machine and under every collation.
 */

export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A comparator over a tuple of strings taken from each element, compared part by part. */
export const byText =
  <T>(parts: (x: T) => readonly string[]) =>
  (a: T, b: T): number => {
    const pa = parts(a);
    const pb = parts(b);
    for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
      const c = compareText(pa[i]!, pb[i]!);
      if (c !== 0) return c;
    }
    return pa.length - pb.length;
  };

/** A sorted copy. */
export const sorted = <T>(xs: readonly T[], parts: (x: T) => readonly string[]): T[] => [...xs].sort(byText(parts));
