/**
 * The databases tests run against: always the embedded PGlite (PostgreSQL 18), plus the local server when it is
 * reachable (PGHOST / PGPORT / PGUSER, default 127.0.0.1:5432 as postgres, or KEIKAKU_TEST_SERVER_URL). With
 * CI=true or KEIKAKU_REQUIRE_SERVER=1 the server is required: unreachable, its tests fail instead of being left out.
 * KEIKAKU_TEST_BACKENDS=server leaves PGlite out (the matrix runs, test/support/run-matrix.ts, each on one major).
 *
 *   const all = await backends();
 *   describe.each(all)('$title', (backend) => {
 *     it('…', () => withFreshDb(backend, async (db) => { … }));
 *   });
 */
import { afterAll } from 'vitest';
import { connectPg } from '../../src/db/pg.js';
import { type PgliteDb, COMMON_EXTENSIONS, openPglite } from '../../src/db/pglite.js';
import { createScratchDatabase } from '../../src/db/scratch.js';
import type { Db } from '../../src/db/types.js';
import { describeTarget } from '../../src/db/url.js';

export type BackendName = 'pglite' | 'server';

/** An empty database for one test; `release()` drops or recycles it. */
export interface FreshDb {
  readonly db: Db;
  /** Server only: the URL of this database (a scratch database). */
  readonly url?: string;
  release(): Promise<void>;
}

export interface FreshDbOptions {
  /**
   * Extensions the test creates (CREATE EXTENSION names). On PGlite the common ones (`COMMON_EXTENSIONS`) are
   * always there; others get an instance of their own.
   */
  readonly extensions?: readonly string[];
}

export interface Backend {
  readonly name: BackendName;
  /** For test titles: `pglite` or `server postgres://postgres@127.0.0.1:5432/postgres`. */
  readonly title: string;
  /** Server only: a URL of the server, for code that creates its own scratch databases. */
  readonly serverUrl?: string;
  /** An empty database: no schemas but `public` (empty), no extensions but plpgsql. */
  freshDb(options?: FreshDbOptions): Promise<FreshDb>;
}

/** The server tests use. */
export const testServerUrl = (env: NodeJS.ProcessEnv = process.env): string => {
  if (env.KEIKAKU_TEST_SERVER_URL) return env.KEIKAKU_TEST_SERVER_URL;
  const host = env.PGHOST || '127.0.0.1';
  const hostPart = host.startsWith('/') ? encodeURIComponent(host) : host;
  const user = encodeURIComponent(env.PGUSER || 'postgres');
  return `postgres://${user}@${hostPart}:${env.PGPORT || '5432'}/postgres`;
};

/** CI=true or KEIKAKU_REQUIRE_SERVER=1: a missing server is a failure, not a reason to skip. */
export const serverRequired = (env: NodeJS.ProcessEnv = process.env): boolean =>
  env.CI === 'true' || env.KEIKAKU_REQUIRE_SERVER === '1';

/** Connects once; an error message when the server cannot be used. */
const probeServer = async (url: string): Promise<string | undefined> => {
  try {
    const db = await connectPg(url, { connectTimeoutMs: 3_000 });
    try {
      const [row] = await db.query<{ v: number }>(`SELECT current_setting('server_version_num')::int AS v`);
      if (!row || row.v < 130_000) return `server version ${row?.v} is older than 13`;
      return undefined;
    } finally {
      await db.close();
    }
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

const serverBackend = (url: string, problem: string | undefined): Backend => ({
  name: 'server',
  title: `server ${describeTarget(url)}`,
  serverUrl: url,
  async freshDb() {
    if (problem) throw new Error(`PostgreSQL server required (CI / KEIKAKU_REQUIRE_SERVER) but unusable: ${problem}`);
    const scratch = await createScratchDatabase(url);
    return { db: scratch.db, url: scratch.url, release: () => scratch.drop() };
  },
});

// ---- PGlite: one instance per test file (each file runs in its own process), reset between tests ----------

/**
 * Measured on the 2-core CI machine: a new PGlite takes ~2.5 s (with the 8 common extensions registered, ~2.75 s);
 * restoring a dumped data directory ~0.6 s; dropping everything and recreating `public` ~0.05 s. So tests share
 * an instance and reset it, and fall back to a new instance when the reset leaves something behind.
 */
let shared: { db: PgliteDb; fingerprint: string } | undefined;
let sharedBusy = false;

/** Everything a test could leave outside the schemas it created; must match a new instance's. */
const FINGERPRINT_SQL = `
SELECT concat_ws(' | ',
  (SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace
    WHERE nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'),
  (SELECT nspacl::text || ' ' || nspowner::regrole::text || ' ' || coalesce(obj_description(oid, 'pg_namespace'), '')
     FROM pg_namespace WHERE nspname = 'public'),
  (SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension),
  (SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles),
  (SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database),
  (SELECT count(*) FROM pg_default_acl), (SELECT count(*) FROM pg_db_role_setting),
  (SELECT count(*) FROM pg_event_trigger), (SELECT count(*) FROM pg_foreign_data_wrapper),
  (SELECT count(*) FROM pg_foreign_server), (SELECT count(*) FROM pg_publication),
  (SELECT count(*) FROM pg_largeobject_metadata), (SELECT count(*) FROM pg_cast),
  (SELECT count(*) FROM pg_language), (SELECT count(*) FROM pg_shdescription)
) AS fingerprint`;

const RESET_SQL = `
DO $reset$
DECLARE r record;
BEGIN
  FOR r IN SELECT evtname FROM pg_event_trigger LOOP
    EXECUTE format('DROP EVENT TRIGGER %I', r.evtname);
  END LOOP;
  FOR r IN SELECT pubname FROM pg_publication LOOP
    EXECUTE format('DROP PUBLICATION %I', r.pubname);
  END LOOP;
  FOR r IN SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' LOOP
    EXECUTE format('DROP EXTENSION IF EXISTS %I CASCADE', r.extname);
  END LOOP;
  FOR r IN SELECT nspname FROM pg_namespace
           WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
             AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
  END LOOP;
  FOR r IN SELECT fdwname FROM pg_foreign_data_wrapper LOOP
    EXECUTE format('DROP FOREIGN DATA WRAPPER %I CASCADE', r.fdwname);
  END LOOP;
  FOR r IN SELECT rolname FROM pg_roles WHERE oid >= 16384 LOOP
    EXECUTE format('DROP OWNED BY %I CASCADE', r.rolname);
    EXECUTE format('DROP ROLE %I', r.rolname);
  END LOOP;
  EXECUTE format('ALTER DATABASE %I RESET ALL', current_database());
  ALTER ROLE ALL RESET ALL;
END
$reset$;
CREATE SCHEMA public AUTHORIZATION pg_database_owner;
GRANT USAGE ON SCHEMA public TO PUBLIC;
COMMENT ON SCHEMA public IS 'standard public schema';`;

const fingerprint = async (db: Db): Promise<string> =>
  (await db.query<{ fingerprint: string }>(FINGERPRINT_SQL))[0]!.fingerprint;

/** Back to the state of a new instance, or false when something could not be undone. */
const resetPglite = async (db: Db, expected: string): Promise<boolean> => {
  try {
    await db.exec('ROLLBACK'); // a test may have left a transaction open (a warning only when there is none)
    await db.exec('DISCARD ALL'); // session state: role, settings, temp tables, prepared statements
    await db.exec(RESET_SQL);
    return (await fingerprint(db)) === expected;
  } catch {
    return false;
  }
};

const startShared = async (): Promise<{ db: PgliteDb; fingerprint: string }> => {
  const db = await openPglite({ extensions: COMMON_EXTENSIONS });
  return { db, fingerprint: await fingerprint(db) };
};

const pgliteBackend: Backend = {
  name: 'pglite',
  title: 'pglite',
  async freshDb(options = {}) {
    const extra = (options.extensions ?? []).filter((e) => e !== 'plpgsql' && !COMMON_EXTENSIONS.includes(e));
    if (extra.length > 0 || sharedBusy) {
      const db = await openPglite({ extensions: [...COMMON_EXTENSIONS, ...extra] });
      return { db, release: () => db.close() };
    }
    sharedBusy = true;
    try {
      if (shared && !(await resetPglite(shared.db, shared.fingerprint))) {
        await shared.db.close().catch(() => undefined);
        shared = undefined;
      }
      shared ??= await startShared();
    } catch (error) {
      sharedBusy = false;
      throw error;
    }
    const { db } = shared;
    let released = false;
    // The shared instance must not be closed by the test; it is closed after the file.
    const lease: Db = {
      label: db.label,
      query: (sql, params) => db.query(sql, params),
      exec: (sql) => db.exec(sql),
      onNotice: (listener) => db.onNotice(listener),
      close: async () => undefined,
    };
    return {
      db: lease,
      async release() {
        if (released) return;
        released = true;
        sharedBusy = false;
      },
    };
  },
};

// An open PGlite keeps its process alive: close the shared one when the test file is done.
afterAll(async () => {
  const instance = shared;
  shared = undefined;
  if (instance) await instance.db.close();
});

let server: Promise<Backend | undefined> | undefined;

/** PGlite, then the server if it is reachable or required. The server is probed once per test file. */
export const backends = async (): Promise<Backend[]> => {
  server ??= (async () => {
    const url = testServerUrl();
    const problem = await probeServer(url);
    if (problem === undefined || serverRequired()) return serverBackend(url, problem);
    return undefined;
  })();
  const s = await server;
  if (process.env.KEIKAKU_TEST_BACKENDS === 'server') return s ? [s] : [];
  return s ? [pgliteBackend, s] : [pgliteBackend];
};

/** Runs `fn` on a fresh empty database of `backend` and releases it afterwards, also when `fn` throws. */
export const withFreshDb = async <T>(
  backend: Backend,
  fn: (db: Db, fresh: FreshDb) => Promise<T>,
  options?: FreshDbOptions,
): Promise<T> => {
  const fresh = await backend.freshDb(options);
  try {
    return await fn(fresh.db, fresh);
  } finally {
    await fresh.release();
  }
};
