/** Storage parameters (`reloptions`, as `name=value` strings): the RESET and SET clauses turning one set into another. */
const optionName = (o: string) => (o.includes('=') ? o.slice(0, o.indexOf('=')) : o);

export const optionClauses = (from: readonly string[], to: readonly string[]): string[] => {
  const removed = from.filter((o) => !to.some((n) => optionName(n) === optionName(o)));
  const set = to.filter((o) => !from.includes(o));
  return [
    ...(removed.length ? [`RESET (${removed.map(optionName).join(', ')})`] : []),
    ...(set.length ? [`SET (${set.join(', ')})`] : []),
  ];
};
