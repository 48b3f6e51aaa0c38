/**
 * Before a `down` undoes anything, every step of every phase it will run is read (row-loss.ts) and measured on
 * the live database (DESIGN §9 "No row is lost silently"):
 * - a step that would destroy rows (drop a table or a column that holds values, narrow a column's type) is
 *   refused, naming the tables and their row counts, unless the user allowed data loss; then the rows are first
 *   copied into keikaku_archive in the step's own transaction, and the migration's next up puts them back
 *   (restore.ts);
 * - a step that would fail on the rows it meets (an enum rebuilt without a label rows still hold) is refused
 *   whatever the flag, before the phases ahead of it run.
 * The database is measured as it is now: a table a later step drops and an earlier step of the same down
 * recreates is counted as it stands before the run (absent: no rows).
 */
import type { Db } from '../db/types.js';
import { formatTypeInfo, typeChange } from '../model/type-change.js';
import { allRowsSql, archiveDownSql, columnValuesSql, downArchiveName } from '../render/archive.js';
import { ident, literal, qname } from '../render/quote.js';
import { applySql } from './journal.js';
import { lossSites, type LossSite } from './row-loss.js';
import { readPhaseScript } from './script.js';
import type { PlannedPhase, Refusal, RowLoss } from './types.js';
import type { SqlStatement } from '../db/split-sql.js';

interface ColumnState {
  readonly exists: boolean;
  readonly type: string | null;
  readonly pk: readonly string[] | null;
}

const columnState = async (db: Db, schema: string, table: string, column: string | null): Promise<ColumnState> => {
  const [row] = await db.query<{ table_exists: boolean; column_type: string | null; pk: string | null }>(await applySql('column-state'), [
    qname(schema, table),
    column,
  ]);
  return { exists: row?.table_exists === true, type: row?.column_type ?? null, pk: row?.pk ? (JSON.parse(row.pk) as string[]) : null };
};

const count = async (db: Db, sql: string): Promise<number> => Number((await db.query<{ n: string }>(sql))[0]?.n ?? 0);

/** What the site would destroy now: the rows it affects, and what to read into an archive first. */
interface Measured {
  readonly rows: number;
  readonly what: string;
  /** The query whose rows the archive keeps (null: nothing can be archived, e.g. an enum rebuild). */
  readonly select: string | null;
  readonly column?: string;
}

const measure = async (db: Db, site: LossSite): Promise<Measured | null> => {
  const t = { schema: site.schema, name: site.table };
  const table = qname(site.schema, site.table);
  const label = `${site.schema}.${site.table}`;
  switch (site.kind) {
    case 'drop_table': {
      const s = await columnState(db, site.schema, site.table, null);
      if (!s.exists) return null;
      return { rows: await count(db, `SELECT count(*)::text AS n FROM ${table}`), what: `drops table ${label}`, select: allRowsSql(t) };
    }
    case 'drop_column':
    case 'alter_type': {
      const s = await columnState(db, site.schema, site.table, site.column);
      if (s.type === null) return null;
      let what = `drops column ${label}.${site.column}`;
      if (site.kind === 'alter_type') {
        if (!typeChange(formatTypeInfo(s.type), site.to, true).narrows) return null;
        what = `narrows ${label}.${site.column} from ${s.type} (values may fail to convert or lose digits)`;
      }
      const rows = await count(db, `SELECT count(*)::text AS n FROM ${table} WHERE ${ident(site.column)} IS NOT NULL`);
      return { rows, what, select: columnValuesSql(t, site.column, s.pk), column: site.column };
    }
    case 'enum_rebuild': {
      const s = await columnState(db, site.schema, site.table, site.column);
      if (s.type === null) return null;
      const labels = `ARRAY[${site.labels.map(literal).join(', ')}]::text[]`;
      const lost = s.type.endsWith('[]')
        ? `NOT (${ident(site.column)}::text[] <@ ${labels})`
        : `${ident(site.column)}::text <> ALL (${labels})`;
      const rows = await count(db, `SELECT count(*)::text AS n FROM ${table} WHERE ${ident(site.column)} IS NOT NULL AND ${lost}`);
      return {
        rows,
        what: `rebuilds enum ${site.type} without labels that rows of ${label}.${site.column} hold (the conversion would fail part-way through the down)`,
        select: null,
      };
    }
  }
};

/** A row-destroying statement of a script that is about to run, measured on the live database now. */
export interface MeasuredLoss {
  readonly kind: LossSite['kind'];
  /** `schema.table` or `schema.table.column`. */
  readonly object: string;
  readonly rows: number;
  readonly what: string;
}

/**
 * What the statements would destroy if they ran now (`push` judges its script so): every drop, narrowing and enum
 * rebuild read from Postgres's own parse tree, counted on `db`; sites that would destroy nothing are left out.
 */
export const measureLosses = async (db: Db, statements: readonly SqlStatement[], file: string): Promise<MeasuredLoss[]> => {
  const out: MeasuredLoss[] = [];
  for (const site of await lossSites(statements, file)) {
    const m = await measure(db, site);
    if (!m || m.rows === 0) continue;
    out.push({ kind: site.kind, object: `${site.schema}.${site.table}${m.column === undefined ? '' : `.${m.column}`}`, rows: m.rows, what: m.what });
  }
  return out;
};

export interface DownCheck {
  /** Every step of the run that would destroy rows, with live counts (also those the flag allows). */
  readonly losses: readonly RowLoss[];
  readonly refusals: readonly Refusal[];
  /** The phases, each step that loses rows preceded by its archive (only when data loss is allowed). */
  readonly phases: readonly PlannedPhase[];
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * Measures what the down `phases` would destroy. `allowDataLoss`: the user passed `--allow-data-loss`; the rows
 * are archived first instead of refused.
 */
export const checkDown = async (db: Db, phases: readonly PlannedPhase[], allowDataLoss: boolean): Promise<DownCheck> => {
  const losses: RowLoss[] = [];
  const out: PlannedPhase[] = [];
  for (const phase of phases) {
    const script = await readPhaseScript(phase.sql, phase.path);
    const before = new Map<number, string[]>();
    const archived = new Set<string>();
    for (const step of script.steps) {
      if (step.index < phase.resumeFrom) continue;
      const statements = step.kind === 'transaction' ? step.statements : [step.statement];
      for (const site of await lossSites(statements, phase.path)) {
        const m = await measure(db, site);
        if (!m || m.rows === 0) continue;
        const archive = m.select === null ? undefined : downArchiveName(phase.migration, { schema: site.schema, name: site.table }, m.column);
        const object = `${site.schema}.${site.table}${m.column === undefined ? '' : `.${m.column}`}`;
        losses.push({ migration: phase.migration, phase: phase.phase, file: phase.file, step: step.index + 1, kind: site.kind, object, rows: m.rows, what: m.what, ...(archive ? { archive } : {}) });
        if (allowDataLoss && archive && m.select !== null && !archived.has(archive)) {
          archived.add(archive);
          before.set(step.index, [...(before.get(step.index) ?? []), ...archiveDownSql(phase.migration, archive, object, m.select)]);
        }
      }
    }
    out.push(before.size ? { ...phase, before } : phase);
  }
  const refusals: Refusal[] = [];
  const stuck = losses.filter((l) => l.kind === 'enum_rebuild');
  if (stuck.length)
    refusals.push({
      code: 'ROWS_BLOCK_DOWN',
      message:
        `a step of this down would fail on rows it meets, after the phases before it were undone; nothing was run:\n` +
        stuck.map((l) => `    ${l.migration}/${l.file} step ${l.step}: ${l.what}: ${plural(l.rows, 'row')}`).join('\n') +
        `\n  change or delete those rows first (they hold values the older schema does not have)`,
    });
  const lost = losses.filter((l) => l.kind !== 'enum_rebuild');
  if (lost.length && !allowDataLoss)
    refusals.push({
      code: 'DATA_LOSS',
      message:
        `this down would destroy rows; nothing was run:\n` +
        lost.map((l) => `    ${l.migration}/${l.file} step ${l.step}: ${l.what}: ${plural(l.rows, l.kind === 'drop_table' ? 'row' : 'value')}`).join('\n') +
        `\n  pass --allow-data-loss to archive them in keikaku_archive first (applying the migration again restores them)`,
    });
  return { losses, refusals, phases: out };
};
