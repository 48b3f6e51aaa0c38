/**
 * Introspection: a database's catalogs → `Schema`. A constant number of catalog queries (one per kind of object,
 * `sql/*.sql`), whatever the number of tables; the same queries on PostgreSQL 13–18 and on PGlite. Every list of
 * the result is sorted by key, so the same catalog always gives the same model.
 */
import type { Db } from '../db/types.js';
import * as K from '../model/keys.js';
import type { Schema } from '../model/schema.js';
import { readColumns } from './columns.js';
import { readConstraints } from './constraints.js';
import { addDependencies, readDependencies } from './dependencies.js';
import { withoutForeignJournals } from './foreign-journals.js';
import { readIndexes, withColumns } from './indexes.js';
import { readExtensions, readSchemas } from './namespaces.js';
import { ObjectIds } from './object-ids.js';
import { sorted } from './order.js';
import { readFunctions } from './routines.js';
import { readSequences } from './sequences.js';
import { closeSession, openSession } from './session.js';
import { assembleTables, readTables } from './tables.js';
import { readPolicies, readTriggers } from './triggers.js';
import { readComposites, readDomains, readEnums } from './types.js';
import { readViews } from './views.js';

export { CatalogQueryError } from './catalog.js';
export { RowShapeError } from './decode.js';

export interface IntrospectOptions {
  /** Only these schemas (by name); all user schemas when absent. */
  readonly schemas?: readonly string[];
}

const byName = <T extends { readonly schema: string; readonly name: string }>(xs: readonly T[]) =>
  sorted(xs, (x) => [x.schema, x.name]);

/**
 * Reads the schema of the database behind `db`. Left out: system schemas, `information_schema`, keikaku's own
 * `keikaku` and `keikaku_archive`, objects that belong to an extension (the extension stands for them), and the
 * journal tables of other migration tools (`foreign-journals.ts`).
 * Names in SQL text are schema-qualified whatever the session's search_path (see `session.ts`).
 */
export async function introspect(db: Db, options: IntrospectOptions = {}): Promise<Schema> {
  const session = await openSession(db);
  try {
    return withoutForeignJournals(await read(db, session.serverVersion, options));
  } finally {
    await closeSession(db, session);
  }
}

/**
 * The catalog queries are all asked for at once: the `Db` is one session (its search_path), which runs them one
 * after another in this order (`pg` and PGlite alike), and each one's rows are decoded while the server runs the
 * next (`runQuery`).
 */
const read = async (db: Db, serverVersion: number, options: IntrospectOptions): Promise<Schema> => {
  const params = [options.schemas ? [...options.schemas] : null];
  const [
    schemaRows,
    extensionRows,
    enumRows,
    domainRows,
    compositeRows,
    sequenceRows,
    tableRows,
    columnRows,
    constraintRows,
    indexRows,
    viewRows,
    functionRows,
    triggerRows,
    policyRows,
    edges,
  ] = await Promise.all([
    readSchemas(db, params),
    readExtensions(db, params),
    readEnums(db, params),
    readDomains(db, params),
    readComposites(db, params),
    readSequences(db, params),
    readTables(db, params),
    readColumns(db, params),
    readConstraints(db, params),
    readIndexes(db, params),
    readViews(db, params),
    readFunctions(db, params),
    readTriggers(db, params),
    readPolicies(db, params),
    readDependencies(db),
  ]);

  // Register every object with the catalog rows that stand for it, and the edges pg_depend does not record:
  // each object needs its schema, each part its whole.
  const ids = new ObjectIds();
  for (const { oid, object: n } of schemaRows) ids.add('pg_namespace', oid, ids.schema(n.name));
  for (const { oid, object: e } of extensionRows) {
    const n = ids.node(K.extensionKey(e.name));
    ids.add('pg_extension', oid, n);
    ids.inSchema(n, e.schema);
  }
  for (const t of [...enumRows, ...domainRows, ...compositeRows]) {
    const n = ids.node(K.typeKey(t.object.schema, t.object.name));
    ids.add('pg_type', t.oid, n);
    ids.add('pg_type', t.arrayOid, n);
    ids.inSchema(n, t.object.schema);
  }
  for (const d of domainRows) {
    const n = ids.node(K.typeKey(d.object.schema, d.object.name));
    for (const oid of d.checkOids) ids.add('pg_constraint', oid, n);
  }
  for (const c of compositeRows) ids.add('pg_class', c.classOid, ids.node(K.typeKey(c.object.schema, c.object.name)));
  for (const { oid, object: q } of sequenceRows) {
    const n = ids.node(K.sequenceKey(q.schema, q.name));
    ids.add('pg_class', oid, n);
    ids.inSchema(n, q.schema);
  }
  for (const { oid, object: f } of functionRows) {
    const n = ids.node(K.functionKey(f.schema, f.name, f.identityArgs));
    ids.add('pg_proc', oid, n);
    ids.inSchema(n, f.schema);
  }
  const tables = assembleTables(tableRows, columnRows, constraintRows, ids);
  for (const v of viewRows) {
    const n = ids.node(K.viewKey(v.object.schema, v.object.name));
    ids.add('pg_class', v.oid, n);
    ids.add('pg_type', v.typeOid, n);
    ids.add('pg_type', v.arrayOid, n);
    ids.add('pg_rewrite', v.ruleOid, n);
    ids.inSchema(n, v.object.schema);
  }

  // Parts of a relation the model left out (one that belongs to an extension) are left out with it.
  const relation = (oid: number) => ids.nodeOf('pg_class', oid, 0);
  const indexes = indexRows.filter((i) => relation(i.tableOid) !== undefined);
  for (const { oid, tableOid, object: i } of indexes) {
    const n = ids.node(K.indexKey(i.schema, i.name));
    ids.add('pg_class', oid, n);
    ids.inSchema(n, i.schema);
    ids.edge(n, relation(tableOid));
  }
  const triggers = triggerRows.filter((t) => relation(t.tableOid) !== undefined);
  for (const { oid, tableOid, object: t } of triggers) {
    const n = ids.node(K.triggerKey(t.schema, t.table, t.name));
    ids.add('pg_trigger', oid, n);
    ids.edge(n, relation(tableOid));
  }
  const policies = policyRows.filter((p) => relation(p.tableOid) !== undefined);
  for (const { oid, tableOid, object: p } of policies) {
    const n = ids.node(K.policyKey(p.schema, p.table, p.name));
    ids.add('pg_policy', oid, n);
    ids.edge(n, relation(tableOid));
  }
  addDependencies(ids, edges);

  const attnames = new Map<number, Map<number, string>>();
  for (const c of columnRows) {
    let m = attnames.get(c.tableOid);
    if (!m) attnames.set(c.tableOid, (m = new Map()));
    m.set(c.column.position, c.column.name);
  }
  for (const v of viewRows) attnames.set(v.oid, new Map(v.positions.map((p, i) => [p, v.object.columns[i] ?? ''])));

  return sortedSchema({
    schemas: schemaRows.map((r) => r.object),
    extensions: extensionRows.map((r) => r.object),
    enums: enumRows.map((r) => r.object),
    domains: domainRows.map((r) => r.object),
    composites: compositeRows.map((r) => r.object),
    sequences: sequenceRows.map((r) => r.object),
    tables,
    indexes: indexes.map((i) => withColumns(i, attnames)),
    views: viewRows.map((r) => r.object),
    functions: functionRows.map((r) => r.object),
    triggers: triggers.map((r) => r.object),
    policies: policies.map((r) => r.object),
    dependencies: ids.dependencies(),
    serverVersion,
  });
};

/** Every list of a schema in the model's order (by key; dependencies by `from`, then `to`). */
export const sortedSchema = (s: Schema): Schema => ({
  schemas: sorted(s.schemas, (n) => [n.name]),
  extensions: sorted(s.extensions, (e) => [e.name]),
  enums: byName(s.enums),
  domains: byName(s.domains),
  composites: byName(s.composites),
  sequences: byName(s.sequences),
  tables: byName(s.tables),
  indexes: byName(s.indexes),
  views: byName(s.views),
  functions: sorted(s.functions, (f) => [f.schema, f.name, f.identityArgs]),
  triggers: sorted(s.triggers, (t) => [t.schema, t.table, t.name]),
  policies: sorted(s.policies, (p) => [p.schema, p.table, p.name]),
  dependencies: sorted(s.dependencies, (d) => [d.from, d.to]),
  serverVersion: s.serverVersion,
});
