/** Table sizes of a live database, for hazards (`plan`/`generate --from-db`). */
import { readFile } from 'node:fs/promises';
import { connectPg } from '../db/pg.js';
import type { TableSize } from '../model/hazard.js';
import * as K from '../model/keys.js';

interface Row {
  readonly schema: string;
  readonly name: string;
  readonly rows: number;
  readonly bytes: number;
}

export const readTableSizes = async (url: string): Promise<Map<string, TableSize>> => {
  const db = await connectPg(url);
  try {
    const rows = await db.query<Row>(await readFile(new URL('../../src/introspect/sql/table-sizes.sql', import.meta.url), 'utf8'));
    return new Map(rows.map((r) => [K.tableKey(r.schema, r.name), { table: `${r.schema}.${r.name}`, rows: Number(r.rows), bytes: Number(r.bytes) }]));
  } finally {
    await db.close();
  }
};
