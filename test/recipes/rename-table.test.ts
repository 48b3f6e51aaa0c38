/**
 * Rename a table with both versions of the code running (DESIGN §6): expand renames it and leaves an updatable
 * view under the old name; contract drops the view.
 */
import { describe, expect, it } from 'vitest';
import { backends, withFreshDb } from '../support/backends.js';
import { client, count, fails, phaseByPhase, rolloutTo, rows, upDownUp } from './harness.js';

const all = await backends();

const OLD = `
CREATE SCHEMA app;
CREATE TABLE app.people (id integer PRIMARY KEY, name text NOT NULL, city text NOT NULL DEFAULT 'Tokyo' CHECK (city <> ''));
INSERT INTO app.people (id, name) SELECT g, 'p' || g FROM generate_series(1, 500) g;
`;
const NEW = `
CREATE TABLE app.persons (id integer PRIMARY KEY, name text NOT NULL, city text NOT NULL DEFAULT 'Tokyo' CHECK (city <> ''));
`;
const renames = ['app.people=persons'];

describe.each(all)('rename table on $title', (backend) => {
  it('old code uses the old name through a view until contract; new code the new name', () =>
    withFreshDb(backend, async (db, fresh) => {
      await db.exec(OLD);
      const r = await rolloutTo(db, NEW, { renames });
      // The constraints take the new table's names: the primary key is swapped in expand, the check validated.
      expect(r.names).toEqual(['expand', 'backfill', 'contract']);
      expect(r.up('expand')).toContain('CREATE VIEW "app"."people" AS SELECT * FROM "app"."persons";');
      const old = await client(fresh);
      const neu = await client(fresh);
      let id = 1000;
      const oldTurn = async () => {
        await old.db.exec(`INSERT INTO app.people (id, name) VALUES (${++id}, 'old')`);
        await old.db.exec(`UPDATE app.people SET city = 'Osaka' WHERE id = 1`);
        return old.db.query(`SELECT count(*)::int AS n FROM app.people`);
      };
      try {
        await oldTurn();
        await phaseByPhase(fresh, r, async (phase) => {
          if (phase === 'contract') {
            expect(await fails(oldTurn)).toBe(true);
          } else {
            await oldTurn();
            // The table's rules hold through the view.
            expect(await fails(() => old.db.exec(`INSERT INTO app.people (id, name, city) VALUES (99999, 'x', '')`))).toBe(true);
          }
          await neu.db.exec(`INSERT INTO app.persons (id, name) VALUES (${++id}, 'new')`);
          expect(await neu.db.query(`SELECT city FROM app.persons WHERE id = 1`)).toEqual([{ city: 'Osaka' }]);
        });
      } finally {
        await old.close();
        await neu.close();
      }
      expect(await count(db, `SELECT count(*) AS n FROM app.persons WHERE name = 'old' AND city = 'Tokyo'`)).toBe(3);
      expect(await count(db, `SELECT count(*) AS n FROM pg_class WHERE relname = 'people'`)).toBe(0);
      expect((await rolloutTo(db, NEW)).phases).toEqual([]);
    }));

  it('up → down → up keeps every row', () =>
    withFreshDb(backend, async (db, fresh) => {
      await db.exec(OLD);
      const r = await rolloutTo(db, NEW, { renames });
      const name = async () => ((await db.query<{ t: string | null }>(`SELECT to_regclass('app.persons')::text AS t`))[0]!.t ? 'app.persons' : 'app.people');
      await upDownUp(fresh, r, async () => rows(db, await name()));
    }));
});
