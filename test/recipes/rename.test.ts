/**
 * Rename a column with both versions of the code running (DESIGN §6): from expand to contract old code reads and
 * writes the old name, new code the new one, and each sees the other's writes (a `_kk_` trigger keeps them in
 * step); backfill copies existing rows; contract drops the old column and the trigger.
 */
import { describe, expect, it } from 'vitest';
import { backends, withFreshDb } from '../support/backends.js';
import { client, count, fails, phaseByPhase, rolloutTo, rows, temporaries, upDownUp } from './harness.js';

const all = await backends();

const OLD = `
CREATE SCHEMA app;
CREATE TABLE app.people (id bigint PRIMARY KEY, full_name text NOT NULL, city text DEFAULT 'Tokyo');
INSERT INTO app.people SELECT g, 'p' || g, CASE WHEN g % 4 = 0 THEN NULL ELSE 'c' || g END FROM generate_series(1, 2500) g;
`;
const NEW = `
CREATE TABLE app.people (id bigint PRIMARY KEY, name text NOT NULL, town text DEFAULT 'Tokyo');
`;
const renames = ['app.people.full_name=name', 'app.people.city=town'];

describe.each(all)('rename column on $title', (backend) => {
  it('old and new code both read and write from expand to contract; contract leaves no trace', () =>
    withFreshDb(backend, async (db, fresh) => {
      await db.exec(OLD);
      const r = await rolloutTo(db, NEW, { renames, batchSize: 1000 });
      expect(r.names).toEqual(['expand', 'backfill', 'contract']);
      expect(r.up('contract')).toContain('DROP COLUMN "full_name"');
      const old = await client(fresh);
      const neu = await client(fresh);
      let id = 10_000;
      const oldTurn = async () => {
        id++;
        await old.db.exec(`INSERT INTO app.people (id, full_name) VALUES (${id}, 'old${id}')`);
        await old.db.exec(`UPDATE app.people SET full_name = full_name || '!', city = 'Osaka' WHERE id = 2`);
        return old.db.query<{ full_name: string; city: string }>(`SELECT full_name, city FROM app.people WHERE id IN (3, ${id}) ORDER BY id`);
      };
      const newTurn = async () => {
        id++;
        await neu.db.exec(`INSERT INTO app.people (id, name, town) VALUES (${id}, 'new${id}', 'Kyoto')`);
        await neu.db.exec(`UPDATE app.people SET name = 'renamed', town = NULL WHERE id = 3`);
        return neu.db.query<{ name: string; town: string | null }>(`SELECT name, town FROM app.people WHERE id IN (2, ${id}) ORDER BY id`);
      };
      try {
        await oldTurn();
        await phaseByPhase(fresh, r, async (phase) => {
          if (phase === 'contract') {
            expect(await fails(oldTurn)).toBe(true);
            await newTurn();
            return;
          }
          // New code starts once backfill has copied the existing rows (before it, their new column is still
          // empty); old code works from expand on and its writes reach the new column at once.
          if (phase === 'expand') {
            await oldTurn();
            expect(await db.query(`SELECT name, town FROM app.people WHERE id = ${id}`)).toEqual([{ name: `old${id}`, town: 'Tokyo' }]);
            return;
          }
          // Each side sees the other's writes under its own names.
          const seenByNew = await newTurn();
          const newId = id;
          const seenByOld = await oldTurn();
          expect(seenByOld[0]).toEqual({ full_name: 'renamed', city: null });
          expect(seenByNew[0]!.name).toMatch(/^p2!+$/);
          expect(seenByNew[0]!.town).toBe('Osaka');
          expect(await old.db.query(`SELECT full_name, city FROM app.people WHERE id = ${newId}`)).toEqual([{ full_name: `new${newId}`, city: 'Kyoto' }]);
          expect(await neu.db.query(`SELECT name, town FROM app.people WHERE id = ${id}`)).toEqual([{ name: `old${id}`, town: 'Tokyo' }]);
        });
      } finally {
        await old.close();
        await neu.close();
      }
      expect(await count(db, `SELECT count(*) AS n FROM app.people WHERE name IS NULL`)).toBe(0);
      expect(await count(db, `SELECT count(*) AS n FROM app.people WHERE name = 'p' || id`)).toBe(2498);
      expect(await count(db, `SELECT count(*) AS n FROM app.people WHERE town IS NULL`)).toBe(626);
      expect(await temporaries(db)).toEqual([]);
      expect((await rolloutTo(db, NEW)).phases).toEqual([]);
    }));

  it('up → down → up keeps every row', () =>
    withFreshDb(backend, async (db, fresh) => {
      await db.exec(OLD);
      const r = await rolloutTo(db, NEW, { renames, batchSize: 1000 });
      const { before, after } = await upDownUp(fresh, r, () => rows(db, 'app.people'));
      expect((after as { name: string }[])[0]).toEqual({ id: 1, name: 'p1', town: 'c1' });
      expect((before as { full_name: string }[])[0]).toEqual({ id: 1, full_name: 'p1', city: 'c1' });
      expect(await temporaries(db)).toEqual([]);
    }));
});
