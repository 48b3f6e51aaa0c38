/**
 * One schema change judged by the database, as the acceptance runs judge it: load `current` into one fresh
 * database and `desired` into another, diff, apply up (the catalog must equal the desired one), diff again
 * (nothing left), apply down (the catalog must equal the original).
 */
import { expect } from 'vitest';
import { readSchema } from '../../src/load/source.js';
import type { Backend } from './backends.js';
import { applyScript, migration, type Migration } from './migrate.js';
import { snapshot } from './snapshot.js';

export interface RoundTripCase {
  readonly current: string;
  readonly desired: string;
  readonly renames?: readonly string[];
  /** Compare PostgreSQL 18's NOT NULL constraint rows (their names) too; default false. */
  readonly notNullNames?: boolean;
}

export const roundTrip = async (backend: Backend, c: RoundTripCase): Promise<Migration> => {
  const snap = (db: Parameters<typeof snapshot>[0]) => snapshot(db, { notNullConstraints: c.notNullNames ?? false });
  const b = await backend.freshDb();
  let desired;
  let snapB: string[];
  try {
    await b.db.exec(c.desired);
    desired = await readSchema(b.db);
    snapB = await snap(b.db);
  } finally {
    await b.release();
  }
  const a = await backend.freshDb();
  try {
    await a.db.exec(c.current);
    const snapA = await snap(a.db);
    const m = migration(await readSchema(a.db), desired, c.renames);
    await applyScript(a.db, m.up, a.url);
    expect(await snap(a.db), `up reaches the desired schema\n${m.up}`).toEqual(snapB);
    const again = migration(await readSchema(a.db), desired).steps.map((s) => s.sql.join(' '));
    expect(again, 'a second diff is empty').toEqual([]);
    await applyScript(a.db, m.down, a.url);
    expect(await snap(a.db), `down restores the original\n${m.down}`).toEqual(snapA);
    return m;
  } finally {
    await a.release();
  }
};
