/**
 * Is this connection behind a transaction-mode pooler (PgBouncer `pool_mode = transaction`, and the like)? Such a
 * pooler lends a server session per transaction: a session advisory lock, a `SET` or a `set_config(…, false)` is
 * left on a server session the next statement may not get. Asked of the server itself, since a pooler does not
 * say what it is: session A notes its backend pid; session B opens a transaction and notes its own; A asks again.
 * Through a transaction-mode pooler B is lent A's idle server session (PgBouncer reuses the last one released),
 * or A is moved to another while B holds it: either pid shows it. Directly, or through a session-mode pooler,
 * each session keeps its own server session and all three agree in pairs as expected. A few tries, since another
 * client may take the server session in between (a miss then says "not detected", never a false "pooled").
 */
import type { Db } from '../db/types.js';

const pid = async (db: Db): Promise<number> => Number((await db.query<{ p: number }>('SELECT pg_backend_pid() AS p'))[0]!.p);

export const detectTransactionPooler = async (db: Db, connect: () => Promise<Db>, tries = 3): Promise<boolean> => {
  const other = await connect();
  try {
    for (let i = 0; i < tries; i++) {
      const a1 = await pid(db);
      await other.exec('BEGIN');
      try {
        const b = await pid(other);
        const a2 = await pid(db);
        if (b === a1 || a2 !== a1) return true;
      } finally {
        await other.exec('COMMIT').catch(() => undefined);
      }
    }
    return false;
  } finally {
    await other.close().catch(() => undefined);
  }
};
