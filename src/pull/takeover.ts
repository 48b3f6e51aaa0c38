/**
 * Which migration tool managed a database before keikaku, and how far it got: Alembic (`alembic_version`: the
 * revision, one row per head), Prisma (`_prisma_migrations`: finished, not rolled back), Drizzle
 * (`__drizzle_migrations`: hash and time of the last) and node-pg-migrate (`pgmigrations`: the last name run).
 * Introspection leaves these tables out (`src/introspect/foreign-journals.ts`); this only reports them.
 */
import { readFile } from 'node:fs/promises';
import type { Db } from '../db/types.js';
import { FOREIGN_JOURNALS, type ForeignTool } from '../introspect/foreign-journals.js';
import { qname } from '../render/quote.js';

export interface ForeignJournal {
  readonly tool: ForeignTool;
  readonly schema: string;
  readonly table: string;
  /** Alembic: the revision(s) at head; the others: the last migration applied. Null when the journal is empty. */
  readonly revision: string | null;
  /** Migrations the journal records as applied (Alembic keeps only the head: 1 per head). */
  readonly applied: number;
  /** When the last one was applied (ISO), when the tool records it. */
  readonly appliedAt: string | null;
  /** Set when the table could not be read as that tool writes it. */
  readonly problem?: string;
}

const iso = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  const n = Number(v);
  if (/^\d+$/.test(String(v)) && Number.isFinite(n)) return new Date(n).toISOString(); // Drizzle: epoch milliseconds
  const d = new Date(String(v));
  return Number.isNaN(d.getTime()) ? String(v) : d.toISOString();
};

/** The query that reads each tool's journal: its last entry first. */
const JOURNAL_QUERY: Readonly<Record<ForeignTool, (table: string) => string>> = {
  alembic: (t) => `SELECT version_num AS revision, NULL AS applied_at FROM ${t} ORDER BY version_num`,
  prisma: (t) =>
    `SELECT migration_name AS revision, finished_at AS applied_at FROM ${t} WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY finished_at DESC, migration_name DESC`,
  drizzle: (t) => `SELECT hash AS revision, created_at AS applied_at FROM ${t} ORDER BY created_at DESC, id DESC`,
  'node-pg-migrate': (t) => `SELECT name AS revision, run_on AS applied_at FROM ${t} ORDER BY run_on DESC, id DESC`,
};

export const detectForeignJournals = async (db: Db): Promise<ForeignJournal[]> => {
  const sql = await readFile(new URL('../../src/pull/sql/foreign-journals.sql', import.meta.url), 'utf8');
  const tables = await db.query<{ schema: string; name: string }>(sql, [Object.keys(FOREIGN_JOURNALS)]);
  const out: ForeignJournal[] = [];
  for (const { schema, name } of tables) {
    const tool = FOREIGN_JOURNALS[name]!;
    try {
      const rows = await db.query<{ revision: unknown; applied_at: unknown }>(JOURNAL_QUERY[tool](qname(schema, name)));
      const revision = rows.length === 0 ? null : tool === 'alembic' ? rows.map((r) => String(r.revision)).join(', ') : String(rows[0]!.revision);
      out.push({ tool, schema, table: name, revision, applied: rows.length, appliedAt: iso(rows[0]?.applied_at) });
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      out.push({ tool, schema, table: name, revision: null, applied: 0, appliedAt: null, problem: `not readable as ${tool}'s journal: ${message}` });
    }
  }
  return out;
};

const TOOL_NAMES: Readonly<Record<ForeignTool, string>> = { alembic: 'Alembic', prisma: 'Prisma', drizzle: 'Drizzle', 'node-pg-migrate': 'node-pg-migrate' };

/** One line for a person: `Alembic managed this database (public.alembic_version): revision 3f2a…`. */
export const describeJournal = (j: ForeignJournal): string => {
  const where = `${j.schema}.${j.table}`;
  if (j.problem) return `${TOOL_NAMES[j.tool]}'s journal table ${where} found, ${j.problem}`;
  if (j.revision === null) return `${TOOL_NAMES[j.tool]} journal ${where} found, with no migration applied`;
  if (j.tool === 'alembic') return `Alembic managed this database (${where}): at revision ${j.revision}`;
  return `${TOOL_NAMES[j.tool]} managed this database (${where}): ${j.applied} migration(s) applied, the last ${j.revision}${j.appliedAt ? ` at ${j.appliedAt}` : ''}`;
};
