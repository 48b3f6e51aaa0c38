/**
 * NOT NULL on a table with rows (DESIGN §6): a column added nullable in expand, filled in batches in backfill
 * (from its default, or from a declared backfill expression, with a `_kk_` trigger filling rows written by old
 * code meanwhile), and made NOT NULL in contract through CHECK … NOT VALID → VALIDATE → SET NOT NULL.
 */
import { describe, expect, it } from 'vitest';
import { runGenerate } from '../../src/cli/generate.js';
import * as K from '../../src/model/keys.js';
import { backends, withFreshDb } from '../support/backends.js';
import { client, count, fails, phaseByPhase, rolloutTo, rows, temporaries, upDownUp } from './harness.js';

const all = await backends();

const OLD = `
CREATE SCHEMA app;
CREATE TABLE app.users (id integer PRIMARY KEY, email text NOT NULL, nick text);
INSERT INTO app.users SELECT g, 'U' || g || '@Example.com', CASE WHEN g % 2 = 0 THEN 'n' || g END FROM generate_series(1, 2500) g;
`;

/** A volatile default (random per row), a declared backfill, and an existing column made NOT NULL. */
const NEW = `
CREATE TABLE app.users (
  id integer PRIMARY KEY,
  email text NOT NULL,
  nick text NOT NULL,
  token uuid NOT NULL DEFAULT gen_random_uuid(),
  email_lower text NOT NULL,
  region text NOT NULL DEFAULT 'jp'
);
`;

const backfills = new Map([
  [K.columnKey('app', 'users', 'email_lower'), 'lower(email)'],
  [K.columnKey('app', 'users', 'nick'), `coalesce(nick, 'user' || id)`],
]);

describe.each(all)('NOT NULL columns on $title', (backend) => {
  it('refuses a NOT NULL column with neither default nor backfill, naming what to add', () =>
    withFreshDb(backend, async (db) => {
      await db.exec(OLD);
      const r = await rolloutTo(db, NEW);
      expect(r.refusals.map((x) => x.object)).toEqual(['add column app.users.email_lower']);
      expect(r.refusals[0]!.message).toContain('.backfill(sql`…`)');
      // Batch size and pause are the planner's options (generate --batch-size / --batch-pause).
      const tuned = await rolloutTo(db, NEW, { backfills, batchSize: 250, pause: 0.01 });
      expect(tuned.up('backfill')).toContain('LIMIT 250)');
      expect(tuned.up('backfill')).toContain('PERFORM pg_sleep(0.01);');
      await expect(runGenerate({} as never, (async () => ({})) as never, { name: 'x', renames: [], noRename: [], format: 'text', now: new Date(0), batchSize: 0 })).rejects.toMatchObject({
        exitCode: 1,
        message: '--batch-size 0: expected a whole number of rows above 0',
      });
    }));

  it('expand / backfill / contract: old and new clients keep working, every row is filled, NOT NULL holds', () =>
    withFreshDb(backend, async (db, fresh) => {
      await db.exec(OLD);
      const r = await rolloutTo(db, NEW, { backfills, batchSize: 1000 });
      expect(r.refusals).toEqual([]);
      expect(r.names).toEqual(['expand', 'backfill', 'contract']);
      // A constant default stays one step; the others are added nullable.
      expect(r.up('expand')).toContain(`ADD COLUMN "region" text DEFAULT 'jp'::text NOT NULL;`);
      expect(r.up('expand')).toContain('ADD COLUMN "token" uuid;');
      expect(r.up('backfill')).toContain("keikaku:progress");
      expect(r.up('contract')).toContain('CHECK ("email_lower" IS NOT NULL) NOT VALID');

      const old = await client(fresh);
      const neu = await client(fresh);
      let id = 10_000;
      const oldWrite = async () => {
        id++;
        await old.db.exec(`INSERT INTO app.users (id, email, nick) VALUES (${id}, 'Old${id}@X.org', 'o${id}')`);
        await old.db.exec(`UPDATE app.users SET email = email WHERE id = ${id - 1}`);
        await old.db.query(`SELECT id, email, nick FROM app.users WHERE id = ${id}`);
      };
      const newWrite = async () => {
        id++;
        await neu.db.exec(
          `INSERT INTO app.users (id, email, nick, token, email_lower, region) VALUES (${id}, 'New${id}@X.org', 'n${id}', gen_random_uuid(), 'new${id}@x.org', 'us')`,
        );
        await neu.db.query(`SELECT token, email_lower, region FROM app.users WHERE id = ${id}`);
      };
      try {
        await oldWrite();
        await phaseByPhase(fresh, r, async (phase) => {
          await newWrite();
          // Until contract old code works (defaults and the _kk_ trigger fill what it leaves out); after it, old
          // code that leaves email_lower out fails, as the plan says (deploy before contract).
          if (phase !== 'contract') await oldWrite();
          else expect(await fails(oldWrite)).toBe(true);
        });
      } finally {
        await old.close();
        await neu.close();
      }
      expect(await count(db, `SELECT count(*) AS n FROM app.users WHERE email_lower IS DISTINCT FROM lower(email) OR token IS NULL OR nick IS NULL`)).toBe(0);
      expect(await count(db, `SELECT count(*) AS n FROM app.users WHERE nick = 'user' || id`)).toBe(1250);
      const notNull = await db.query<{ attname: string }>(
        `SELECT attname FROM pg_attribute WHERE attrelid = 'app.users'::regclass AND attnotnull AND attnum > 0 ORDER BY attnum`,
      );
      expect(notNull.map((x) => x.attname)).toEqual(['id', 'email', 'nick', 'token', 'email_lower', 'region']);
      expect(await temporaries(db)).toEqual([]);
    }));

  it('up → down → up: the down gives back the old rows; the second up fills them again', () =>
    withFreshDb(backend, async (db, fresh) => {
      await db.exec(OLD);
      const r = await rolloutTo(db, NEW, { backfills, batchSize: 1000 });
      await upDownUp(fresh, r, async () => {
        const cols = (await db.query<{ a: string }>(`SELECT attname AS a FROM pg_attribute WHERE attrelid = 'app.users'::regclass AND attnum > 0 AND NOT attisdropped AND attname <> 'token' ORDER BY attnum`)).map((x) => `"${x.a}"`);
        return { rows: await db.query(`SELECT ${cols.join(', ')} FROM app.users ORDER BY id`), notNull: await count(db, `SELECT count(*) AS n FROM pg_attribute WHERE attrelid = 'app.users'::regclass AND attnotnull AND attnum > 0`) };
      });
      expect(await temporaries(db)).toEqual([]);
      expect(await rows(db, 'app.users')).toHaveLength(2500);
    }));

  it('a backfill stopped half way resumes where it stopped', () =>
    withFreshDb(backend, async (db, fresh) => {
      await db.exec(OLD);
      const r = await rolloutTo(db, NEW, { backfills, batchSize: 1000 });
      await phaseByPhase(fresh, { ...r, names: ['expand'] }, async () => {});
      // As if the first run crashed after some batches: rows up to 1200 are done.
      await db.exec(`UPDATE app.users SET email_lower = 'done-before', nick = coalesce(nick, 'done-before'), token = gen_random_uuid() WHERE id <= 1200`);
      await phaseByPhase(fresh, { ...r, names: ['backfill'] }, async () => {});
      expect(await count(db, `SELECT count(*) AS n FROM app.users WHERE email_lower = 'done-before'`)).toBe(1200);
      expect(await count(db, `SELECT count(*) AS n FROM app.users WHERE email_lower IS NULL OR token IS NULL OR nick IS NULL`)).toBe(0);
    }));
});
