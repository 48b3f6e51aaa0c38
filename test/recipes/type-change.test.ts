/**
 * Change a column's type without a rewrite under an exclusive lock (DESIGN §6): a `_kk_` copy of the new type
 * kept filled by a trigger (expand), existing rows converted in batches (backfill), a brief swap (contract).
 * Writers write the column under its own name throughout.
 */
import { describe, expect, it } from 'vitest';
import { backends, withFreshDb } from '../support/backends.js';
import { client, count, phaseByPhase, rolloutTo, rows, temporaries, upDownUp } from './harness.js';

const all = await backends();

const OLD = `
CREATE SCHEMA app;
CREATE TABLE app.events (id integer PRIMARY KEY, amount integer NOT NULL, code varchar(10), label text);
INSERT INTO app.events SELECT g, g * 7, CASE WHEN g % 5 = 0 THEN NULL ELSE 'c' || g END, 'label-' || g FROM generate_series(1, 2500) g;
`;
const NEW = `
CREATE TABLE app.events (id integer PRIMARY KEY, amount bigint NOT NULL DEFAULT 0, code text, label varchar(3));
`;

describe.each(all)('column type change on $title', (backend) => {
  it('writers keep writing through every phase; the column ends with the new type, every value converted', () =>
    withFreshDb(backend, async (db, fresh) => {
      await db.exec(OLD);
      const r = await rolloutTo(db, NEW, { batchSize: 1000 });
      expect(r.names).toEqual(['expand', 'backfill', 'contract']);
      expect(r.up('expand')).not.toContain('ALTER COLUMN "amount" TYPE');
      const w = await client(fresh);
      let id = 10_000;
      const write = async (amount: number) => {
        id++;
        await w.db.exec(`INSERT INTO app.events (id, amount, code) VALUES (${id}, ${amount}, 'w${id}')`);
        await w.db.exec(`UPDATE app.events SET amount = amount + 1, code = NULL WHERE id = 10`);
        await w.db.query(`SELECT amount, code FROM app.events WHERE id = ${id}`);
      };
      try {
        await write(1);
        await phaseByPhase(fresh, r, async (phase) => {
          await write(2);
          // After the swap the column takes values only the new type holds.
          if (phase === 'contract') await write(5_000_000_000);
        });
      } finally {
        await w.close();
      }
      const types = await db.query(`SELECT attname, format_type(atttypid, atttypmod) AS type, attnotnull FROM pg_attribute WHERE attrelid = 'app.events'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attname`);
      expect(types).toEqual([
        { attname: 'amount', type: 'bigint', attnotnull: true },
        { attname: 'code', type: 'text', attnotnull: false },
        { attname: 'id', type: 'integer', attnotnull: true },
        { attname: 'label', type: 'character varying(3)', attnotnull: false },
      ]);
      expect(await count(db, `SELECT count(*) AS n FROM app.events WHERE id <= 2500 AND id <> 10 AND amount <> id * 7`)).toBe(0);
      expect(await count(db, `SELECT amount AS n FROM app.events WHERE id = 10`)).toBe(70 + 5); // one update per write: before, after each of three phases, and the big one
      expect(await count(db, `SELECT count(*) AS n FROM app.events WHERE amount = 5000000000`)).toBe(1);
      expect(await temporaries(db)).toEqual([]);
      expect((await rolloutTo(db, NEW)).phases).toEqual([]);
    }));

  it('up → down → up keeps every row; the down gives back what a narrowing cast cut (from keikaku_archive)', () =>
    withFreshDb(backend, async (db, fresh) => {
      await db.exec(OLD);
      const r = await rolloutTo(db, NEW, { batchSize: 1000 });
      const { before, after } = await upDownUp(fresh, r, () => rows(db, 'app.events'));
      expect((before as { label: string }[])[0]!.label).toBe('label-1');
      expect((after as { label: string }[])[0]!.label).toBe('lab');
      expect(await temporaries(db)).toEqual([]);
    }));

  it('a column with plain indexes: they are built again on the copy and renamed at the swap; up → down → up keeps rows and indexes', () =>
    withFreshDb(backend, async (db, fresh) => {
      const indexes = `
        CREATE INDEX events_amount ON app.events (amount);
        CREATE INDEX events_label_amount ON app.events (label, amount DESC) WHERE label IS NOT NULL;
        CREATE UNIQUE INDEX events_id_amount ON app.events (id, amount);`;
      const table = (type: string) => `CREATE TABLE app.events (id integer PRIMARY KEY, amount ${type} NOT NULL, code varchar(10), label text);${indexes}`;
      await db.exec(OLD + indexes);
      const r = await rolloutTo(db, table('bigint'), { batchSize: 1000 });
      expect(r.names).toEqual(['expand', 'backfill', 'contract']);
      expect(r.up('expand')).not.toContain('TYPE bigint');
      expect(r.up('backfill')).toContain('CREATE INDEX CONCURRENTLY');
      const indexDefs = () =>
        db.query<{ name: string; def: string }>(`SELECT indexname::text AS name, indexdef AS def FROM pg_indexes WHERE schemaname = 'app' ORDER BY 1`);
      const w = await client(fresh);
      let id = 10_000;
      try {
        await phaseByPhase(fresh, r, async () => {
          id++;
          await w.db.exec(`INSERT INTO app.events (id, amount, code, label) VALUES (${id}, ${id}, 'w', 'l')`);
          await w.db.exec(`UPDATE app.events SET amount = amount + 1 WHERE id = 11`);
        });
      } finally {
        await w.close();
      }
      const after = await indexDefs();
      expect(after.map((x) => x.name)).toEqual(['events_amount', 'events_id_amount', 'events_label_amount', 'events_pkey']);
      expect(after.find((x) => x.name === 'events_label_amount')!.def).toBe(
        'CREATE INDEX events_label_amount ON app.events USING btree (label, amount DESC) WHERE (label IS NOT NULL)',
      );
      const type = await db.query(`SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'app.events'::regclass AND attname = 'amount'`);
      expect(type).toEqual([{ t: 'bigint' }]);
      expect(await count(db, `SELECT count(*) AS n FROM app.events WHERE id <= 2500 AND id <> 11 AND amount <> id * 7`)).toBe(0);
      expect(await temporaries(db)).toEqual([]);
      expect((await rolloutTo(db, table('bigint'))).phases).toEqual([]);
      // Back to integer and forth again: rows and index definitions compared at each end.
      const back = await rolloutTo(db, table('integer'), { batchSize: 1000, id: '20261128000000_back' });
      expect(back.names).toEqual(['expand', 'backfill', 'contract']);
      await upDownUp(fresh, back, async () => ({ rows: await rows(db, 'app.events'), indexes: await indexDefs() }));
      expect(await temporaries(db)).toEqual([]);
    }));

  it('a type change with a new constraint on the same column in one plan keeps the one-step form (the constraint would go with the old column)', () =>
    withFreshDb(backend, async (db, fresh) => {
      await db.exec(OLD);
      const desired = `CREATE TABLE app.events (id integer PRIMARY KEY, amount bigint NOT NULL CHECK (amount > 0), code varchar(10), label text);`;
      const r = await rolloutTo(db, desired, { batchSize: 1000 });
      expect(r.up('expand')).toContain('ALTER COLUMN "amount" TYPE bigint');
      await phaseByPhase(fresh, r, async () => {});
      const checks = await db.query(`SELECT conname::text AS name FROM pg_constraint WHERE conrelid = 'app.events'::regclass AND contype = 'c'`);
      expect(checks).toEqual([{ name: 'events_amount_check' }]);
      expect((await rolloutTo(db, desired)).phases).toEqual([]);
    }));
});
