/**
 * What a declaration stands for in a `Schema`, as comparable text: the object with the parts declared with it
 * (a table's indexes, triggers and policies). Two schemas read by the same introspector from the same server
 * give equal fingerprints exactly when the declaration would create the same thing, so a declaration written by
 * hand whose fingerprint matches the database's is left as it is.
 */
import * as K from '../model/keys.js';
import { notNullLabel } from '../model/not-null-name.js';
import type { Column, Schema } from '../model/schema.js';
import { tableParts } from './context.js';

const keyed = new WeakMap<Schema, Map<string, string>>();

/** Fingerprints of every declarable object of `s`, by the key `decls.ts` gives its declaration. */
export const fingerprints = (s: Schema): ReadonlyMap<string, string> => {
  let m = keyed.get(s);
  if (m) return m;
  m = new Map<string, string>();
  const put = (k: string, v: unknown) => m!.set(k, JSON.stringify(v));
  for (const n of s.schemas) put(K.schemaKey(n.name), n);
  for (const e of s.extensions) put(K.extensionKey(e.name), { name: e.name, schema: e.schema });
  for (const t of [...s.enums, ...s.domains, ...s.composites]) put(K.typeKey(t.schema, t.name), t);
  for (const q of s.sequences) put(K.sequenceKey(q.schema, q.name), q);
  // Column order is not part of a table for the differ (a column added later is last in the database, wherever
  // the file declares it), so neither is it here.
  for (const t of s.tables) {
    // A NOT NULL constraint name counts only where the user chose it (`notNullLabel`), as in the differ: PostgreSQL
    // 18 keeps the name it gave a column that was renamed since, which a fresh CREATE TABLE would not give.
    const columns = [...t.columns].map(({ position: _, ...c }) => ({ ...c, notNullName: notNullLabel(t.name, c as Column) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    put(K.tableKey(t.schema, t.name), { t: { ...t, columns }, ...tableParts(s, t.schema, t.name) });
  }
  for (const v of s.views) put(K.viewKey(v.schema, v.name), v);
  for (const f of s.functions) put(K.functionKey(f.schema, f.name, f.identityArgs), f);
  keyed.set(s, m);
  return m;
};

