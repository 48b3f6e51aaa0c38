import { describe, expect, it } from 'vitest';
import { backends, withFreshDb } from '../support/backends.js';
import { snapshot, withoutNotNullConstraints } from '../support/snapshot.js';

const all = await backends();

const DDL = `
  CREATE SCHEMA app;
  CREATE TYPE app.mood AS ENUM ('sad', 'happy');
  CREATE TABLE app.person (id int PRIMARY KEY, name text NOT NULL, mood app.mood);
  CREATE INDEX person_name ON app.person (name);`;

describe.each(all)('test support on $title', (backend) => {
  it('gives an empty database every time, whatever the test before left', async () => {
    const searchPath = await withFreshDb(backend, (db) => db.query(`SELECT current_setting('search_path') AS p`));
    for (let round = 0; round < 2; round++) {
      await withFreshDb(backend, async (db) => {
        expect(await snapshot(db)).toEqual([]);
        await db.exec(`${DDL}; CREATE EXTENSION pg_trgm; SET search_path = app;`);
        if (backend.name === 'pglite') {
          // Roles are per cluster: only the embedded instance, which is ours alone, may get one.
          await db.exec('CREATE ROLE reader; GRANT USAGE ON SCHEMA app TO reader; BEGIN;');
        }
      });
    }
    await withFreshDb(backend, async (db) => {
      expect(await db.query(`SELECT current_setting('search_path') AS p`)).toEqual(searchPath);
      expect(await db.query(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'reader'`)).toEqual([{ n: 0 }]);
    });
  });

  it('snapshots a schema; without NOT NULL constraint rows it reads the same on PostgreSQL 15 and 18', () =>
    withFreshDb(backend, async (db) => {
      await db.exec(DDL);
      const portable = [
        'column app.person.id integer not null',
        'column app.person.mood app.mood',
        'column app.person.name text not null',
        'constraint app.person.person_pkey PRIMARY KEY (id)',
        "enum app.mood ('sad', 'happy')",
        'index app.person_name CREATE INDEX person_name ON app.person USING btree (name)',
        'index app.person_pkey CREATE UNIQUE INDEX person_pkey ON app.person USING btree (id)',
        'owner schema app postgres',
        'owner table app.person postgres',
        'owner type app.mood postgres',
        'schema app',
        'table app.person',
      ];
      expect(await snapshot(db, { notNullConstraints: false })).toEqual(portable);
      const full = await snapshot(db);
      const version = (await db.query<{ v: number }>(`SELECT current_setting('server_version_num')::int AS v`))[0]!.v;
      if (version >= 180_000) {
        expect(full.filter((l) => !portable.includes(l))).toEqual([
          'not null constraint app.person.person_id_not_null NOT NULL id',
          'not null constraint app.person.person_name_not_null NOT NULL name',
        ]);
      } else {
        expect(full).toEqual(portable);
      }
      expect(withoutNotNullConstraints(full)).toEqual(portable);
    }));
});

describe('test support on pglite', () => {
  it('starts a new instance when a reset cannot undo what a test left', async () => {
    const pglite = all.find((b) => b.name === 'pglite')!;
    await withFreshDb(pglite, (db) => db.exec('ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC'));
    await withFreshDb(pglite, async (db) => {
      expect(await db.query('SELECT count(*)::int AS n FROM pg_default_acl')).toEqual([{ n: 0 }]);
      expect(await snapshot(db)).toEqual([]);
    });
  });
});

describe('withoutNotNullConstraints', () => {
  it('drops only NOT NULL constraint lines', () => {
    expect(
      withoutNotNullConstraints([
        'not null constraint public."a b"."a b_c d_not_null" NOT NULL "c d"',
        'not null constraint public.t.t_x_not_null NOT NULL x NOT VALID not_validated',
        'constraint public.t.t_check CHECK ((x IS NOT NULL))',
        'column public.t.x integer not null',
      ]),
    ).toEqual(['constraint public.t.t_check CHECK ((x IS NOT NULL))', 'column public.t.x integer not null']);
  });
});
