/**
 * Schema changes the differ once got wrong, each reduced to a small schema pair and judged by the database on
 * every backend: up reaches the desired catalog, a second diff is empty, down restores the original.
 */
import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { roundTrip } from '../support/round-trip.js';

const all = await backends();

describe.each(all)('regressions ($title)', (backend) => {
  it('a table replaced by a view of the same name, with a view over it', async () => {
    const m = await roundTrip(backend, {
      current: `
        CREATE SCHEMA shop;
        CREATE TABLE shop.stock (sku text, qty int);
        CREATE VIEW shop.low_stock AS SELECT sku FROM shop.stock WHERE qty < 5;`,
      desired: `
        CREATE SCHEMA shop;
        CREATE TABLE shop.stock_rows (sku text, qty int, bin text);
        CREATE VIEW shop.stock AS SELECT sku, qty FROM shop.stock_rows;
        CREATE VIEW shop.low_stock AS SELECT sku FROM shop.stock WHERE qty < 5;`,
    });
    const up = m.up.indexOf('DROP TABLE "shop"."stock"');
    expect(up).toBeGreaterThan(m.up.indexOf('DROP VIEW "shop"."low_stock"'));
    expect(up).toBeLessThan(m.up.indexOf('CREATE VIEW "shop"."stock"'));
  });

  it('a primary key dropped with the table referencing it, its column made nullable', async () => {
    await roundTrip(backend, {
      current: `
        CREATE TABLE gadgets (serial_no int PRIMARY KEY, model text);
        CREATE TABLE repairs (gadget int REFERENCES gadgets, note text);`,
      desired: `CREATE TABLE gadgets (serial_no int, model text);`,
    });
  });

  it('an enum value added while a function takes the enum (the undo rebuilds the type)', async () => {
    await roundTrip(backend, {
      current: `
        CREATE TYPE weather AS ENUM ('sunny', 'rainy');
        CREATE TABLE forecasts (day date, sky weather);
        CREATE FUNCTION describe_sky(w weather) RETURNS text LANGUAGE sql AS $$ SELECT 'sky: ' || w::text $$;`,
      desired: `
        CREATE TYPE weather AS ENUM ('sunny', 'rainy', 'foggy');
        CREATE TABLE forecasts (day date, sky weather);
        CREATE FUNCTION describe_sky(w weather) RETURNS text LANGUAGE sql AS $$ SELECT 'sky: ' || w::text $$;`,
    });
  });

  it('an enum value removed while its column default moves off it (the down set the old default before the old type was back)', async () => {
    await roundTrip(backend, {
      current: `
        CREATE TYPE mood AS ENUM ('ok', 'sad', 'meh');
        CREATE TABLE moods (id int PRIMARY KEY, m mood NOT NULL DEFAULT 'meh', n mood[] DEFAULT '{meh}', note text DEFAULT 'x');`,
      desired: `
        CREATE TYPE mood AS ENUM ('sad', 'ok');
        CREATE TABLE moods (id int PRIMARY KEY, m mood NOT NULL DEFAULT 'ok', n mood[] DEFAULT '{ok,sad}', note text DEFAULT 'y');`,
    });
  });

  it('plain inheritance: a child created INHERITS its parent, a key on an inherited column', async () => {
    const m = await roundTrip(backend, {
      current: `CREATE TABLE other (x int);`,
      desired: `
        CREATE TABLE entity (id int, kind text DEFAULT 'e');
        CREATE TABLE person (UNIQUE (id), name text, kind text DEFAULT 'p') INHERITS (entity);
        CREATE TABLE other (x int);`,
    });
    expect(m.up).toMatch(/CREATE TABLE "public"."person" \([^;]*\) INHERITS \("public"."entity"\);/);
  });

  it('plain inheritance: a column moved from the parent down to one child, and back up', async () => {
    const parentHas = `
      CREATE TABLE p (e int, k int);
      CREATE TABLE c () INHERITS (p);
      CREATE TABLE d (z int) INHERITS (p);`;
    const childHas = `
      CREATE TABLE p (k int);
      CREATE TABLE c (e int DEFAULT 3) INHERITS (p);
      CREATE TABLE d (z int) INHERITS (p);`;
    const down = await roundTrip(backend, { current: parentHas, desired: childHas });
    expect(down.up).toContain('ALTER TABLE ONLY "public"."p" DROP COLUMN "e"');
    await roundTrip(backend, { current: childHas, desired: parentHas });
  });

  it('an index made ON ONLY a partitioned table (not valid: a partition has no attached index) comes back ON ONLY', async () => {
    const partitioned = `
      CREATE TABLE readings (id int NOT NULL, site int NOT NULL) PARTITION BY LIST (site);
      CREATE TABLE readings_1 PARTITION OF readings FOR VALUES IN (1);`;
    const m = await roundTrip(backend, { current: `${partitioned}\nCREATE UNIQUE INDEX readings_site_id ON ONLY readings (site, id);`, desired: partitioned });
    expect(m.down).toContain('ON ONLY "public"."readings"');
    // And an ON ONLY index whose partition's index gets attached: valid, so recreated as a whole.
    await roundTrip(backend, {
      current: `${partitioned}\nCREATE INDEX readings_site ON ONLY readings (site);\nCREATE INDEX readings_1_site ON readings_1 (site);`,
      desired: `${partitioned}\nCREATE INDEX readings_site ON readings (site);`,
    });
  });

  it('a generated column made plain and a plain column made generated', async () => {
    await roundTrip(backend, {
      current: `CREATE TABLE boxes (w int, h int, area int GENERATED ALWAYS AS (w * h) STORED, label text);`,
      desired: `CREATE TABLE boxes (w int, h int, area int, label text GENERATED ALWAYS AS ('box ' || w) STORED);`,
    });
  });

  it('a table becomes partitioned, keeping its serial sequence and a view over it', async () => {
    await roundTrip(backend, {
      current: `
        CREATE TABLE readings (id serial, sensor text, value numeric);
        CREATE INDEX readings_sensor ON readings (sensor);
        CREATE VIEW hot AS SELECT id, sensor FROM readings WHERE value > 100;`,
      desired: `
        CREATE TABLE readings (id serial, sensor text, value numeric) PARTITION BY LIST (sensor);
        CREATE TABLE readings_a PARTITION OF readings FOR VALUES IN ('a');
        CREATE INDEX readings_sensor ON readings (sensor);
        CREATE VIEW hot AS SELECT id, sensor FROM readings WHERE value > 100;`,
    });
  });

  it("a partition's own NOT NULL and default change while the parent retypes the column", async () => {
    await roundTrip(backend, {
      current: `
        CREATE TABLE trips (region text, km int, driver text) PARTITION BY LIST (region);
        CREATE TABLE trips_north PARTITION OF trips (km NOT NULL, driver DEFAULT 'n/a') FOR VALUES IN ('north');
        CREATE TABLE trips_south PARTITION OF trips FOR VALUES IN ('south');`,
      desired: `
        CREATE TABLE trips (region text, km bigint, driver text) PARTITION BY LIST (region);
        CREATE TABLE trips_north PARTITION OF trips FOR VALUES IN ('north');
        CREATE TABLE trips_south PARTITION OF trips (driver NOT NULL) FOR VALUES IN ('south');`,
    });
  });

  it('a partition that a foreign key references is dropped', async () => {
    await roundTrip(backend, {
      current: `
        CREATE TABLE accounts (region text, id int, PRIMARY KEY (region, id)) PARTITION BY LIST (region);
        CREATE TABLE accounts_eu PARTITION OF accounts FOR VALUES IN ('eu');
        CREATE TABLE accounts_us PARTITION OF accounts FOR VALUES IN ('us');
        CREATE TABLE invoices (region text, account int, FOREIGN KEY (region, account) REFERENCES accounts);`,
      desired: `
        CREATE TABLE accounts (region text, id int, PRIMARY KEY (region, id)) PARTITION BY LIST (region);
        CREATE TABLE accounts_eu PARTITION OF accounts FOR VALUES IN ('eu');
        CREATE TABLE invoices (region text, account int, FOREIGN KEY (region, account) REFERENCES accounts);`,
    });
  });

  it("a partitioned table is dropped while its index holds a partition's key constraint", async () => {
    await roundTrip(backend, {
      current: `
        CREATE TABLE events (kind text, seq int) PARTITION BY LIST (kind);
        CREATE TABLE events_click PARTITION OF events (PRIMARY KEY (kind, seq)) FOR VALUES IN ('click');
        CREATE UNIQUE INDEX events_kind_seq ON events (kind, seq);
        CREATE TABLE sources (name text);`,
      desired: `CREATE TABLE sources (name text);`,
    });
  });

  it('a new partition key rebuilds the partitions with the table', async () => {
    await roundTrip(backend, {
      current: `
        CREATE TABLE visits (site text, day date) PARTITION BY LIST (site);
        CREATE TABLE visits_x PARTITION OF visits FOR VALUES IN ('x');`,
      desired: `
        CREATE TABLE visits (site text, day date) PARTITION BY LIST (lower(site));
        CREATE TABLE visits_x PARTITION OF visits FOR VALUES IN ('x');`,
    });
  });
});
