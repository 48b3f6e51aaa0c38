/**
 * Enum values (DESIGN §6): an added value is committed on its own in expand, before anything uses it; a removed
 * value goes in contract and is refused, with the count, while a row still holds it (the down of an added value
 * likewise).
 */
import { describe, expect, it } from 'vitest';
import { backends, withFreshDb } from '../support/backends.js';
import { client, fails, phaseByPhase, rolloutTo, rows, run, upDownUp } from './harness.js';

const all = await backends();

const OLD = `
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('happy', 'sad', 'meh');
CREATE TABLE app.notes (id integer PRIMARY KEY, mood app.mood NOT NULL DEFAULT 'happy', history app.mood[]);
INSERT INTO app.notes SELECT g, (ARRAY['happy', 'sad', 'meh'])[1 + g % 3]::app.mood, ARRAY['happy']::app.mood[] FROM generate_series(1, 300) g;
`;
const ADDED = `
CREATE TYPE app.mood AS ENUM ('happy', 'sad', 'meh', 'great');
CREATE TABLE app.notes (id integer PRIMARY KEY, mood app.mood NOT NULL DEFAULT 'happy', history app.mood[]);
`;
const REMOVED = `
CREATE TYPE app.mood AS ENUM ('happy', 'sad');
CREATE TABLE app.notes (id integer PRIMARY KEY, mood app.mood NOT NULL DEFAULT 'happy', history app.mood[]);
`;

describe.each(all)('enum values on $title', (backend) => {
  it('an added value: its own committed step in expand; the down refuses while a row holds it', () =>
    withFreshDb(backend, async (db, fresh) => {
      await db.exec(OLD);
      const r = await rolloutTo(db, ADDED);
      expect(r.names).toEqual(['expand']);
      expect(r.phases[0]!.steps.map((s) => s.transactional)).toEqual([false]);
      const old = await client(fresh);
      const neu = await client(fresh);
      try {
        await phaseByPhase(fresh, r, async () => {
          await old.db.exec(`INSERT INTO app.notes (id, mood) VALUES (1001, 'meh')`);
          await neu.db.exec(`INSERT INTO app.notes (id, mood, history) VALUES (1002, 'great', ARRAY['great', 'sad']::app.mood[])`);
          await old.db.query(`SELECT mood::text FROM app.notes WHERE id = 1002`);
        });
      } finally {
        await old.close();
        await neu.close();
      }
      const refused = await fails(() => run(fresh, r.down('expand')));
      expect(refused).toBe(true);
      await run(fresh, r.down('expand')).catch((e: Error) => expect(e.message).toMatch(/keikaku: 1 row\(s\) of app\.notes\.(mood|history) still hold 'great'/));
      await db.exec(`DELETE FROM app.notes WHERE id = 1002`);
      await run(fresh, r.down('expand'));
      const { after } = await upDownUp(fresh, r, () => rows(db, 'app.notes'));
      expect(after).toHaveLength(301);
    }));

  it('a removed value: contract, refused with the count while rows hold it; old code writes it until then', () =>
    withFreshDb(backend, async (db, fresh) => {
      await db.exec(OLD);
      const r = await rolloutTo(db, REMOVED);
      expect(r.names).toEqual(['contract']);
      expect(r.up('contract')).toContain('still hold');
      const old = await client(fresh);
      try {
        await old.db.exec(`INSERT INTO app.notes (id, mood) VALUES (1001, 'meh')`);
      } finally {
        await old.close();
      }
      const message = await run(fresh, r.up('contract')).then(
        () => '',
        (e: Error) => e.message,
      );
      expect(message).toMatch(/keikaku: 101 row\(s\) of app\.notes\.mood still hold 'meh'/);
      // Nothing changed: the type still has the value.
      expect(await db.query(`SELECT count(*)::int AS n FROM pg_enum WHERE enumlabel = 'meh'`)).toEqual([{ n: 1 }]);
      await db.exec(`UPDATE app.notes SET mood = 'sad' WHERE mood = 'meh'`);
      const { before, after } = await upDownUp(fresh, r, () => rows(db, 'app.notes'));
      expect(after).toEqual(before);
      expect(await db.query(`SELECT count(*)::int AS n FROM pg_enum WHERE enumlabel = 'meh'`)).toEqual([{ n: 0 }]);
    }));
});
