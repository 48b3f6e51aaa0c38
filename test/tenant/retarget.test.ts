/**
 * The retargeting of a migration from the template schema to a tenant schema (src/tenant/retarget.ts), judged by
 * Postgres's parser rather than by the text written: the same statements rendered for the tenant schema must parse
 * to the tree the rewrite gives, for hostile tenant names and for tables, columns and aliases named like the
 * template. What cannot be rewritten safely is refused, with its file and line.
 */
import fc from 'fast-check';
import { parse } from 'libpg-query';
import { describe, expect, it } from 'vitest';
import { ident, literal } from '../../src/render/quote.js';
import { retargetSql, unsafeParts } from '../../src/tenant/retarget.js';
import { tenantTemplate } from '../../src/tenant/index.js';
import type { Migration } from '../../src/load/migrations.js';
import { cut63 } from '../support/names.js';

const PIECES = ['"', "'", '.', '$', '$$', '$1', ' ', '-', '--', '/*', '*/', ';', '\\', '\n', 'é', '表', '🙂', '\u202e', 'select', 'user', 'public', 'tenant', 'TENANT', 'a', 'Z', '%', '_'];
const hostile = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 6 }).map((a) => a.join(''));

const nameArb = fc.oneof(
  hostile.map(cut63),
  fc.tuple(hostile, fc.constant('表'.repeat(30))).map(([a, b]) => cut63(a + b)),
  fc.constantFrom('select', 'user', 'order', 'tenant_a', 'Tenant', 'tenant', 'x.y', 'a"b', "a'b", '$x$', 'pg_temp', 'public'),
);

/** Plain (unquoted) when Postgres would read it back unchanged, else quoted: both forms occur in migrations. */
const written = (name: string, plain: boolean): string => (plain && /^[a-z_][a-z0-9_]*$/.test(name) && !['select', 'user', 'order', 'table'].includes(name) ? name : ident(name));

interface Names {
  readonly table: string;
  readonly col: string;
  readonly type: string;
  readonly comment: string;
}

/** A migration whose statements name schema `s`; tables, columns and types may be named like the template. */
const render = (s: string, n: Names, template: string, plain: boolean): string => {
  const S = written(s, plain);
  const T = `${S}.${ident(n.table)}`;
  return [
    '-- a comment naming the template: ' + template.replace(/\n/g, ' '),
    'SET check_function_bodies = off;',
    'BEGIN;',
    `CREATE TYPE ${S}.${ident(n.type)} AS ENUM ('a', 'b');`,
    `CREATE TABLE ${T} (id bigint PRIMARY KEY, ${ident(n.col)} ${S}.${ident(n.type)} NOT NULL, ${ident(template)} text DEFAULT 'x');`,
    `CREATE INDEX ${ident(`${n.col}_i`)} ON ${T} USING btree (${ident(n.col)}, ${ident(template)});`,
    `COMMENT ON COLUMN ${T}.${ident(n.col)} IS ${literal(n.comment)};`,
    `COMMENT ON TABLE ${T} IS NULL;`,
    `ALTER TABLE ${T} ADD CONSTRAINT ${ident(`${n.col}_k`)} CHECK ((${ident(n.col)} IS NOT NULL) AND ((${ident(template)})::text <> ''::text));`,
    `ALTER TABLE ${T} ADD CONSTRAINT self FOREIGN KEY (id) REFERENCES ${T} (id);`,
    `CREATE VIEW ${S}.v AS SELECT ${T}.id, x.${ident(template)}, ${S}.${ident(n.table)}.${ident(n.col)}::${S}.${ident(n.type)} FROM ${T} JOIN ${T} x USING (id);`,
    `CREATE FUNCTION ${S}.f(a ${S}.${ident(n.type)}) RETURNS integer LANGUAGE sql AS 'values (1)';`,
    `ALTER TABLE ${T} ALTER COLUMN ${ident(template)} TYPE varchar(10);`,
    `ALTER TABLE ${T} RENAME COLUMN ${ident(template)} TO ${ident(`${template}2`)};`,
    `UPDATE ${T} SET ${ident(`${template}2`)} = 'y' WHERE ${ident(n.col)} = 'a'::${S}.${ident(n.type)};`,
    `DROP FUNCTION ${S}.f(${S}.${ident(n.type)});`,
    `DROP VIEW ${S}.v;`,
    `DROP TABLE ${T};`,
    `DROP TYPE ${S}.${ident(n.type)};`,
    'COMMIT;',
    `CREATE INDEX CONCURRENTLY ${ident('later')} ON ${S}.${ident('other')} (${ident(template)});`,
    '',
  ].join('\n');
};

/** A parse tree without source positions (they move with the names). */
const tree = async (sql: string): Promise<unknown> => JSON.parse(JSON.stringify(await parse(sql), (k, v) => (k === 'location' || k === 'stmt_location' || k === 'stmt_len' ? undefined : v)));

const names = fc.record({ table: nameArb, col: nameArb, type: nameArb, comment: hostile }).filter((n) => n.col !== n.type);

describe('retargetSql', () => {
  it('gives what the same statements written for the tenant schema parse to (hostile names, names like the template)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('tenant', 'app', 'public', 'Tenant Ü', 'select', 'a"b.c'), nameArb, names, fc.boolean(), async (template, target, n, plain) => {
        // Strings holding the template's name are refused (below), so the comment text here never does.
        fc.pre(!n.comment.toLowerCase().includes(template.toLowerCase()));
        const source = render(template, n, template, plain);
        expect(await unsafeParts(source, 'm/1_expand.up.sql', template)).toEqual([]);
        const out = await retargetSql(source, 'm/1_expand.up.sql', template, target);
        expect(await tree(out)).toEqual(await tree(render(target, n, template, false)));
        // Comments and every other byte outside the qualifiers are kept as written.
        expect(out.split('\n')[0]).toBe(source.split('\n')[0]);
      }),
      { numRuns: 150 },
    );
  }, 60_000);

  it('refuses a name used as something other than a schema before a dot: an alias, a table, a catalog-qualified name', async () => {
    const cases = [
      'SELECT tenant.id FROM app.t tenant;',
      'SELECT tenant.* FROM app.tenant;',
      'SELECT tenant.id FROM tenant.t tenant;',
      'CREATE TABLE db.tenant.t (id int);',
      'COMMENT ON COLUMN tenant.c IS NULL;',
    ];
    for (const sql of cases) {
      const file = 'migrations/1/1_expand.up.sql';
      await expect(retargetSql(`\n\n${sql}`, file, 'tenant', 'tenant_x'), sql).rejects.toThrow(/^migrations\/1\/1_expand\.up\.sql:3: cannot run it in schema "tenant_x"/);
    }
  });

  it('leaves a file that does not name the template as it is', async () => {
    const sql = 'CREATE TABLE app.t (tenant int);\nCOMMENT ON COLUMN app.t.tenant IS NULL;\n';
    expect(await retargetSql(sql, 'f', 'tenant', 'x')).toBe(sql);
  });
});

describe('unsafeParts', () => {
  const refused: [string, RegExp][] = [
    ["SELECT nextval('tenant.s'::regclass);", /a string holds the template schema's name "tenant"/],
    ["ALTER TABLE tenant.t ALTER COLUMN id SET DEFAULT nextval('TENANT.t_id_seq'::regclass);", /a string holds/],
    ['CREATE FUNCTION tenant.f() RETURNS int LANGUAGE sql AS $body$ SELECT count(*)::int FROM tenant.t $body$;', /a string holds/],
    ["DO $$ BEGIN UPDATE tenant.t SET a = 1; END $$;", /a string holds/],
    ["INSERT INTO tenant.t (kind) VALUES ('tenant');", /a string holds/],
    ["INSERT INTO tenant.t (kind) VALUES ('see \"TENANT\".t');", /a string holds/],
    ["INSERT INTO tenant.t (kind) VALUES ('ünïcode tenant-x');", /a string holds/],
    ['CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA tenant;', /an extension exists once per database/],
    ['CREATE SCHEMA tenant;', /CREATE SCHEMA/],
    ['DROP SCHEMA tenant CASCADE;', /DROP SCHEMA/],
    ['ALTER SCHEMA tenant RENAME TO t2;', /renaming a schema/],
    ['ALTER TABLE tenant.t SET SCHEMA app;', /SET SCHEMA/],
    ['GRANT USAGE ON SCHEMA tenant TO app_user;', /GRANT\/REVOKE on a schema/],
    ['GRANT SELECT ON ALL TABLES IN SCHEMA tenant TO app_user;', /GRANT\/REVOKE on a schema/],
    ['ALTER DEFAULT PRIVILEGES IN SCHEMA tenant GRANT SELECT ON TABLES TO app_user;', /DEFAULT PRIVILEGES/],
    ['SET search_path = tenant, public;', /search_path/],
    ["SELECT set_config('search_path', 'app', false);", /set_config/],
    ['CREATE FUNCTION tenant.f() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = public AS $b$ SELECT 1 $b$;', /sets search_path/],
    ['ALTER FUNCTION tenant.f() SET search_path = public;', /sets search_path/],
    ['ALTER ROLE app_user SET search_path = public;', /sets search_path/],
    ['COMMENT ON SCHEMA tenant IS NULL;', /about a schema/],
    ['CREATE TABLE t (id int);', /"t" is not schema-qualified/],
    ['ALTER TABLE tenant.t ADD CONSTRAINT f FOREIGN KEY (id) REFERENCES u (id);', /"u" is not schema-qualified/],
    ['CREATE TABLE keikaku_archive.x AS SELECT * FROM tenant.t;', /schema keikaku_archive/],
  ];
  it.each(refused)('refuses %s', async (sql, why) => {
    const found = await unsafeParts(`-- header\nBEGIN;\n${sql}\nCOMMIT;\n`, 'migrations/1/1_expand.up.sql', 'tenant');
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatchObject({ file: 'migrations/1/1_expand.up.sql', line: 3 });
    expect(found.map((f) => f.reason).join('\n')).toMatch(why);
  });

  it('accepts what keikaku writes for one schema, strings that do not name it, and names merely containing it', async () => {
    const sql = [
      'SET lock_timeout = 1000;',
      'CREATE TABLE tenant.t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, tenant_id int, "tenant" text DEFAULT \'x\');',
      "COMMENT ON TABLE tenant.t IS 'orders of a customer';",
      'CREATE TABLE tenant."tenant.t" (a int);',
      "ALTER TABLE tenant.t ADD CONSTRAINT c CHECK (tenant_id > 0) NOT VALID;",
      'ALTER TABLE tenant.t VALIDATE CONSTRAINT c;',
      "INSERT INTO tenant.t (tenant) VALUES ('tenants'), ('subtenant'), ('tenant_id'), ('tenant9'), ('tenantë');",
    ].join('\n');
    expect(await unsafeParts(sql, 'f', 'tenant')).toEqual([]);
  });
});

describe('tenantTemplate', () => {
  const history = (...files: string[]) => ({
    migrations: files.map((text, i): Migration => ({ id: `m${i}`, dir: '', plan: {} as Migration['plan'], files: new Map([['1_expand.up.sql', text]]) })),
  });
  it('is the one schema the migrations name, pg_catalog and keikaku aside; given, it is taken as given', async () => {
    expect(await tenantTemplate(history('CREATE TABLE tenant.t (a pg_catalog.int4);', 'DROP TABLE tenant.t;'), undefined)).toBe('tenant');
    expect(await tenantTemplate(history('CREATE TABLE a.t (x int);', 'CREATE TABLE b.t (x int);'), 'b')).toBe('b');
  });
  it('asks for it when the migrations name several, or none', async () => {
    await expect(tenantTemplate(history('CREATE TABLE a.t (x int);', 'CREATE TABLE b.t (x int);'), undefined)).rejects.toThrow(/name the schemas "a", "b"; say which one .*--template-schema/);
    await expect(tenantTemplate(history('SELECT 1;'), undefined)).rejects.toThrow(/name no schema/);
  });
});
