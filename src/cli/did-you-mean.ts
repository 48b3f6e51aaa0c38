/** The nearest known word to a mistyped one, for "did you mean …?" hints. */

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
export const editDistance = (a: string, b: string): number => {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  return d[a.length]![b.length]!;
};

/**
 * The candidate `word` most likely meant: the closest within a third of its length in edits (at least one), else the
 * only candidate it is a prefix of (`gen` → `generate`); undefined when nothing is close.
 */
export const closest = (word: string, candidates: readonly string[]): string | undefined => {
  const w = word.toLowerCase();
  const scored = candidates.map((c) => ({ c, d: editDistance(w, c) })).sort((x, y) => x.d - y.d || x.c.localeCompare(y.c));
  const best = scored[0];
  if (best && best.d <= Math.max(1, Math.floor(w.length / 3))) return best.c;
  const prefixed = w.length >= 2 ? candidates.filter((c) => c.startsWith(w)) : [];
  return prefixed.length === 1 ? prefixed[0] : undefined;
};
