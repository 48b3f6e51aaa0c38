/** Migration ids: `<YYYYMMDDHHMMSS>_<name>`, sorting after their parent. */

/** `YYYYMMDDHHMMSS` in UTC. */
export const migrationStamp = (d: Date): string => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);

/** A few words as the folder name's tail: lower case, `_` between words. */
export const migrationSlug = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '') || 'migration';

/** The id of a migration made at `now` after `parent`: one second later than the parent when the clock says less. */
export const nextMigrationId = (parent: string | null, now: Date, name: string): string => {
  let s = migrationStamp(now);
  // Ids must sort after the parent even when two are generated within one second.
  if (parent && s <= parent.slice(0, 14)) s = String(BigInt(parent.slice(0, 14)) + 1n);
  return `${s}_${migrationSlug(name)}`;
};
