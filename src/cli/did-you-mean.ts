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

/**
 * The word of `argv` that was meant as the command, when none of its words is one, and the command it most likely
 * meant. A word right after an option (`--format json aply`) may be that option's value, so the other words are
 * tried first; one of them is named even without a guess, else the first word.
 */
export const mistypedCommand = (
  argv: readonly string[],
  names: readonly string[],
): { readonly word: string; readonly guess: string | undefined } | undefined => {
  const words = argv.flatMap((a, i) => {
    if (a.startsWith('-')) return [];
    const before = argv[i - 1];
    return [{ word: a, maybeValue: before !== undefined && before.startsWith('-') && !before.includes('=') }];
  });
  if (words.length === 0 || words.some((w) => names.includes(w.word))) return undefined;
  const ordered = [...words.filter((w) => !w.maybeValue), ...words.filter((w) => w.maybeValue)];
  for (const w of ordered) {
    const guess = closest(w.word, names);
    if (guess) return { word: w.word, guess };
  }
  return { word: ordered[0]!.word, guess: undefined };
};
