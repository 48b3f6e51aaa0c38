/**
 * Bookkeeping tables of other migration tools. A database adopted from one of them keeps its journal (for a way
 * back, and so the old tool sees its history), but the table is the tool's, not the schema's: introspection leaves
 * it out, with the sequences it owns, and Drizzle's `drizzle` schema when that table was all it held. Every
 * command that reads a live database (`plan`/`generate --from-db`, `check`, `pull`, `diff`) sees the same.
 */
import * as K from '../model/keys.js';
import type { Schema } from '../model/schema.js';

export type ForeignTool = 'alembic' | 'prisma' | 'drizzle' | 'node-pg-migrate';

/** The journal table of each tool (in any schema: each tool lets its users choose one). */
export const FOREIGN_JOURNALS: Readonly<Record<string, ForeignTool>> = {
  alembic_version: 'alembic',
  _prisma_migrations: 'prisma',
  __drizzle_migrations: 'drizzle',
  pgmigrations: 'node-pg-migrate',
};

/** Drizzle's default schema for its journal. */
const DRIZZLE_SCHEMA = 'drizzle';

export const isForeignJournal = (name: string): boolean => Object.hasOwn(FOREIGN_JOURNALS, name);

/** The schema without other tools' journal tables (and what only they used). */
export const withoutForeignJournals = (s: Schema): Schema => {
  const gone = s.tables.filter((t) => isForeignJournal(t.name));
  if (gone.length === 0) return s;
  const isGone = (schema: string, table: string) => gone.some((t) => t.schema === schema && t.name === table);
  const tables = s.tables.filter((t) => !isGone(t.schema, t.name));
  const sequences = s.sequences.filter((q) => !(q.ownedBy && isGone(q.ownedBy.schema, q.ownedBy.table)));
  const keys = new Set<string>();
  for (const t of gone) keys.add(K.tableKey(t.schema, t.name));
  for (const q of s.sequences) if (!sequences.includes(q)) keys.add(K.sequenceKey(q.schema, q.name));
  const indexes = s.indexes.filter((i) => !isGone(i.schema, i.table));
  for (const i of s.indexes) if (!indexes.includes(i)) keys.add(K.indexKey(i.schema, i.name));
  const rest = { ...s, tables, sequences, indexes };
  const drizzleEmpty =
    gone.some((t) => t.schema === DRIZZLE_SCHEMA) &&
    ![...rest.tables, ...rest.sequences, ...rest.views, ...rest.enums, ...rest.domains, ...rest.composites, ...rest.functions].some(
      (o) => o.schema === DRIZZLE_SCHEMA,
    );
  if (drizzleEmpty) keys.add(K.schemaKey(DRIZZLE_SCHEMA));
  const touches = (k: string) => {
    if (keys.has(k)) return true;
    const { kind, parts } = K.parseKey(k);
    return (kind === 'column' || kind === 'constraint' || kind === 'not_null') && isGone(parts[0]!, parts[1]!);
  };
  return {
    ...rest,
    schemas: drizzleEmpty ? s.schemas.filter((n) => n.name !== DRIZZLE_SCHEMA) : s.schemas,
    triggers: s.triggers.filter((t) => !isGone(t.schema, t.table)),
    policies: s.policies.filter((p) => !isGone(p.schema, p.table)),
    dependencies: s.dependencies.filter((d) => !touches(d.from) && !touches(d.to)),
  };
};
