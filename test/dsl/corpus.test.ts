/**
 * Desired schemas of the shared corpus, rewritten in the DSL: test/dsl/corpus/<case>/schema.ts, one per case,
 * whose first line names it (`// Corpus case: sqldef/…`). On every backend:
 * - the case's own SQL (its roles created first) and the fixture's rendered script, applied as the shadow applies
 *   it, must create the same catalog: test/support/catalog-snapshot.sql, plus the privileges as the ACL lists them;
 * - the schema read back from each must be the same for the differ (no change between them), and so must the
 *   fixture normalized through `normalize()` (on the server for every fixture; on PGlite for a few, see below).
 * Together the fixtures must declare every object kind of DESIGN §2 that the corpus has; the kinds it has no
 * desired schema for are listed, and checked to be still absent from it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, type ExpectStatic, it } from 'vitest';
import { extensionsNeeded } from '../../src/db/pglite.js';
import type { Db } from '../../src/db/types.js';
import { diff } from '../../src/diff/index.js';
import { describeChange } from '../../src/model/describe.js';
import type { Schema } from '../../src/model/schema.js';
import { type LoadedSchema, loadSchemaDir } from '../../src/load/schema-dir.js';
import { applyScript, normalize } from '../../src/load/shadow.js';
import { readSchema } from '../../src/load/source.js';
import { backends, type Backend, withFreshDb } from '../support/backends.js';
import { corpusAvailable, loadCorpus, reportCorpusMissing, type CorpusCase } from '../support/corpus.js';
import { projectRoot } from '../support/paths.js';
import { snapshot } from '../support/snapshot.js';

const FIXTURES = path.join(projectRoot, 'test/dsl/corpus');

interface Fixture {
  readonly slug: string;
  readonly dir: string;
  readonly id: string;
  readonly case: CorpusCase | undefined;
}

const corpus = new Map(loadCorpus().map((c) => [c.id, c]));

const fixtures: Fixture[] = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort()
  .map((slug) => {
    const dir = path.join(FIXTURES, slug);
    const head = readFileSync(path.join(dir, 'schema.ts'), 'utf8').split('\n', 1)[0] ?? '';
    const id = /^\/\/ Corpus case: (\S+)$/.exec(head)?.[1] ?? `(no "// Corpus case: <id>" line in ${slug}/schema.ts)`;
    return { slug, dir, id, case: corpus.get(id) };
  });

/** Roles are the server's: created once, left for other tests (as test/acceptance does). */
const ensureRoles = async (db: Db, roles: readonly string[]) => {
  for (const r of roles)
    await db.exec(
      `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${r.replace(/'/g, "''")}') THEN CREATE ROLE "${r.replace(/"/g, '""')}"; END IF; END $$`,
    );
};

/**
 * Privileges of user objects, one line per (object, grantee, privilege), as the ACL lists them. The owner's
 * own entries are there too (an ACL that was granted on lists them), so an object granted on in one database and
 * not in the other differs.
 */
const ACL_SQL = `
WITH ns AS (
  SELECT oid, nspname FROM pg_namespace
  WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
),
ext AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e'),
objs AS (
  SELECT 'relation ' || quote_ident(ns.nspname) || '.' || quote_ident(c.relname) AS obj, c.relacl AS acl
    FROM pg_class c JOIN ns ON ns.oid = c.relnamespace
   WHERE c.relacl IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_class'::regclass AND ext.objid = c.oid)
  UNION ALL
  SELECT 'column ' || quote_ident(ns.nspname) || '.' || quote_ident(c.relname) || '.' || quote_ident(a.attname), a.attacl
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN ns ON ns.oid = c.relnamespace
   WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'schema ' || quote_ident(ns.nspname), n.nspacl FROM pg_namespace n JOIN ns ON ns.oid = n.oid WHERE n.nspacl IS NOT NULL
  UNION ALL
  SELECT 'routine ' || quote_ident(ns.nspname) || '.' || quote_ident(p.proname) || '(' || pg_get_function_identity_arguments(p.oid) || ')', p.proacl
    FROM pg_proc p JOIN ns ON ns.oid = p.pronamespace
   WHERE p.proacl IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_proc'::regclass AND ext.objid = p.oid)
  UNION ALL
  SELECT 'type ' || quote_ident(ns.nspname) || '.' || quote_ident(t.typname), t.typacl
    FROM pg_type t JOIN ns ON ns.oid = t.typnamespace
   WHERE t.typacl IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM ext WHERE ext.classid = 'pg_type'::regclass AND ext.objid = t.oid)
)
SELECT line FROM (
  SELECT obj || ' to ' || CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(x.grantee::regrole::text) END
         || ' ' || x.privilege_type || CASE WHEN x.is_grantable THEN ' grantable' ELSE '' END AS line
    FROM objs, aclexplode(objs.acl) x
) lines
ORDER BY line COLLATE "C"`;

interface Catalog {
  readonly snapshot: string[];
  readonly privileges: string[];
  readonly schema: Schema;
}

const catalogOf = async (db: Db): Promise<Catalog> => ({
  snapshot: await snapshot(db),
  privileges: (await db.query<{ line: string }>(ACL_SQL)).map((r) => r.line),
  schema: await readSchema(db),
});

/** The catalog the case's own SQL creates. */
const fromSql = (backend: Backend, c: CorpusCase): Promise<Catalog> =>
  withFreshDb(
    backend,
    async (db) => {
      await ensureRoles(db, c.roles);
      await db.exec(`${c.setup}\n${c.desired}`);
      return catalogOf(db);
    },
    { extensions: extensionsNeeded(c.desired) },
  );

/**
 * The catalog the fixture's rendered script creates in a fresh database of the backend, applied as the shadow
 * applies it (`applyScript`; on PGlite as the embedded shadow, which creates the roles the script names itself).
 */
const fromDsl = (backend: Backend, c: CorpusCase, loaded: LoadedSchema): Promise<Catalog> =>
  withFreshDb(
    backend,
    async (db) => {
      const embedded = backend.name === 'pglite';
      if (!embedded) await ensureRoles(db, c.roles);
      await applyScript(db, loaded, embedded);
      return catalogOf(db);
    },
    { extensions: loaded.extensions },
  );

const all = await backends();

/** Schemas read back from the fixtures' databases, by backend and slug, for the coverage check. */
const declared = new Map<string, Schema>();

const changesBetween = (from: Schema, to: Schema): string[] => diff(from, to).changes.map(describeChange);

/**
 * A new embedded shadow costs seconds (a PGlite instance each), so every fixture goes through `normalize()` on the
 * server (a scratch database), and on PGlite these do, the ones that need roles or extensions of the embedded
 * shadow; the others are applied to the shared PGlite instance by the same `applyScript`.
 * KEIKAKU_CORPUS_DSL_NORMALIZE=all normalizes every fixture on PGlite too.
 */
const NORMALIZED_ON_PGLITE = new Set(['extensions-uuid-ossp-default', 'grants-sequence-and-column', 'policies-restrictive-to-postgres']);
const normalizeOn = (backend: Backend, slug: string): boolean =>
  backend.name === 'server' || process.env.KEIKAKU_CORPUS_DSL_NORMALIZE === 'all' || NORMALIZED_ON_PGLITE.has(slug);

/**
 * Fixtures known to fail, with why: DSL bugs (wrong SQL rendered), each to be fixed in src/. A fixture listed here
 * must still fail; once it passes, the test fails until it is taken off the list.
 */
const KNOWN: Record<string, string> = {};

/** The fixture against the case's SQL on one backend (`expect` of the test: server tests run concurrently). */
const compare = async (backend: Backend, f: Fixture, expect: ExpectStatic): Promise<void> => {
  expect(f.case, `${f.slug}: corpus case ${f.id} (a loadable case of sqldef.json)`).toBeDefined();
  const c = f.case!;
  expect(c.setup, `${f.slug}: pick a case without setup SQL`).toBe('');
  const loaded = await loadSchemaDir(f.dir, { cwd: projectRoot });
  const script = loaded.script.map((s) => s.sql).join(';\n');
  // Roles the fixture grants to or names in policies are the case's (or the connecting superuser).
  expect(loaded.roles.filter((r) => r !== 'postgres' && !c.roles.includes(r)), f.slug).toEqual([]);

  const want = await fromSql(backend, c);
  const got = await fromDsl(backend, c, loaded);
  expect(got.snapshot, `${f.slug}: catalog of the DSL's script vs the case's SQL\n--- script:\n${script}`).toEqual(want.snapshot);
  expect(got.privileges, `${f.slug}: privileges`).toEqual(want.privileges);
  expect(changesBetween(want.schema, got.schema), `${f.slug}: the DSL's schema differs from the introspected SQL`).toEqual([]);
  declared.set(`${backend.name} ${f.slug}`, got.schema);

  if (normalizeOn(backend, f.slug)) {
    const shadow = backend.serverUrl ? { shadowUrl: backend.serverUrl } : {};
    const schema = await normalize(loaded, shadow);
    expect(changesBetween(want.schema, schema), `${f.slug}: normalized in the shadow, vs the introspected SQL`).toEqual([]);
  }
};

reportCorpusMissing('corpus cases in the DSL');

describe.skipIf(!corpusAvailable).each(all)('corpus cases in the DSL ($title)', (backend) => {
  // A scratch database on the server takes a second or more to create, and each test makes three: those tests run
  // a few at a time, with every role they need created first (roles are the server's, so two tests would race to
  // create one). PGlite's shared instance serves one test at a time.
  const server = backend.name === 'server';
  if (server)
    beforeAll(() => withFreshDb(backend, (db) => ensureRoles(db, [...new Set(fixtures.flatMap((f) => f.case?.roles ?? []))])));
  const test = server ? it.concurrent : it;

  test.for(fixtures.map((f) => [f.slug, f] as const))('%s', async ([slug, f], { expect }) => {
    const known = KNOWN[slug];
    if (known === undefined) return compare(backend, f, expect);
    const error = await compare(backend, f, expect).then(() => undefined, (e: unknown) => e);
    expect(error, `${slug} is listed in KNOWN (${known}) but passes: take it off the list`).toBeDefined();
  });
});

// ---- coverage ------------------------------------------------------------------------------------------------

type Check = (s: Schema) => boolean;

const tables = (s: Schema) => s.tables;
const columns = (s: Schema) => s.tables.flatMap((t) => t.columns);
const constraints = (s: Schema) => s.tables.flatMap((t) => t.constraints);
const anyGrant = (s: Schema) =>
  [...s.schemas, ...s.sequences, ...s.tables, ...s.views, ...s.functions].some((o) => o.grants.length > 0) ||
  columns(s).some((c) => c.grants.length > 0);

/** Each object kind of DESIGN §2, and how a normalized schema shows it. */
const KINDS: Record<string, Check> = {
  'schema': (s) => s.schemas.some((n) => n.name !== 'public'),
  'extension': (s) => s.extensions.length > 0,
  'enum': (s) => s.enums.length > 0,
  'domain': (s) => s.domains.length > 0,
  'domain check': (s) => s.domains.some((d) => d.checks.length > 0),
  'domain default': (s) => s.domains.some((d) => d.default !== null),
  'domain not null': (s) => s.domains.some((d) => d.notNull),
  'sequence': (s) => s.sequences.length > 0,
  'table': (s) => tables(s).length > 0,
  'partitioned table': (s) => tables(s).some((t) => t.partitionBy !== null),
  'partition': (s) => tables(s).some((t) => t.partitionOf !== null),
  'column array': (s) => columns(s).some((c) => c.type.endsWith('[]')),
  'column varchar(n)': (s) => columns(s).some((c) => /^character varying\(\d+\)$/.test(c.type)),
  'column numeric(p,s)': (s) => columns(s).some((c) => /^numeric\(\d+,\d+\)$/.test(c.type)),
  'column timestamptz': (s) => columns(s).some((c) => c.type.startsWith('timestamp') && c.type.endsWith('with time zone')),
  'column jsonb': (s) => columns(s).some((c) => c.type === 'jsonb'),
  'column uuid': (s) => columns(s).some((c) => c.type === 'uuid'),
  'column of an enum': (s) => columns(s).some((c) => s.enums.some((e) => c.type === e.name || c.type.endsWith(`.${e.name}`))),
  'column of a domain': (s) => columns(s).some((c) => s.domains.some((d) => c.type === d.name || c.type.endsWith(`.${d.name}`))),
  'column identity always': (s) => columns(s).some((c) => c.identity?.always === true),
  'column identity by default': (s) => columns(s).some((c) => c.identity?.always === false),
  'column stored generated': (s) => columns(s).some((c) => c.generated !== null),
  'column default': (s) => columns(s).some((c) => c.default !== null && !c.default.startsWith('nextval(')),
  'primary key': (s) => constraints(s).some((c) => c.type === 'primary'),
  'unique': (s) => constraints(s).some((c) => c.type === 'unique'),
  'unique nulls not distinct': (s) => constraints(s).some((c) => c.type === 'unique' && c.definition.includes('NULLS NOT DISTINCT')),
  'foreign key': (s) => constraints(s).some((c) => c.type === 'foreign'),
  'foreign key actions': (s) => constraints(s).some((c) => c.type === 'foreign' && /ON (DELETE|UPDATE)/.test(c.definition)),
  'deferrable': (s) => constraints(s).some((c) => c.definition.includes('DEFERRABLE')),
  'check': (s) => constraints(s).some((c) => c.type === 'check'),
  'exclusion': (s) => constraints(s).some((c) => c.type === 'exclusion'),
  'index unique': (s) => s.indexes.some((i) => i.unique),
  'index partial': (s) => s.indexes.some((i) => / WHERE /.test(i.definition)),
  'index expression': (s) => s.indexes.some((i) => /USING \w+ \(.*\(/.test(i.definition)),
  'index opclass': (s) => s.indexes.some((i) => /_ops\b/.test(i.definition)),
  'index collation': (s) => s.indexes.some((i) => / COLLATE /.test(i.definition)),
  'index include': (s) => s.indexes.some((i) => / INCLUDE /.test(i.definition)),
  'index nulls not distinct': (s) => s.indexes.some((i) => /NULLS NOT DISTINCT/.test(i.definition)),
  'index btree': (s) => s.indexes.some((i) => /USING btree/.test(i.definition)),
  'index gin': (s) => s.indexes.some((i) => /USING gin/.test(i.definition)),
  'index gist': (s) => s.indexes.some((i) => /USING gist/.test(i.definition)),
  'index brin': (s) => s.indexes.some((i) => /USING brin/.test(i.definition)),
  'index hash': (s) => s.indexes.some((i) => /USING hash/.test(i.definition)),
  'index storage parameter': (s) => s.indexes.some((i) => / WITH \(/.test(i.definition)),
  'view': (s) => s.views.some((v) => !v.materialized),
  'materialized view': (s) => s.views.some((v) => v.materialized),
  'function': (s) => s.functions.some((f) => !f.procedure),
  'trigger': (s) => s.triggers.length > 0,
  'row-level security': (s) => tables(s).some((t) => t.rowSecurity),
  'forced row-level security': (s) => tables(s).some((t) => t.forceRowSecurity),
  'policy': (s) => s.policies.length > 0,
  'restrictive policy': (s) => s.policies.some((p) => !p.permissive),
  'comment on table': (s) => tables(s).some((t) => t.comment !== null),
  'comment on column': (s) => columns(s).some((c) => c.comment !== null),
  'comment on enum': (s) => s.enums.some((t) => t.comment !== null),
  'comment on domain': (s) => s.domains.some((t) => t.comment !== null),
  'comment on index': (s) => s.indexes.some((i) => i.comment !== null),
  'comment on constraint': (s) => constraints(s).some((c) => c.comment !== null),
  'comment on function': (s) => s.functions.some((f) => f.comment !== null),
  'comment on trigger': (s) => s.triggers.some((t) => t.comment !== null),
  'grant': anyGrant,
  'grant on a sequence': (s) => s.sequences.some((q) => q.grants.length > 0),
  'column grant': (s) => columns(s).some((c) => c.grants.length > 0),
  'grant with grant option': (s) =>
    [...s.tables, ...s.sequences].some((o) => o.grants.some((g) => g.grantable)),
};

/**
 * Kinds of DESIGN §2 for which the corpus has no desired schema: no fixture can be written for them until it has.
 * Each pattern finds the kind in a case's desired SQL; the check below fails once one does.
 */
const NOT_IN_CORPUS: Record<string, RegExp> = {
  'composite type': /\bCREATE\s+TYPE\s+[\w."]+\s+AS\s*\(/i,
  'sequence declared on its own': /\bCREATE\s+SEQUENCE\b/i,
  'unlogged table': /\bUNLOGGED\b/i,
  'NOT VALID constraint': /\bNOT\s+VALID\b/i,
  'procedure': /\bCREATE\s+(OR\s+REPLACE\s+)?PROCEDURE\b/i,
  'column collation': /\bCREATE\s+TABLE\b[^;]*\bCOLLATE\b/i,
};

describe('the fixtures cover every object kind', () => {
  it('at least 40 fixtures, each of a different case', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    expect(new Set(fixtures.map((f) => f.id)).size).toBe(fixtures.length);
  });

  it.runIf(corpusAvailable)('every kind the corpus has is declared by some fixture', async () => {
    const backend = all[0]!;
    const schemas: Schema[] = [];
    for (const f of fixtures.filter((x) => KNOWN[x.slug] === undefined)) {
      let s = declared.get(`${backend.name} ${f.slug}`);
      // Run on its own (`-t cover`): read back what the tests above did not.
      s ??= (await fromDsl(backend, f.case!, await loadSchemaDir(f.dir, { cwd: projectRoot }))).schema;
      schemas.push(s);
    }
    const missing = Object.entries(KINDS)
      .filter(([, check]) => !schemas.some(check))
      .map(([kind]) => kind);
    expect(missing).toEqual([]);
  });

  it.runIf(corpusAvailable)('the kinds no fixture covers are still absent from the corpus', () => {
    const found = Object.entries(NOT_IN_CORPUS).flatMap(([kind, re]) =>
      [...corpus.values()].filter((c) => re.test(c.desired)).map((c) => `${kind}: ${c.id}`),
    );
    expect(found, 'the corpus now has these: add a fixture for each kind and drop it from NOT_IN_CORPUS').toEqual([]);
  });
});
