/**
 * A warm `plan` diffs the committed head against itself (the history's schema and the normalization of an
 * unchanged schema/ are the same object): that diff is empty, builds one dependency graph, and agrees with the
 * diff of an equal copy, which takes the whole way.
 */
import { describe, expect, it } from 'vitest';
import { diff } from '../../src/diff/index.js';
import { readSchema } from '../../src/load/source.js';
import { plan } from '../../src/plan/index.js';
import { backends, withFreshDb } from '../support/backends.js';

const [backend] = await backends();

describe('the diff of a schema with itself', () => {
  it('is empty, with one graph, as the diff of an equal copy is', async () => {
    const schema = await withFreshDb(backend!, async (db) => {
      await db.exec(`
        CREATE TYPE mood AS ENUM ('ok', 'meh');
        CREATE TABLE owners (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, m mood);
        CREATE TABLE pets (id bigint PRIMARY KEY, owner bigint REFERENCES owners ON DELETE CASCADE, tags jsonb);
        CREATE INDEX pets_tags ON pets USING gin (tags);
        CREATE VIEW named_pets AS SELECT p.id, o.name FROM pets p JOIN owners o ON o.id = p.owner;
        CREATE FUNCTION owner_count() RETURNS bigint LANGUAGE sql AS 'SELECT count(*) FROM owners';`);
      return readSchema(db);
    });
    expect(schema.tables.length).toBe(2);

    const self = diff(schema, schema);
    expect(self.changes).toEqual([]);
    expect(self.desiredGraph).toBe(self.currentGraph);
    expect(plan(self).steps).toEqual([]);

    const copy = diff(schema, structuredClone(schema));
    expect(copy.changes).toEqual([]);
    expect(copy.desiredGraph).not.toBe(copy.currentGraph);
  });
});
