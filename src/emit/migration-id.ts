/** Migration ids: `<YYYYMMDDHHMMSS>_<name>`, sorting after their parent. */

/** `YYYYMMDDHHMMSS` in UTC. */
const stamp = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);

/** A few words as the folder name's tail: lower case, `_` between words. */
export const migrationSlug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '') || 'migration';

/** The id of a migration made at `now` after `parent`: one second later than the parent when the clock says less. */
export const nextMigrationId = (parent: string | null, now: Date, name: string): string => {
  let s = stamp(now);
  if (parent && s <= parent.slice(0, 14)) s = String(BigInt(parent.slice(0, 14)) + 1n);
  return `${s}_${migrationSlug(name)}`;
};
