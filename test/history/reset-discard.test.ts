/**
 * The stages of `reset` and `discard` on both backends: a database emptied (schemas, journal, archive) and the
 * history applied again gives the catalog of a fresh apply; what a journal says of one migration.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../src/apply/index.js';
import type { RunResult } from '../../src/apply/types.js';
import { phasesRunOn } from '../../src/history/discard.js';
import { databaseContents, emptyDatabase } from '../../src/history/reset.js';
import { backends, withFreshDb } from '../support/backends.js';
import { snapshot } from '../support/snapshot.js';
import { exampleGenerated, removeTempDirs, tempDir, tx, upRequest, writeMigrations } from '../apply/support.js';

afterAll(removeTempDirs);

const done = (r: RunResult) => {
  if (r.outcome !== 'done') throw new Error(`expected done, got ${JSON.stringify(r, null, 2)}`);
  return r;
};

describe.each(await backends())('reset and discard stages on $title', (backend) => {
  it('reset: every schema dropped (journal and archive too), then the history applied again matches a fresh apply', () =>
    withFreshDb(backend, async (db) => {
      const generated = exampleGenerated();
      done(await runMigrations(db, upRequest(generated)));
      const applied = await snapshot(db);
      await db.exec(`CREATE SCHEMA scratch; CREATE TABLE scratch.junk (id int); INSERT INTO public.offices (name) SELECT 'o' || g FROM generate_series(1, 3) g`);
      const before = await databaseContents(db);
      expect(before.schemas).toEqual(expect.arrayContaining(['keikaku', 'public', 'scratch']));
      expect(before.tables).toBeGreaterThan(3);
      const dropped = await emptyDatabase(db);
      expect(dropped).toEqual(expect.arrayContaining(['keikaku', 'public', 'scratch']));
      expect(await databaseContents(db)).toEqual({ schemas: ['public'], tables: 0, rows: 0 });
      done(await runMigrations(db, upRequest(generated)));
      expect(await snapshot(db)).toEqual(applied);
      expect(await db.query(`SELECT count(*)::int AS n FROM public.offices`)).toEqual([{ n: 0 }]);
    }));

  it('discard: the phases of a migration a journal has run (applied or part-way), none when it never ran or was undone', () =>
    withFreshDb(backend, async (db) => {
      const generated = writeMigrations(tempDir(), [
        { id: '20260101000000_a', phases: [{ name: 'expand', up: tx('CREATE TABLE a (id int)'), down: tx('DROP TABLE a') }] },
        { id: '20260102000000_b', phases: [{ name: 'expand', up: tx('CREATE TABLE b (id int)'), down: tx('DROP TABLE b') }] },
      ]);
      expect(await phasesRunOn(db, '20260102000000_b')).toEqual([]); // no journal at all
      done(await runMigrations(db, upRequest(generated)));
      expect(await phasesRunOn(db, '20260102000000_b')).toEqual([{ phase: 'expand', state: 'applied' }]);
      done(await runMigrations(db, { ...upRequest(generated), direction: 'down', steps: 1 }));
      expect(await phasesRunOn(db, '20260102000000_b')).toEqual([]);
      expect(await phasesRunOn(db, '20260101000000_a')).toEqual([{ phase: 'expand', state: 'applied' }]);
    }));
});
