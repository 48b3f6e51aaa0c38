/**
 * The two int4 keys of keikaku's advisory lock (`pg_advisory_lock(int4, int4)`): "keik" and "aku" in ASCII. Its own
 * module: lock.ts and lease.ts each need it while loading, and each imports the other.
 */
export const LOCK_KEYS: readonly [number, number] = [0x6b65696b, 0x616b7500];
