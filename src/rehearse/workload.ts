/**
 * The application stand-in of a rehearsal: a client that keeps reading and writing the tables a migration touches,
 * through its own session, as long as it is told to, timing every statement. Two run side by side: the
 * old-shaped client uses the columns as they were before the migration, the new-shaped one the columns after it;
 * each runs only in the phases that promise to tolerate it (DESIGN §6, see `clientsOf`).
 * Per table and turn: one read of a row (its columns in the client's shape) and one write that sets a column of the
 * client's shape to its own value (the row's data stays the same, so the round trip's comparison holds), each row
 * picked among the first hundred by primary key. A table without a primary key is only read.
 */
import type { Db } from '../db/types.js';
import { ident, qname } from '../render/quote.js';
import type { TableShape } from './catalog.js';

/** The columns of a table a client uses. */
export interface ClientTable {
  readonly table: Pick<TableShape, 'schema' | 'name' | 'key' | 'primaryKey'>;
  readonly columns: readonly string[];
}

/** What the workload saw over a span of time (one step). */
export interface WorkloadFigures {
  statements: number;
  failed: number;
  /** The longest a statement took, in ms: a statement that waits behind a migration's lock waits this long. */
  maxMs: number;
  /** The first few distinct errors, for the report. */
  readonly errors: string[];
}

export const emptyFigures = (): WorkloadFigures => ({ statements: 0, failed: 0, maxMs: 0, errors: [] });

export interface Client {
  /** Uses these tables from now on (none: idle). */
  use(tables: readonly ClientTable[]): void;
  /** Ends the loop after the statement under way; closes nothing. */
  stop(): Promise<void>;
}

/** How long a client rests between two statements, so two clients do not starve the migration of CPU. */
const PAUSE_MS = 5;

const statementsFor = (t: ClientTable, turn: number): string[] => {
  const cols = t.columns.length ? t.columns.map(ident).join(', ') : '1';
  const name = qname(t.table.schema, t.table.name);
  const pk = t.table.primaryKey;
  const offset = turn % 100;
  if (pk.length === 0) return [`SELECT ${cols} FROM ${name} LIMIT 1 OFFSET ${offset}`];
  const key = `(${pk.map(ident).join(', ')})`;
  const pick = `${key} = (SELECT ${pk.map(ident).join(', ')} FROM ${name} ORDER BY ${pk.map(ident).join(', ')} LIMIT 1 OFFSET ${offset})`;
  const out = [`SELECT ${cols} FROM ${name} WHERE ${pick}`];
  const writable = t.columns.find((c) => !pk.includes(c));
  if (writable) out.push(`UPDATE ${name} SET ${ident(writable)} = ${ident(writable)} WHERE ${pick}`);
  return out;
};

/**
 * Starts a client on `db` (a session of its own). Every statement's time and failure goes to `figures()`, the
 * span the caller is measuring now; a table it updated goes into `wrote` (its triggers may have changed the rows).
 */
export const startClient = (db: Db, figures: () => WorkloadFigures, wrote: Set<string>): Client => {
  let tables: readonly ClientTable[] = [];
  let running = true;
  let turn = 0;
  const loop = (async () => {
    // A stand-in for an application: it waits for locks as long as a statement may take, not for ever.
    await db.exec(`SET lock_timeout = 0; SET statement_timeout = '120s'`).catch(() => undefined);
    while (running) {
      const now = tables;
      if (now.length === 0) {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      turn++;
      for (const t of now)
        for (const sql of statementsFor(t, turn)) {
          if (!running) break;
          const t0 = performance.now();
          let error: unknown;
          try {
            await db.query(sql);
          } catch (e) {
            error = e;
          }
          const f = figures();
          const ms = performance.now() - t0;
          f.statements++;
          if (ms > f.maxMs) f.maxMs = ms;
          if (error === undefined && sql.startsWith('UPDATE')) wrote.add(t.table.key);
          if (error !== undefined) {
            f.failed++;
            const text = `${t.table.key}: ${error instanceof Error ? error.message : String(error)}`;
            if (f.errors.length < 3 && !f.errors.includes(text)) f.errors.push(text);
          }
        }
      await new Promise((r) => setTimeout(r, PAUSE_MS));
    }
  })();
  return {
    use(next) {
      tables = next;
    },
    async stop() {
      running = false;
      await loop;
    },
  };
};
