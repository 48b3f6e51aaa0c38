import { onCleanup } from './cleanup.js';
import { pgErrorFields, UserError } from './errors.js';
import { connectPg, type ConnectPgOptions } from './pg.js';
import { scratchName } from './scratch-name.js';
import { dropStaleScratchDatabases } from './scratch-sweep.js';
import type { Db } from './types.js';
import { formatTarget, parsePgUrl } from './url.js';
import { ident } from '../render/quote.js';

export { SCRATCH_PREFIX } from './scratch-name.js';

/** A throw-away database on a server; `drop()` removes it (idempotent). */
export interface ScratchDatabase {
  /** URL of the scratch database: the server URL with the database name replaced (password kept). */
  readonly url: string;
  /** An open connection to it. */
  readonly db: Db;
  /** Closes `db` and drops the database, even while other sessions are connected to it. */
  drop(): Promise<void>;
}

/** The URL text with its database replaced; everything else (host, user, password, parameters) as written. */
export const withDatabase = (serverUrl: string, database: string): string =>
  serverUrl.replace(/^([a-z]+:\/\/[^/?#]*)(\/[^?#]*)?/i, `$1/${encodeURIComponent(database)}`);

/**
 * A connection for CREATE / DROP DATABASE: the URL's own database, or `postgres` when that one does not exist.
 */
const connectMaintenance = async (serverUrl: string, options: ConnectPgOptions): Promise<Db> => {
  try {
    return await connectPg(serverUrl, options);
  } catch (error) {
    if (pgErrorFields((error as Error).cause)?.code !== '3D000') throw error; // invalid_catalog_name
    return connectPg(withDatabase(serverUrl, 'postgres'), options);
  }
};

/**
 * Creates an empty database (from `template0`, so nothing added to `template1` leaks in) on the server of
 * `serverUrl`, named for this process and the time (`scratch-name.ts`), and connects to it. Use it in try/finally:
 * `drop()` always removes it; until then it is registered for the process's cleanup (`cleanup.ts`), which drops it
 * when a signal or an error ends the process first. Scratch databases other runs left behind on the server are
 * dropped first (`scratch-sweep.ts`). Needs a role with CREATEDB; dropping uses `WITH (FORCE)` (PostgreSQL 13+).
 * @throws UserError when the server cannot be reached or refuses to create the database.
 */
export const createScratchDatabase = async (
  serverUrl: string,
  options: ConnectPgOptions & {
    /**
     * Copy this database of the server (`CREATE DATABASE … TEMPLATE`) instead of making an empty one: PostgreSQL
     * refuses while any other session is connected to it, so `serverUrl` must not name it.
     */
    readonly template?: string;
  } = {},
): Promise<ScratchDatabase> => {
  const { target } = parsePgUrl(serverUrl, options.env);
  // Lowercase letters, digits and underscores only: a valid identifier that needs no quoting.
  const name = scratchName();
  const scratchUrl = withDatabase(serverUrl, name);
  const dropDatabase = async (): Promise<void> => {
    const conn = await connectMaintenance(serverUrl, options);
    try {
      await conn.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } catch (error) {
      const reason = pgErrorFields(error)?.message ?? (error as Error).message;
      throw new UserError(`cannot drop scratch database ${name} on ${formatTarget(target)}: ${reason}`, 1, {
        cause: error,
      });
    } finally {
      await conn.close();
    }
  };

  const admin = await connectMaintenance(serverUrl, options);
  let created: Promise<void> | undefined;
  // Registered before CREATE is sent: a signal that comes while the server creates it waits for that to settle.
  const unregister = onCleanup(`scratch database ${name}`, async () => {
    await created?.catch(() => undefined);
    await dropDatabase();
  });
  try {
    await dropStaleScratchDatabases(admin);
    created = admin.exec(`CREATE DATABASE ${name} TEMPLATE ${options.template === undefined ? 'template0' : ident(options.template)}`);
    await created;
  } catch (error) {
    unregister();
    const reason = pgErrorFields(error)?.message ?? (error as Error).message;
    const hint = pgErrorFields(error)?.code === '42501' ? ' (the role needs CREATEDB)' : '';
    const from = options.template === undefined ? '' : ` as a copy of ${options.template}`;
    throw new UserError(`cannot create a scratch database${from} on ${formatTarget(target)}: ${reason}${hint}`, 1, {
      cause: error,
    });
  } finally {
    await admin.close();
  }

  let db: Db;
  try {
    db = await connectPg(scratchUrl, options);
  } catch (error) {
    await dropDatabase().catch(() => undefined);
    unregister();
    throw error;
  }

  let dropping: Promise<void> | undefined;
  return {
    url: scratchUrl,
    db,
    drop() {
      dropping ??= (async () => {
        try {
          await db.close();
        } catch {
          // a broken connection is closed anyway; FORCE ends it on the server side
        }
        await dropDatabase();
        unregister();
      })();
      return dropping;
    },
  };
};

/** Runs `fn` with a scratch database and drops it afterwards, whether `fn` succeeds or throws. */
export const withScratchDatabase = async <T>(
  serverUrl: string,
  fn: (scratch: ScratchDatabase) => Promise<T>,
  options: ConnectPgOptions = {},
): Promise<T> => {
  const scratch = await createScratchDatabase(serverUrl, options);
  let result: T;
  try {
    result = await fn(scratch);
  } catch (error) {
    // The caller's error is the one to report; a failure to drop as well must not hide it.
    await scratch.drop().catch(() => undefined);
    throw error;
  }
  await scratch.drop();
  return result;
};
