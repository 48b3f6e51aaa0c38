import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/db/errors.js';
import { extensionsNeeded, openPglite } from '../../src/db/pglite.js';

describe('extensionsNeeded', () => {
  it('lists CREATE EXTENSION names and what they require, ignoring comments and strings', () => {
    const sql = `
      -- create extension postgis;
      /* CREATE EXTENSION timescaledb; */
      CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
      create   extension
        pg_trgm with schema public;
      COMMENT ON TABLE t IS 'create extension hstore';
      CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $body$ SELECT 'create extension ltree' $body$;
      CREATE EXTENSION earthdistance CASCADE;
      CREATE EXTENSION plpgsql;
      CREATE EXTENSION PGCRYPTO;`;
    expect(extensionsNeeded(sql)).toEqual(['cube', 'earthdistance', 'pg_trgm', 'pgcrypto', 'uuid-ossp']);
  });

  it('is empty for a script without extensions', () => {
    expect(extensionsNeeded('CREATE TABLE t (a int);')).toEqual([]);
  });
});

describe('openPglite', () => {
  it('refuses an extension PGlite does not have, before starting anything', async () => {
    const error = await openPglite({ extensions: ['pg_trgm', 'postgis', 'timescaledb'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      'extensions "postgis", "timescaledb" not available in the embedded PGlite; ' +
        'use a PostgreSQL server that has it for the shadow database (--shadow-url)',
    );
  });

  it('starts PostgreSQL 18 with the extensions asked for, and restores a dumped data directory', async () => {
    const db = await openPglite({ extensions: ['uuid-ossp', 'earthdistance'] });
    let dump: Blob;
    try {
      expect(db.label).toBe('embedded PGlite');
      const [version] = await db.query<{ v: number }>(`SELECT current_setting('server_version_num')::int / 10000 AS v`);
      expect(version).toEqual({ v: 18 });
      // A shadow holds no rows: a small buffer pool (PGlite's default of 128 MB was a third of peak memory).
      expect(await db.query(`SELECT current_setting('shared_buffers') AS s`)).toEqual([{ s: '16MB' }]);
      await db.exec(`
        CREATE EXTENSION "uuid-ossp";
        CREATE EXTENSION earthdistance CASCADE;
        CREATE TABLE t (id uuid PRIMARY KEY DEFAULT uuid_generate_v4());
        INSERT INTO t DEFAULT VALUES;`);
      const rows = await db.query<{ id: string }>('SELECT id FROM t');
      expect(rows[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(await db.query('SELECT extname FROM pg_extension ORDER BY 1')).toEqual([
        { extname: 'cube' },
        { extname: 'earthdistance' },
        { extname: 'plpgsql' },
        { extname: 'uuid-ossp' },
      ]);
      dump = await db.dumpDataDir();
    } finally {
      await db.close();
    }
    await db.close(); // closing twice is fine

    const restored = await openPglite({ extensions: ['uuid-ossp', 'earthdistance'], dataDir: dump });
    try {
      expect(await restored.query('SELECT count(*)::int AS n FROM t')).toEqual([{ n: 1 }]);
    } finally {
      await restored.close();
    }
  });
});
