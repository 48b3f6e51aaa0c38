/**
 * Is this connection behind a transaction-mode pooler (PgBouncer `pool_mode = transaction`, and the like)? Such a
 * pooler lends a server session per transaction: a session advisory lock, a `SET` or a `set_config(…, false)` is
 * left on a server session the next statement may not get. Asked of the server itself, since a pooler does not
 * say what it is: session A notes its backend pid; session B opens a transaction and notes its own; A asks again.
 * Through a transaction-mode pooler B is lent A's idle server session (PgBouncer reuses the last one released),
 * or A is moved to another while B holds it: either pid shows it. Directly, or through a session-mode pooler,
 * each session keeps its own server session and all three agree in pairs as expected. A few tries, since another
 * client may take the server session in between; A's pid changing at all across them says it too. With a pool of
 * one server session, A's second question waits for B's transaction: that wait is the answer (a direct server
 * that slow is taken for a pooler, and gets the lease, which is safe there too).
 */
import type { Db } from '../db/types.js';

/** A statement that waits this long for its turn waited for a server session the other client holds. */
const QUEUED_MS = 2_000;

const pid = async (db: Db): Promise<number> => Number((await db.query<{ p: number }>('SELECT pg_backend_pid() AS p'))[0]!.p);

export const detectTransactionPooler = async (db: Db, connect: () => Promise<Db>, tries = 5): Promise<boolean> => {
  const other = await connect();
  // A's server sessions over all tries: more than one is a pooler lending them per transaction (other clients'
  // traffic, which may hide the main signal, shows up here instead).
  const seen = new Set<number>();
  try {
    for (let i = 0; i < tries; i++) {
      const a1 = await pid(db);
      seen.add(a1);
      await other.exec('BEGIN');
      let open = true;
      const commit = async () => {
        if (open) await other.exec('COMMIT').catch(() => undefined);
        open = false;
      };
      try {
        const b = await pid(other);
        // A pool of one server session: A's statement queues until B's transaction ends, which is the answer too.
        const asked = pid(db);
        const first = await Promise.race([asked, new Promise<'queued'>((resolve) => setTimeout(() => resolve('queued'), QUEUED_MS).unref())]);
        if (first === 'queued') {
          await commit();
          await asked;
          return true;
        }
        seen.add(first);
        if (b === a1 || seen.size > 1) return true;
      } finally {
        await commit();
      }
    }
    return false;
  } finally {
    await other.close().catch(() => undefined);
  }
};
