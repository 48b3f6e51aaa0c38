/**
 * The other half of a down that archived rows (preflight.ts, `--allow-data-loss`): when the same migration's up
 * runs again, every table it creates and every column it adds or retypes is looked up in keikaku_archive under
 * the down's archive name, and what is there goes back in (rows by column name, values by primary key), in one
 * transaction after the phase's steps, before the phase is recorded applied; the archive is then dropped.
 * A restore that fails leaves the phase failed with all its steps done: the next `apply` tries the restore again.
 */
import { parseSqlScript } from '../db/split-sql.js';
import type { Db } from '../db/types.js';
import { as } from '../lint/ast.js';
import { ARCHIVE_SCHEMA, downArchiveName, restoreRowsSql, restoreValuesFromSql, type RestoreColumn } from '../render/archive.js';
import { qname } from '../render/quote.js';
import { applySql } from './journal.js';
import type { PlannedPhase } from './types.js';

interface Target {
  readonly schema: string;
  readonly table: string;
  readonly column?: string;
}

/** The tables an up file creates and the columns it adds or changes the type of, in file order. */
const targets = async (phase: PlannedPhase): Promise<Target[]> => {
  const out: Target[] = [];
  for (const p of (await parseSqlScript(phase.sql, phase.path)).statements) {
    const create = as(p.node, 'CreateStmt');
    if (create?.relation?.relname) out.push({ schema: create.relation.schemaname ?? 'public', table: create.relation.relname });
    const alter = as(p.node, 'AlterTableStmt');
    if (!alter?.relation?.relname || alter.objtype !== 'OBJECT_TABLE') continue;
    for (const c of alter.cmds ?? []) {
      const cmd = as(c, 'AlterTableCmd');
      const column = cmd?.subtype === 'AT_AddColumn' ? as(cmd.def, 'ColumnDef')?.colname : cmd?.subtype === 'AT_AlterColumnType' ? cmd.name : undefined;
      if (column) out.push({ schema: alter.relation.schemaname ?? 'public', table: alter.relation.relname, column });
    }
  }
  return out;
};

/** Restores what a down of `phase.migration` archived into what this up phase made; returns what it restored. */
export const restoreDownArchives = async (db: Db, phase: PlannedPhase): Promise<{ archive: string; into: string }[]> => {
  if (phase.direction !== 'up') return [];
  const [catalog] = await db.query<{ ok: boolean }>(`SELECT pg_catalog.to_regclass('keikaku_archive.catalog') IS NOT NULL AS ok`);
  if (!catalog?.ok) return [];
  const found = new Map<string, Target>();
  for (const t of await targets(phase)) found.set(downArchiveName(phase.migration, { schema: t.schema, name: t.table }, t.column), t);
  if (found.size === 0) return [];
  const present = new Set(
    (await db.query<{ name: string }>(await applySql('archive-present'), [JSON.stringify([...found.keys()])])).map((r) => r.name),
  );
  const statements: string[] = [];
  const restored: { archive: string; into: string }[] = [];
  // Whole tables first, in the order the file creates them (a referenced table before the tables referencing it).
  const ordered = [...found].filter(([name]) => present.has(name)).sort(([, a], [, b]) => Number(a.column !== undefined) - Number(b.column !== undefined));
  for (const [name, t] of ordered) {
    const table = { schema: t.schema, name: t.table };
    if (t.column === undefined) {
      const cols = await db.query<RestoreColumn>(await applySql('restore-columns'), [qname(t.schema, t.table), qname(ARCHIVE_SCHEMA, name)]);
      statements.push(...restoreRowsSql(name, table, cols));
      restored.push({ archive: name, into: `${t.schema}.${t.table}` });
      continue;
    }
    const [row] = await db.query<{ pk: string | null }>(await applySql('column-state'), [qname(t.schema, t.table), t.column]);
    const pk = row?.pk ? (JSON.parse(row.pk) as string[]) : null;
    // Without a primary key the archive holds whole rows that cannot be matched back: it stays for a person.
    if (pk === null) continue;
    statements.push(...restoreValuesFromSql(name, table, t.column, pk));
    restored.push({ archive: name, into: `${t.schema}.${t.table}.${t.column}` });
  }
  if (statements.length === 0) return [];
  try {
    await db.exec(['BEGIN;', ...statements, 'COMMIT;'].join('\n'));
  } catch (error) {
    await db.exec('ROLLBACK').catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`restoring ${restored.map((r) => `${r.into} from keikaku_archive."${r.archive}"`).join(', ')}: ${reason}`, { cause: error });
  }
  return restored;
};
