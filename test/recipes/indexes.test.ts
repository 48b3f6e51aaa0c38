/**
 * Indexes and constraints on tables with rows (DESIGN §6): indexes built and dropped CONCURRENTLY in their own
 * non-transactional steps, a unique constraint through a concurrently built index attached with USING INDEX,
 * foreign keys and checks added NOT VALID in expand and validated in backfill. A table the plan creates keeps
 * plain statements in the transaction. CONCURRENTLY needs other sessions to wait for, so this runs where
 * PGlite can too (one session: Postgres accepts it) and, with real concurrent clients, on the server.
 */
import { describe, expect, it } from 'vitest';
import { backends, withFreshDb } from '../support/backends.js';
import { client, count, fails, phaseByPhase, rolloutTo, rows, temporaries, upDownUp } from './harness.js';

const all = await backends();

const OLD = `
CREATE SCHEMA app;
CREATE TABLE app.teams (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE app.members (id integer PRIMARY KEY, team_id integer NOT NULL, email text NOT NULL, age integer, note text);
CREATE INDEX members_note ON app.members (note);
INSERT INTO app.teams SELECT g, 't' || g FROM generate_series(1, 20) g;
INSERT INTO app.members SELECT g, 1 + g % 20, 'm' || g || '@x.org', 20 + g % 50, 'n' || g FROM generate_series(1, 3000) g;
`;

const NEW = `
CREATE TABLE app.teams (id integer PRIMARY KEY, name text NOT NULL);
CREATE TABLE app.members (
  id integer PRIMARY KEY,
  team_id integer NOT NULL CONSTRAINT members_team_fk REFERENCES app.teams (id),
  email text NOT NULL CONSTRAINT members_email_key UNIQUE,
  age integer CONSTRAINT members_age_check CHECK (age >= 0),
  note text
);
CREATE INDEX members_team ON app.members (team_id);
CREATE TABLE app.badges (id integer PRIMARY KEY, member_id integer NOT NULL REFERENCES app.members (id), label text);
CREATE INDEX badges_member ON app.badges (member_id);
`;

describe.each(all)('indexes and constraints on $title', (backend) => {
  it('builds concurrently and validates later; old and new clients keep working through every phase', () =>
    withFreshDb(backend, async (db, fresh) => {
      await db.exec(OLD);
      const r = await rolloutTo(db, NEW);
      expect(r.refusals).toEqual([]);
      expect(r.names).toEqual(['expand', 'backfill', 'contract']);
      const expand = r.up('expand');
      expect(expand).toContain('CREATE INDEX CONCURRENTLY "members_team" ON "app"."members" USING btree (team_id);');
      expect(expand).toContain('CREATE UNIQUE INDEX CONCURRENTLY "members_email_key" ON "app"."members" USING btree (email);');
      expect(expand).toContain('ADD CONSTRAINT "members_email_key" UNIQUE USING INDEX "members_email_key";');
      expect(expand).toContain('ADD CONSTRAINT "members_team_fk" FOREIGN KEY (team_id) REFERENCES app.teams(id) NOT VALID;');
      // The new table's index is plain, inside the transaction.
      expect(expand).toContain('CREATE INDEX "badges_member" ON "app"."badges"');
      expect(expand).not.toMatch(/CONCURRENTLY[^\n]*BEGIN/);
      expect(r.up('backfill')).toContain('VALIDATE CONSTRAINT "members_age_check"');
      expect(r.up('contract')).toContain('DROP INDEX CONCURRENTLY "app"."members_note";');
      for (const p of r.phases) for (const s of p.steps) if (/CONCURRENTLY/.test(s.sql.join('\n'))) expect(s.transactional).toBe(false);

      const old = await client(fresh);
      const neu = await client(fresh);
      let id = 5000;
      const oldWrite = async () => {
        id++;
        await old.db.exec(`INSERT INTO app.members (id, team_id, email, age, note) VALUES (${id}, 3, 'old${id}@x.org', 30, 'x')`);
        await old.db.exec(`UPDATE app.members SET note = 'y' WHERE id = ${id}`);
        await old.db.query(`SELECT * FROM app.members WHERE note = 'y' LIMIT 3`);
      };
      const newWrite = async () => {
        id++;
        await neu.db.exec(`INSERT INTO app.members (id, team_id, email, age) VALUES (${id}, 4, 'new${id}@x.org', 41)`);
        await neu.db.exec(`INSERT INTO app.badges (id, member_id, label) VALUES (${id}, ${id}, 'b')`);
        await neu.db.query(`SELECT m.email, b.label FROM app.members m JOIN app.badges b ON b.member_id = m.id WHERE m.team_id = 4`);
      };
      try {
        await oldWrite();
        await phaseByPhase(fresh, r, async () => {
          await oldWrite();
          await newWrite();
          // The new rules hold for every writer from expand on.
          expect(await fails(() => old.db.exec(`INSERT INTO app.members (id, team_id, email) VALUES (1, 99, 'dup')`))).toBe(true);
          expect(await fails(() => old.db.exec(`INSERT INTO app.members (id, team_id, email) VALUES (99998, 1, 'm1@x.org')`))).toBe(true);
          expect(await fails(() => old.db.exec(`INSERT INTO app.members (id, team_id, email, age) VALUES (99997, 1, 'neg', -1)`))).toBe(true);
        });
      } finally {
        await old.close();
        await neu.close();
      }
      const invalid = await count(db, `SELECT count(*) AS n FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE NOT i.indisvalid`);
      expect(invalid).toBe(0);
      const unvalidated = await count(db, `SELECT count(*) AS n FROM pg_constraint WHERE NOT convalidated`);
      expect(unvalidated).toBe(0);
      expect(await temporaries(db)).toEqual([]);
      expect((await rolloutTo(db, NEW)).phases).toEqual([]);
    }));

  it('up → down → up keeps the rows and ends with the same indexes and constraints', () =>
    withFreshDb(backend, async (db, fresh) => {
      await db.exec(OLD);
      const r = await rolloutTo(db, NEW);
      const shape = async () => ({
        members: await rows(db, 'app.members'),
        indexes: (await db.query(`SELECT indexrelid::regclass::text AS i, indisvalid FROM pg_index WHERE indrelid = 'app.members'::regclass ORDER BY 1`)),
        constraints: (await db.query(`SELECT conname, convalidated FROM pg_constraint WHERE conrelid = 'app.members'::regclass ORDER BY 1`)),
      });
      const { before, after } = await upDownUp(fresh, r, shape);
      expect(before).not.toEqual(after);
    }));
});
