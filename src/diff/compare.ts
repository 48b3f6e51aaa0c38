import type { Grant } from '../model/schema.js';

const grantId = (g: Grant) => JSON.stringify([g.grantee, g.privilege, g.grantable]);

export const sameGrants = (a: readonly Grant[], b: readonly Grant[]) => {
  if (a.length !== b.length) return false;
  const set = new Set(a.map(grantId));
  return b.every((g) => set.has(grantId(g)));
};
