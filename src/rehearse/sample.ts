/**
 * `rehearse --sample ROWS`: at most ROWS rows of each table (keikaku's journal whole) copied into a database that has the source's tables but
 * not yet its constraints, indexes and triggers (pg_restore's pre-data section), keeping foreign keys satisfied:
 * - tables are read parents first, in one REPEATABLE READ READ ONLY transaction of the source (one snapshot, and
 *   nothing written), each in a fixed order (primary key, else ctid), so a table's sample is a query that its
 *   children can repeat as a subquery: a child's rows are those whose key is NULL or among the parent's sample;
 * - what that cannot decide (a table that references itself, a cycle) is settled on the copy afterwards: rows whose
 *   parent row was not copied are deleted, until a pass deletes nothing.
 * Rows travel as JSON (`row_to_json` → `json_populate_recordset`), in pages; generated columns are left to the copy.
 */
import type { Db } from '../db/types.js';
import { ident, qname } from '../render/quote.js';
import { columnsAndKey } from './catalog.js';

interface SampleTable {
  readonly schema: string;
  readonly name: string;
  readonly oid: number;
  /** Columns that can be written (not generated), in order. */
  readonly columns: readonly string[];
  readonly key: readonly string[];
}

interface ForeignKey {
  readonly child: number;
  readonly parent: number;
  readonly columns: readonly string[];
  readonly refColumns: readonly string[];
  readonly validated: boolean;
}

const PAGE = 5_000;

/** Schemas never copied: the catalogs and what PostgreSQL keeps per session. */
const SYSTEM = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`;

const readTables = async (source: Db): Promise<SampleTable[]> => {
  const rows = await source.query<{ schema: string; name: string; oid: number; columns: string[] | null; key: string[] | null }>(
    `SELECT n.nspname AS schema, c.relname AS name, c.oid::int AS oid,
            ${columnsAndKey('key')}
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND ${SYSTEM}
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
      ORDER BY 1, 2`,
  );
  return rows.map((r) => ({ schema: r.schema, name: r.name, oid: Number(r.oid), columns: r.columns ?? [], key: r.key ?? [] }));
};

const readForeignKeys = async (source: Db): Promise<ForeignKey[]> =>
  (
    await source.query<{ child: number; parent: number; columns: string[]; ref: string[]; validated: boolean }>(
      `SELECT f.conrelid::int AS child, f.confrelid::int AS parent, f.convalidated AS validated,
              (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(f.conkey) WITH ORDINALITY AS k(attnum, i)
                 JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.attnum) AS columns,
              (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(f.confkey) WITH ORDINALITY AS k(attnum, i)
                 JOIN pg_attribute a ON a.attrelid = f.confrelid AND a.attnum = k.attnum) AS ref
         FROM pg_constraint f WHERE f.contype = 'f'
        ORDER BY f.conrelid, f.conname`,
    )
  ).map((r) => ({ child: Number(r.child), parent: Number(r.parent), columns: r.columns, refColumns: r.ref, validated: r.validated }));

/** Parents before children; a cycle is broken where it closes (the deletion pass settles it). */
export const parentsFirst = <T extends { readonly oid: number }>(tables: readonly T[], fks: readonly Pick<ForeignKey, 'child' | 'parent'>[]): T[] => {
  const byOid = new Map(tables.map((t) => [t.oid, t]));
  const out: T[] = [];
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (t: T) => {
    if (state.has(t.oid)) return;
    state.set(t.oid, 'visiting');
    for (const fk of fks) if (fk.child === t.oid && fk.parent !== t.oid) {
      const p = byOid.get(fk.parent);
      if (p && state.get(p.oid) !== 'visiting') visit(p);
    }
    state.set(t.oid, 'done');
    out.push(t);
  };
  for (const t of tables) visit(t);
  return out;
};

/** What was copied: rows per table (`schema.table`), and the rows the deletion pass removed. */
export interface Sampled {
  readonly rows: ReadonlyMap<string, number>;
  readonly deleted: number;
}

/**
 * Copies at most `limit` rows of every table of `source` into `target`, whose tables exist without constraints.
 * `source` is only read, in a read-only transaction.
 */
export const copySample = async (source: Db, target: Db, limit: number): Promise<Sampled> => {
  const tables = await readTables(source);
  const fks = (await readForeignKeys(source)).filter((f) => tables.some((t) => t.oid === f.child) && tables.some((t) => t.oid === f.parent));
  const ordered = parentsFirst(tables, fks);
  const queries = new Map<number, string>();
  const rank = new Map(ordered.map((t, i) => [t.oid, i]));
  const sampleQuery = (t: SampleTable): string => {
    const mine = fks.filter((f) => f.child === t.oid && f.parent !== t.oid && rank.get(f.parent)! < rank.get(t.oid)!);
    const where = mine.map((f) => {
      const nulls = f.columns.map((c) => `t.${ident(c)} IS NULL`).join(' OR ');
      const tuple = (cols: readonly string[], alias: string) => `(${cols.map((c) => `${alias}.${ident(c)}`).join(', ')})`;
      return `(${nulls} OR ${tuple(f.columns, 't')} IN (SELECT ${f.refColumns.map((c) => `p.${ident(c)}`).join(', ')} FROM (${queries.get(f.parent)}) p))`;
    });
    const order = t.key.length ? t.key.map((c) => `t.${ident(c)}`).join(', ') : 't.ctid';
    return `SELECT t.* FROM ${qname(t.schema, t.name)} t${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order}${t.schema === 'keikaku' ? '' : ` LIMIT ${limit}`}`;
  };
  const rows = new Map<string, number>();
  await source.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    for (const t of ordered) {
      const q = sampleQuery(t);
      queries.set(t.oid, q);
      if (t.columns.length === 0) continue;
      const cols = t.columns.map(ident).join(', ');
      let copied = 0;
      // keikaku's journal is copied whole: it decides what is pending on the copy.
      const cap = t.schema === 'keikaku' ? Number.POSITIVE_INFINITY : limit;
      for (let offset = 0; offset < cap; offset += PAGE) {
        const [page] = await source.query<{ rows: string | null; n: number }>(
          `SELECT json_agg(row_to_json(x))::text AS rows, count(*)::int AS n FROM (SELECT * FROM (${q}) s LIMIT ${Math.min(PAGE, cap - offset)} OFFSET ${offset}) x`,
        );
        const n = Number(page?.n ?? 0);
        if (n === 0 || !page?.rows) break;
        await target.query(
          `INSERT INTO ${qname(t.schema, t.name)} (${cols}) OVERRIDING SYSTEM VALUE SELECT ${cols} FROM json_populate_recordset(NULL::${qname(t.schema, t.name)}, $1::json)`,
          [page.rows],
        );
        copied += n;
        if (n < PAGE) break;
      }
      rows.set(`${t.schema}.${t.name}`, copied);
    }
  } finally {
    await source.exec('COMMIT').catch(() => undefined);
  }
  // Rows whose parent row was not copied (self-references, cycles): deleted until nothing changes.
  const byOid = new Map(tables.map((t) => [t.oid, t]));
  let deleted = 0;
  for (let changed = true; changed; ) {
    changed = false;
    for (const f of fks.filter((x) => x.validated)) {
      const c = byOid.get(f.child)!;
      const p = byOid.get(f.parent)!;
      const notNull = f.columns.map((col) => `c.${ident(col)} IS NOT NULL`).join(' AND ');
      const match = f.columns.map((col, i) => `p.${ident(f.refColumns[i]!)} = c.${ident(col)}`).join(' AND ');
      const gone = await target.query<{ n: number }>(
        `WITH d AS (DELETE FROM ${qname(c.schema, c.name)} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${qname(p.schema, p.name)} p WHERE ${match}) RETURNING 1)
         SELECT count(*)::int AS n FROM d`,
      );
      const n = Number(gone[0]?.n ?? 0);
      if (n > 0) {
        changed = true;
        deleted += n;
        const k = `${c.schema}.${c.name}`;
        rows.set(k, (rows.get(k) ?? 0) - n);
      }
    }
  }
  return { rows, deleted };
};

/** Every sequence of the copy set to the source's value (pg_restore's data section, which a sample leaves out). */
export const copySequenceValues = async (source: Db, target: Db): Promise<void> => {
  const seqs = await source.query<{ schema: string; name: string; last: string | null; called: boolean }>(
    `SELECT schemaname AS schema, sequencename AS name, last_value::text AS last, last_value IS NOT NULL AS called FROM pg_sequences`,
  );
  for (const s of seqs) {
    if (s.last === null) continue;
    await target.query(`SELECT setval($1::regclass, $2::bigint, true)`, [qname(s.schema, s.name), s.last]);
  }
};
