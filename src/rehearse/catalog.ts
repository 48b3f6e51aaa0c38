/** What a rehearsal reads of a database's tables: their shape (for the workload), storage (rewrites), rows and data. */
import type { Db } from '../db/types.js';
import { ident, qname } from '../render/quote.js';

export interface TableShape {
  readonly schema: string;
  readonly name: string;
  /** `schema.name`, the key of every map here. */
  readonly key: string;
  /** Columns that can be read and written (not generated, not dropped), in order. */
  readonly columns: readonly string[];
  /** Primary key columns; empty when there is none. */
  readonly primaryKey: readonly string[];
  readonly relfilenode: number;
}

const USER_TABLES = `c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'keikaku', 'keikaku_archive')
  AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')`;

/**
 * Two select-list columns for the table `c` (a pg_class row): `columns`, its stored columns in order, and `key`
 * (named by the caller), its primary key's columns in key order.
 */
export const columnsAndKey = (key: string): string =>
  `(SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') AS columns,
            (SELECT array_agg(a.attname::text ORDER BY k.i) FROM pg_constraint p
               CROSS JOIN LATERAL unnest(p.conkey) WITH ORDINALITY AS k(attnum, i)
               JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
              WHERE p.conrelid = c.oid AND p.contype = 'p') AS ${key}`;

/** Every user table (keikaku's own schemas left out). */
export const readShapes = async (db: Db): Promise<Map<string, TableShape>> => {
  const rows = await db.query<{ schema: string; name: string; columns: string[] | null; pk: string[] | null; relfilenode: number }>(
    `SELECT n.nspname AS schema, c.relname AS name, c.relfilenode::bigint AS relfilenode,
            ${columnsAndKey('pk')}
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE ${USER_TABLES}
      ORDER BY 1, 2`,
  );
  return new Map(
    rows.map((r) => {
      const key = `${r.schema}.${r.name}`;
      return [key, { schema: r.schema, name: r.name, key, columns: r.columns ?? [], primaryKey: r.pk ?? [], relfilenode: Number(r.relfilenode) }];
    }),
  );
};

/** `relfilenode` of every user table, by `schema.name`: a new one after a step means the step rewrote the table. */
export const readRelfilenodes = async (db: Db): Promise<Map<string, number>> =>
  new Map(
    (
      await db.query<{ key: string; node: string }>(
        `SELECT n.nspname || '.' || c.relname AS key, c.relfilenode::text AS node FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_TABLES}`,
      )
    ).map((r) => [r.key, Number(r.node)]),
  );

/** The table's estimated rows (`reltuples`), counted when it was never analyzed. */
export const liveRows = async (db: Db, tables: readonly Pick<TableShape, 'schema' | 'name' | 'key'>[]): Promise<Map<string, number>> => {
  const out = new Map<string, number>();
  for (const t of tables) {
    const [est] = await db.query<{ n: number | null }>(`SELECT reltuples::float8 AS n FROM pg_class WHERE oid = to_regclass($1)`, [qname(t.schema, t.name)]);
    const n = est?.n === null || est?.n === undefined ? -1 : Number(est.n);
    out.set(t.key, n >= 0 ? Math.round(n) : Number((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${qname(t.schema, t.name)}`))[0]!.n));
  }
  return out;
};

/** An order-independent hash of SQL text values: md5 of each, summed as 60-bit numbers. */
const hashSum = (expr: string) => `coalesce(sum(('x' || left(md5(${expr}), 15))::bit(60)::bigint::numeric), 0)::text`;

export interface RowsDigest {
  readonly rows: number;
  /** Over whole rows: the same rows in any physical order hash the same. */
  readonly hash: string;
  /** The same per column, to name the columns that differ. */
  readonly columns: ReadonlyMap<string, string>;
}

/** Row count and hashes of a table's rows over `columns` (those the two compared states share), in one scan. */
export const rowsDigest = async (db: Db, t: Pick<TableShape, 'schema' | 'name'>, columns: readonly string[]): Promise<RowsDigest> => {
  const row = columns.length ? `ROW(${columns.map((c) => `t.${ident(c)}`).join(', ')})::text` : `''`;
  const perColumn = columns.map((c, i) => `, ${hashSum(`coalesce(t.${ident(c)}::text, '<null>')`)} AS c${i}`).join('');
  const [r] = await db.query<Record<string, string>>(`SELECT count(*)::text AS rows, ${hashSum(row)} AS hash${perColumn} FROM ${qname(t.schema, t.name)} t`);
  return { rows: Number(r!.rows), hash: r!.hash!, columns: new Map(columns.map((c, i) => [c, r![`c${i}`]!])) };
};

/** The columns whose values differ between two digests of the same table. */
export const differingColumns = (a: RowsDigest, b: RowsDigest): string[] => [...a.columns].filter(([c, h]) => b.columns.has(c) && b.columns.get(c) !== h).map(([c]) => c);
