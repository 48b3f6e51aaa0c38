/**
 * Introspection against real catalogs: a representative schema (`fixture.sql`) built on PGlite (PostgreSQL 18)
 * and, when it is reachable, on the local server (PostgreSQL 15), read back and checked value by value; both
 * backends must give the same model. Also: the number of catalog queries does not grow with the database.
 */
import { notNullLabel } from '../../src/model/not-null-name.js';
import { readFile } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/types.js';
import { introspect } from '../../src/introspect/index.js';
import * as K from '../../src/model/keys.js';
import type { Schema } from '../../src/model/schema.js';
import { counting, pgliteDb, scratchDatabase, serverReachable, startPglite } from './adapters.js';

const fixture = await readFile(new URL('./fixture.sql', import.meta.url), 'utf8');
const createRole = `DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'keikaku_it_reader') THEN CREATE ROLE keikaku_it_reader; END IF;
END $$;`;
const serverUp = await serverReachable();

const find = <T extends { readonly name: string }>(xs: readonly T[], name: string, schema = 'app'): T => {
  const x = xs.find((o) => o.name === name && (!('schema' in o) || o.schema === schema));
  if (!x) throw new Error(`no ${schema}.${name}`);
  return x;
};
const has = (s: Schema, from: string, to: string) => s.dependencies.some((d) => d.from === from && d.to === to);

/** Every key the model holds: dependency ends must be among them. */
const modelKeys = (s: Schema): Set<string> => {
  const keys = new Set<string>();
  for (const n of s.schemas) keys.add(K.schemaKey(n.name));
  for (const e of s.extensions) keys.add(K.extensionKey(e.name));
  for (const t of [...s.enums, ...s.domains, ...s.composites]) keys.add(K.typeKey(t.schema, t.name));
  for (const q of s.sequences) keys.add(K.sequenceKey(q.schema, q.name));
  for (const t of s.tables) {
    keys.add(K.tableKey(t.schema, t.name));
    for (const c of t.columns) keys.add(K.columnKey(t.schema, t.name, c.name));
    for (const c of t.constraints) keys.add(K.constraintKey(t.schema, t.name, c.name));
  }
  for (const i of s.indexes) keys.add(K.indexKey(i.schema, i.name));
  for (const v of s.views) keys.add(K.viewKey(v.schema, v.name));
  for (const f of s.functions) keys.add(K.functionKey(f.schema, f.name, f.identityArgs));
  for (const t of s.triggers) keys.add(K.triggerKey(t.schema, t.table, t.name));
  for (const p of s.policies) keys.add(K.policyKey(p.schema, p.table, p.name));
  return keys;
};

/** The checks every backend must pass on the fixture's model (read in the top-level `beforeAll`). */
const checkFixtureModel = (model: () => Schema) => {
  let s: Schema;
  beforeAll(() => {
    s = model();
  });

  it('reads schemas, leaving out keikaku and keikaku_archive', () => {
    expect(s.schemas).toEqual([
      {
        kind: 'schema',
        name: 'app',
        comment: 'the application',
        grants: [{ grantee: 'keikaku_it_reader', privilege: 'USAGE', grantable: false }],
      },
      {
        kind: 'schema',
        name: 'public',
        comment: 'standard public schema',
        grants: [{ grantee: 'PUBLIC', privilege: 'USAGE', grantable: false }],
      },
    ]);
    const all = JSON.stringify(s);
    expect(all).not.toContain('keikaku_archive');
    expect(all).not.toContain('journal');
  });

  it('reads extensions but not their members', () => {
    expect(s.extensions).toEqual([{ kind: 'extension', name: 'citext', schema: 'public', version: expect.any(String) }]);
    expect(s.functions.filter((f) => f.name.includes('citext') || f.name === 'regexp_match')).toEqual([]);
  });

  it('reads enums with labels in sort order', () => {
    expect(s.enums).toEqual([
      { kind: 'enum', schema: 'app', name: 'mood', labels: ['sad', 'meh', 'ok', 'happy'], comment: 'how one feels' },
    ]);
  });

  it('reads domains with their checks, not their NOT NULL rows', () => {
    expect(s.domains).toEqual([
      {
        kind: 'domain',
        schema: 'app',
        name: 'positive_int',
        baseType: 'integer',
        notNull: true,
        default: '1',
        collation: null,
        checks: [
          { name: 'positive_int_check', definition: 'CHECK ((VALUE > 0))', validated: true },
          { name: 'positive_int_small', definition: 'CHECK ((VALUE < 1000000)) NOT VALID', validated: false },
        ],
        comment: null,
      },
      {
        kind: 'domain',
        schema: 'app',
        name: 'short_text',
        baseType: 'character varying(20)',
        notNull: false,
        default: null,
        collation: '"C"',
        checks: [],
        comment: null,
      },
    ]);
  });

  it('reads composite types', () => {
    expect(s.composites).toEqual([
      {
        kind: 'composite',
        schema: 'app',
        name: 'address',
        attributes: [
          { name: 'street', type: 'text', collation: null },
          { name: 'city', type: 'text', collation: '"C"' },
          { name: 'zip', type: 'character varying(10)', collation: null },
        ],
        comment: null,
      },
    ]);
  });

  it('reads sequences with OWNED BY, leaving identity sequences to their column', () => {
    expect(s.sequences.map((q) => `${q.schema}.${q.name}`)).toEqual([
      'app.counter',
      'app.teams_id_seq',
      'public.notes_id_seq',
    ]);
    expect(find(s.sequences, 'counter')).toEqual({
      kind: 'sequence',
      schema: 'app',
      name: 'counter',
      type: 'integer',
      start: '10',
      increment: '5',
      min: '1',
      max: '1000',
      cache: '1',
      cycle: true,
      ownedBy: null,
      comment: 'codes',
      grants: [{ grantee: 'keikaku_it_reader', privilege: 'USAGE', grantable: false }],
    });
    expect(find(s.sequences, 'teams_id_seq').ownedBy).toEqual({ schema: 'app', table: 'teams', column: 'id' });
    expect(find(s.sequences, 'notes_id_seq', 'public').ownedBy).toEqual({
      schema: 'public',
      table: 'notes',
      column: 'id',
    });
  });

  it('reads tables in key order', () => {
    expect(s.tables.map((t) => `${t.schema}.${t.name}`)).toEqual([
      'app.bookings',
      'app.events',
      'app.events_2024',
      'app.events_late',
      'app.events_rest',
      'app.scratch',
      'app.teams',
      'app.users',
      'public.notes',
    ]);
    expect(find(s.tables, 'scratch').unlogged).toBe(true);
    expect(find(s.tables, 'users').unlogged).toBe(false);
  });

  it('reads columns: types, defaults, generated, identity, collation, comments, grants', () => {
    const users = find(s.tables, 'users');
    expect(users.columns.map((c) => [c.name, c.type, c.notNull, c.position])).toEqual([
      ['id', 'bigint', true, 1],
      ['email', 'character varying(200)', true, 2],
      ['mood', 'app.mood', true, 3],
      ['score', 'app.positive_int', false, 4],
      ['home', 'app.address', false, 5],
      ['code', 'text', false, 6],
      ['name', 'text', false, 7],
      ['name_upper', 'text', false, 9],
      ['tags', 'text[]', true, 10],
      ['created_at', 'timestamp with time zone', true, 11],
      ['team_id', 'integer', false, 12],
      ['manager_id', 'bigint', false, 13],
    ]);
    expect(find(users.columns, 'id').identity).toEqual({
      always: true,
      sequenceSchema: 'app',
      sequenceName: 'users_id_seq',
      type: 'bigint',
      start: '100',
      increment: '2',
      min: '1',
      max: '9223372036854775807',
      cache: '1',
      cycle: false,
    });
    expect(find(users.columns, 'email')).toMatchObject({ collation: '"C"', comment: 'login', default: null });
    expect(find(users.columns, 'mood').default).toBe("'ok'::app.mood");
    expect(find(users.columns, 'code').default).toBe('app.next_code()');
    expect(find(users.columns, 'tags').default).toBe("'{}'::text[]");
    expect(find(users.columns, 'name_upper')).toMatchObject({ generated: 'upper(name)', default: null });
    expect(find(users.columns, 'name').grants).toEqual([
      { grantee: 'keikaku_it_reader', privilege: 'UPDATE', grantable: true },
    ]);
    expect(find(users.columns, 'email').grants).toEqual([]);
    const notes = find(s.tables, 'notes', 'public');
    // Qualified although public is in the default search_path: introspection empties it.
    expect(find(notes.columns, 'id').default).toBe("nextval('public.notes_id_seq'::regclass)");
    expect(find(notes.columns, 'body').collation).toBe('"POSIX"');
    expect(find(notes.columns, 'aliases').type).toBe('public.citext[]');
    expect(find(find(s.tables, 'teams').columns, 'name').type).toBe('app.short_text');
  });

  it('reads table properties: options, row security, comment, grants', () => {
    const users = find(s.tables, 'users');
    expect(users).toMatchObject({
      partitionBy: null,
      partitionOf: null,
      rowSecurity: true,
      forceRowSecurity: true,
      options: ['fillfactor=80'],
      comment: 'people',
    });
    expect(users.grants).toEqual([
      { grantee: 'PUBLIC', privilege: 'SELECT', grantable: false },
      { grantee: 'keikaku_it_reader', privilege: 'INSERT', grantable: false },
      { grantee: 'keikaku_it_reader', privilege: 'SELECT', grantable: false },
    ]);
    expect(find(s.tables, 'teams').grants).toEqual([]);
  });

  it('reads constraints, NOT NULL being a column property only', () => {
    const users = find(s.tables, 'users');
    expect(users.constraints).toEqual([
      {
        name: 'users_email_key',
        type: 'unique',
        definition: 'UNIQUE (email)',
        validated: true,
        columns: ['email'],
        references: null,
        comment: null,
      },
      {
        name: 'users_manager_fk',
        type: 'foreign',
        definition: 'FOREIGN KEY (manager_id) REFERENCES app.users(id) NOT VALID',
        validated: false,
        columns: ['manager_id'],
        references: { schema: 'app', table: 'users' },
        comment: null,
      },
      {
        name: 'users_name_check',
        type: 'check',
        definition: 'CHECK ((length(name) > 0))',
        validated: true,
        columns: ['name'],
        references: null,
        comment: 'no empty names',
      },
      {
        name: 'users_pkey',
        type: 'primary',
        definition: 'PRIMARY KEY (id)',
        validated: true,
        columns: ['id'],
        references: null,
        comment: null,
      },
      {
        name: 'users_team_fk',
        type: 'foreign',
        definition: 'FOREIGN KEY (team_id) REFERENCES app.teams(id) ON DELETE SET NULL',
        validated: true,
        columns: ['team_id'],
        references: { schema: 'app', table: 'teams' },
        comment: null,
      },
    ]);
    expect(find(find(s.tables, 'teams').constraints, 'teams_lead_fk').definition).toBe(
      'FOREIGN KEY (lead_id) REFERENCES app.users(id) DEFERRABLE INITIALLY DEFERRED',
    );
    expect(find(s.tables, 'bookings').constraints.map((c) => [c.name, c.type, c.definition, c.columns])).toEqual([
      ['bookings_no_overlap', 'exclusion', 'EXCLUDE USING gist (during WITH &&)', ['during']],
      ['bookings_pkey', 'primary', 'PRIMARY KEY (id)', ['id']],
    ]);
  });

  it('reads partitioned tables and keeps only what is a partition’s own', () => {
    const events = find(s.tables, 'events');
    expect(events.partitionBy).toBe('RANGE (happened)');
    expect(events.columns.map((c) => c.name)).toEqual(['id', 'happened', 'kind', 'payload']);
    expect(events.constraints.map((c) => c.name)).toEqual(['events_kind_check', 'events_pkey']);
    // Created as a partition, and created alone then attached: the same, nothing of its own.
    for (const [name, bound] of [
      ['events_2024', "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')"],
      ['events_late', "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')"],
    ] as const) {
      expect(find(s.tables, name)).toMatchObject({
        partitionBy: null,
        partitionOf: { parentSchema: 'app', parent: 'events', bound },
        columns: [],
        constraints: [],
      });
    }
    const rest = find(s.tables, 'events_rest');
    expect(rest.partitionOf).toEqual({ parentSchema: 'app', parent: 'events', bound: 'DEFAULT' });
    expect(rest.columns.map((c) => [c.name, c.default])).toEqual([['payload', "'{}'::jsonb"]]);
    expect(rest.constraints.map((c) => c.name)).toEqual(['events_rest_payload_check']);
  });

  it('reads indexes but those backing constraints and those of partitions attached to a parent index', () => {
    expect(s.indexes.map((i) => [i.name, i.table, i.unique, i.columns])).toEqual([
      ['events_2024_kind_idx', 'events_2024', false, ['kind']],
      ['events_payload_idx', 'events', false, ['payload']],
      ['team_sizes_team_idx', 'team_sizes', true, ['team_id']],
      ['users_code_idx', 'users', true, ['code', 'name']],
      ['users_created_idx', 'users', false, ['created_at']],
      ['users_lower_email_idx', 'users', false, ['']],
      ['users_tags_idx', 'users', false, ['tags']],
    ]);
    const def = (name: string) => find(s.indexes, name).definition;
    expect(def('users_code_idx')).toBe('CREATE UNIQUE INDEX users_code_idx ON app.users USING btree (code) INCLUDE (name)');
    expect(def('users_created_idx')).toBe(
      'CREATE INDEX users_created_idx ON app.users USING btree (created_at) WHERE (name IS NOT NULL)',
    );
    expect(def('users_lower_email_idx')).toBe(
      'CREATE INDEX users_lower_email_idx ON app.users USING btree (lower((email)::text))',
    );
    // pg_get_indexdef prints ON ONLY for every index of a partitioned table; the model keeps it only for one not
    // valid yet (made ON ONLY, some partition's index not attached), which this one is not.
    expect(def('events_payload_idx')).toBe('CREATE INDEX events_payload_idx ON app.events USING gin (payload)');
    expect(find(s.indexes, 'users_tags_idx').comment).toBe('tag search');
  });

  it('reads views and materialized views', () => {
    expect(find(s.views, 'user_names')).toMatchObject({
      materialized: false,
      options: ['security_barrier=true'],
      columns: ['id', 'name', 'mood'],
      columnComments: [{ column: 'name', comment: 'the name' }],
      comment: 'named users',
      grants: [{ grantee: 'keikaku_it_reader', privilege: 'SELECT', grantable: false }],
    });
    expect(find(s.views, 'user_names').definition).toMatch(/^ SELECT (u\.)?id,\n/);
    expect(find(s.views, 'team_sizes')).toMatchObject({
      materialized: true,
      options: [],
      columns: ['team_id', 'members'],
      columnComments: [],
      grants: [],
    });
  });

  it('reads functions and procedures with their grants', () => {
    expect(s.functions.map((f) => [f.name, f.identityArgs, f.procedure, f.returns, f.args])).toEqual([
      ['add', 'a integer, b integer', false, 'integer', 'a integer, b integer DEFAULT 1'],
      ['next_code', '', false, 'text', ''],
      ['note_event', '', false, 'trigger', ''],
      ['reset_counter', 'IN to_value integer', true, null, 'IN to_value integer DEFAULT 10'],
      ['touch', '', false, 'trigger', ''],
    ]);
    expect(find(s.functions, 'add').definition).toBe(
      'CREATE OR REPLACE FUNCTION app.add(a integer, b integer DEFAULT 1)\n RETURNS integer\n LANGUAGE sql\n' +
        ' IMMUTABLE\nAS $function$ SELECT a + b $function$\n',
    );
    // EXECUTE for PUBLIC is a function's default; revoking it shows.
    expect(find(s.functions, 'add').grants).toEqual([{ grantee: 'PUBLIC', privilege: 'EXECUTE', grantable: false }]);
    expect(find(s.functions, 'next_code')).toMatchObject({
      comment: 'the next code',
      grants: [{ grantee: 'keikaku_it_reader', privilege: 'EXECUTE', grantable: false }],
    });
  });

  it('reads triggers, not their clones on partitions', () => {
    expect(s.triggers).toEqual([
      {
        kind: 'trigger',
        schema: 'app',
        table: 'events',
        name: 'events_note',
        definition: 'CREATE TRIGGER events_note AFTER INSERT ON app.events FOR EACH ROW EXECUTE FUNCTION app.note_event()',
        enabled: 'D',
        comment: null,
      },
      {
        kind: 'trigger',
        schema: 'app',
        table: 'users',
        name: 'users_touch',
        definition: 'CREATE TRIGGER users_touch BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch()',
        enabled: 'O',
        comment: 'keeps created_at fresh',
      },
    ]);
  });

  it('reads policies', () => {
    expect(s.policies).toEqual([
      {
        kind: 'policy',
        schema: 'app',
        table: 'users',
        name: 'users_read',
        command: 'SELECT',
        permissive: false,
        roles: ['public'],
        using: 'true',
        withCheck: null,
        comment: null,
      },
      {
        kind: 'policy',
        schema: 'app',
        table: 'users',
        name: 'users_self',
        command: 'UPDATE',
        permissive: true,
        roles: ['keikaku_it_reader', 'postgres'],
        using: '(name = CURRENT_USER)',
        withCheck: '(name IS NOT NULL)',
        comment: 'own rows',
      },
    ]);
  });

  it('reads dependencies as edges between model keys', () => {
    const col = (t: string, c: string, schema = 'app') => K.columnKey(schema, t, c);
    const expected: [string, string][] = [
      [col('users', 'code'), K.functionKey('app', 'next_code', '')],
      [col('users', 'mood'), K.typeKey('app', 'mood')],
      [col('users', 'score'), K.typeKey('app', 'positive_int')],
      [col('users', 'home'), K.typeKey('app', 'address')],
      [col('users', 'name_upper'), col('users', 'name')],
      [col('teams', 'id'), K.sequenceKey('app', 'teams_id_seq')],
      [K.sequenceKey('app', 'teams_id_seq'), col('teams', 'id')],
      [col('notes', 'handle', 'public'), K.extensionKey('citext')],
      [col('notes', 'aliases', 'public'), K.extensionKey('citext')],
      [K.viewKey('app', 'user_names'), col('users', 'name')],
      [K.viewKey('app', 'user_names'), K.typeKey('app', 'mood')],
      [K.viewKey('app', 'team_sizes'), col('users', 'team_id')],
      [K.indexKey('app', 'users_lower_email_idx'), col('users', 'email')],
      [K.indexKey('app', 'users_created_idx'), col('users', 'name')],
      [K.indexKey('app', 'team_sizes_team_idx'), K.viewKey('app', 'team_sizes')],
      [K.constraintKey('app', 'users', 'users_team_fk'), K.constraintKey('app', 'teams', 'teams_pkey')],
      [K.constraintKey('app', 'users', 'users_team_fk'), col('teams', 'id')],
      [K.constraintKey('app', 'users', 'users_name_check'), col('users', 'name')],
      [K.triggerKey('app', 'users', 'users_touch'), K.functionKey('app', 'touch', '')],
      [K.triggerKey('app', 'users', 'users_touch'), K.tableKey('app', 'users')],
      [K.policyKey('app', 'users', 'users_self'), col('users', 'name')],
      [K.tableKey('app', 'events_2024'), K.tableKey('app', 'events')],
      [col('events_rest', 'payload'), K.tableKey('app', 'events_rest')],
      [K.typeKey('app', 'mood'), K.schemaKey('app')],
      [K.tableKey('public', 'notes'), K.schemaKey('public')],
      [K.extensionKey('citext'), K.schemaKey('public')],
      [col('users', 'email'), K.tableKey('app', 'users')],
    ];
    for (const [from, to] of expected) expect(has(s, from, to), `${from} -> ${to}`).toBe(true);
  });

  it('keeps dependencies between model objects only, unique and sorted', () => {
    const keys = modelKeys(s);
    const ids = s.dependencies.map((d) => JSON.stringify([d.from, d.to]));
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of s.dependencies) {
      expect(d.from).not.toBe(d.to);
      expect(keys.has(d.from), d.from).toBe(true);
      expect(keys.has(d.to), d.to).toBe(true);
    }
    const sortedDeps = [...s.dependencies].sort((a, b) =>
      a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0,
    );
    expect(s.dependencies).toEqual(sortedDeps);
  });
};

/**
 * What legitimately differs between PostgreSQL 15 and 18 for the same DDL: pg_get_viewdef stopped qualifying
 * columns of single-relation views in 16, and the two ship different citext versions.
 */
const comparable = (s: Schema) => ({
  ...s,
  serverVersion: 0,
  // PostgreSQL 18 names every NOT NULL; only a name the user chose is compared (src/model/not-null-name.ts).
  tables: s.tables.map((t) => ({ ...t, columns: t.columns.map((c) => ({ ...c, notNullName: notNullLabel(t.name, c) })) })),
  views: s.views.map((v) => ({ ...v, definition: '' })),
  extensions: s.extensions.map((e) => ({ ...e, version: '' })),
});

let pglite: PGlite;
let pgliteModel: Schema;
let serverModel: Schema | undefined;

beforeAll(async () => {
  pglite = await startPglite({ citext });
  const db = pgliteDb(pglite);
  await db.exec(createRole + fixture);
  pgliteModel = await introspect(db);
  if (serverUp) {
    const scratch = await scratchDatabase('keikaku_introspect');
    try {
      await scratch.db.exec(createRole + fixture);
      serverModel = await introspect(scratch.db);
    } finally {
      await scratch.drop();
    }
  }
}, 120_000);

afterAll(async () => {
  await pglite?.close();
});

describe('introspect on PGlite (PostgreSQL 18)', () => {
  checkFixtureModel(() => pgliteModel);

  it('reports the server version', () => {
    expect(pgliteModel.serverVersion).toBeGreaterThanOrEqual(180000);
  });

  it('prints view bodies as PostgreSQL 18 does', () => {
    expect(find(pgliteModel.views, 'user_names').definition).toBe(
      ' SELECT id,\n    name,\n    mood\n   FROM app.users u\n  WHERE (name IS NOT NULL);',
    );
  });

  it('gives the same model on a second read', async () => {
    expect(await introspect(pgliteDb(pglite))).toEqual(pgliteModel);
  });

  it('prints names the same whatever the search_path, and restores it', async () => {
    const db = pgliteDb(pglite);
    await db.exec('SET search_path = app, public');
    try {
      expect(await introspect(db)).toEqual(pgliteModel);
      expect(await db.query('SHOW search_path')).toEqual([{ search_path: 'app, public' }]);
    } finally {
      await db.exec('RESET search_path');
    }
  });

  it('narrows to the given schemas', async () => {
    const s = await introspect(pgliteDb(pglite), { schemas: ['public'] });
    expect(s.schemas.map((n) => n.name)).toEqual(['public']);
    expect(s.tables.map((t) => t.name)).toEqual(['notes']);
    expect(s.enums).toEqual([]);
    expect(s.sequences.map((q) => q.name)).toEqual(['notes_id_seq']);
    // The foreign key still names its referenced table; edges to objects left out are dropped.
    expect(find(find(s.tables, 'notes', 'public').constraints, 'notes_user_id_fkey').references).toEqual({
      schema: 'app',
      table: 'users',
    });
    expect(s.dependencies.some((d) => d.to.includes('"app"'))).toBe(false);
  });
});

describe.skipIf(!serverUp)('introspect on the server (PostgreSQL 15)', () => {
  checkFixtureModel(() => serverModel!);

  it('prints view bodies as PostgreSQL 15 does', () => {
    expect(find(serverModel!.views, 'user_names').definition).toBe(
      ' SELECT u.id,\n    u.name,\n    u.mood\n   FROM app.users u\n  WHERE (u.name IS NOT NULL);',
    );
  });

  it('gives the same model as PGlite', () => {
    expect(comparable(serverModel!)).toEqual(comparable(pgliteModel));
  });
});

/** `n` tables in schema `s`, each with a key, a foreign key, an index, a view and a function. */
const manyTables = (from: number, to: number) =>
  Array.from(
    { length: to - from },
    (_, k) => `
CREATE TABLE grow.t${from + k} (id int PRIMARY KEY, ref int REFERENCES grow.t0 (id), v text DEFAULT 'x');
CREATE INDEX t${from + k}_v_idx ON grow.t${from + k} (v);
CREATE VIEW grow.v${from + k} AS SELECT id, v FROM grow.t${from + k};
CREATE FUNCTION grow.f${from + k}() RETURNS int LANGUAGE sql AS $$ SELECT count(*)::int FROM grow.t${from + k} $$;`,
  ).join('\n');

const queriesFor = async (db: Db) => {
  const c = counting(db);
  const s = await introspect(c);
  return { queries: c.count(), tables: s.tables.length };
};

describe('the number of catalog queries', () => {
  it('does not grow with the number of tables (PGlite)', async () => {
    const db = pgliteDb(pglite);
    await db.exec(`CREATE SCHEMA grow; CREATE TABLE grow.t0 (id int PRIMARY KEY);${manyTables(1, 5)}`);
    const small = await queriesFor(db);
    await db.exec(manyTables(5, 50));
    const large = await queriesFor(db);
    await db.exec('DROP SCHEMA grow CASCADE');
    expect(large.tables - small.tables).toBe(45);
    expect(large.queries).toBe(small.queries);
    expect(small.queries).toBe(17);
  }, 60_000);

  it.skipIf(!serverUp)('does not grow with the number of tables (server)', async () => {
    const counts: { queries: number; tables: number }[] = [];
    for (const n of [5, 50]) {
      const scratch = await scratchDatabase('keikaku_introspect_count');
      try {
        await scratch.db.exec(`CREATE SCHEMA grow; CREATE TABLE grow.t0 (id int PRIMARY KEY);${manyTables(1, n)}`);
        counts.push(await queriesFor(scratch.db));
      } finally {
        await scratch.drop();
      }
    }
    expect(counts.map((c) => c.tables)).toEqual([5, 50]);
    expect(counts[1]!.queries).toBe(counts[0]!.queries);
  }, 60_000);
});
