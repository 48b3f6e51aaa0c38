/**
 * The two int4 keys of keikaku's advisory lock (`pg_advisory_lock(int4, int4)`): "keik" and "aku" in ASCII. Its own
 * module: lock.ts and lease.ts each need it while loading, and each imports the other.
 */
import { createHash } from 'node:crypto';

export const LOCK_KEYS: readonly [number, number] = [0x6b65696b, 0x616b7500];

/**
 * The keys of a journal scope's lock (journal.ts `JournalScope`): the database's are `LOCK_KEYS`; a tenant
 * schema's are "keik" and the first four bytes of a hash of its name, never "aku" nor "aku" + 1 (the
 * transaction-level lock of journal-create.sql and lease.ts). Two schemas whose hashes meet would only wait for
 * each other: the lock excludes, it never admits two runs of one scope.
 */
export const lockKeys = (scope: string): readonly [number, number] => {
  if (scope === '') return LOCK_KEYS;
  const second = createHash('sha256').update(`keikaku schema\u0000${scope}`, 'utf8').digest().readInt32BE(0);
  return [LOCK_KEYS[0], second === LOCK_KEYS[1] || second === LOCK_KEYS[1] + 1 ? second ^ 0x10000 : second];
};
