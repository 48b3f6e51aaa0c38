/**
 * Which PostgreSQL normalizes `schema/` and replays the history when one side of a comparison is a live database
 * (DESIGN §1, same major on both sides): `pg_get_*def` text and catalog rows differ between majors, so the shadow
 * must be the live server's major. In order of preference:
 *
 *   1. the configured shadow server (`shadowUrl`, `--shadow-url`);
 *   2. a scratch database on the live server itself, when its role may create one;
 *   3. a server of the live major started locally from installed binaries (`src/db/embedded`);
 *   4. the embedded PGlite (PostgreSQL 18), with a warning when the live major differs.
 *
 * `keikaku.config.ts` may pin the major (`shadow: { postgres: 16 }`): then 3 is used whenever 1 is absent, also
 * without a live side, and missing binaries are an error. Without a live side or a pin, PGlite: nothing to start.
 */
import { findBinaries, installHint } from '../db/embedded/binaries.js';
import { startEmbeddedServer } from '../db/embedded/server.js';
import { UserError } from '../db/errors.js';
import { connectPg } from '../db/pg.js';

/** PGlite's PostgreSQL major. */
export const PGLITE_MAJOR = 18;

export interface ShadowChoice {
  /** The server to create scratch shadow databases on; the embedded PGlite when absent. */
  readonly shadowUrl: string | undefined;
  /** What was chosen, for messages: `PGlite (PostgreSQL 18)`, `PostgreSQL 16.14 (embedded)`, … */
  readonly description: string;
  /** A warning to show (the shadow's major differs from the live one's), or none. */
  readonly warning?: string | undefined;
  /** Stops what was started for it (the embedded server); idempotent. */
  release(): Promise<void>;
}

export interface ShadowChoiceOptions {
  /** The configured shadow server. */
  readonly shadowUrl?: string | undefined;
  /** The live database one side is read from. */
  readonly liveUrl?: string | undefined;
  /** The pinned major (`shadow.postgres` in the config). */
  readonly pinnedMajor?: number | undefined;
  /** Where to look for installed binaries (default: the working directory and keikaku's installation). */
  readonly roots?: readonly string[] | undefined;
}

const nothing = async (): Promise<void> => undefined;

/** The live server's major and whether its role may create a scratch database. */
const probeLive = async (url: string): Promise<{ major: number; canCreate: boolean }> => {
  const db = await connectPg(url);
  try {
    const [row] = await db.query<{ v: number; can: boolean }>(
      `SELECT current_setting('server_version_num')::int AS v,
              coalesce((SELECT rolsuper OR rolcreatedb FROM pg_catalog.pg_roles WHERE rolname = current_user), false) AS can`,
    );
    return { major: Math.floor(row!.v / 10_000), canCreate: row!.can };
  } finally {
    await db.close();
  }
};

const embedded = async (major: number, roots: readonly string[] | undefined): Promise<ShadowChoice | null> => {
  const binaries = findBinaries(major, roots);
  if (!binaries) return null;
  const server = await startEmbeddedServer(binaries);
  return { shadowUrl: server.url, description: `PostgreSQL ${server.version} (embedded)`, release: () => server.stop() };
};

export const chooseShadow = async (options: ShadowChoiceOptions): Promise<ShadowChoice> => {
  if (options.shadowUrl) return { shadowUrl: options.shadowUrl, description: 'the configured shadow server', release: nothing };
  const pglite = (warning?: string): ShadowChoice => ({ shadowUrl: undefined, description: `PGlite (PostgreSQL ${PGLITE_MAJOR})`, warning, release: nothing });
  const pinned = options.pinnedMajor;
  if (pinned !== undefined) {
    const started = await embedded(pinned, options.roots);
    if (started) return started;
    if (pinned === PGLITE_MAJOR) return pglite();
    throw new UserError(`keikaku.config.ts pins the shadow to PostgreSQL ${pinned}, whose server binaries are not installed; install them with:\n  ${installHint(pinned)}`);
  }
  if (!options.liveUrl) return pglite();
  const live = await probeLive(options.liveUrl);
  if (live.canCreate) return { shadowUrl: options.liveUrl, description: `a scratch database on the live server (PostgreSQL ${live.major})`, release: nothing };
  if (live.major === PGLITE_MAJOR) return pglite();
  const started = await embedded(live.major, options.roots);
  if (started) return started;
  return pglite(
    `the database is PostgreSQL ${live.major} and its role may not create a scratch database, so schema/ is normalized ` +
      `in PGlite (PostgreSQL ${PGLITE_MAJOR}): view definitions, NOT NULL constraints and other catalog text may ` +
      `differ from how PostgreSQL ${live.major} stores them and show as changes. For a shadow of the same major, ` +
      `install its server binaries (\`${installHint(live.major)}\`), grant the role CREATEDB, or set shadowUrl.`,
  );
};

/**
 * A server of the live database's major started locally, for a live server that refused a scratch database; null
 * when its major is PGlite's or no binaries of it are installed.
 */
export const sameMajorEmbedded = async (liveUrl: string, roots?: readonly string[]): Promise<ShadowChoice | null> => {
  const { major } = await probeLive(liveUrl);
  return major === PGLITE_MAJOR ? null : embedded(major, roots);
};

/** Runs `fn` with the chosen shadow and releases it afterwards, whether `fn` succeeds or throws. */
export const withShadowChoice = async <T>(options: ShadowChoiceOptions, fn: (choice: ShadowChoice) => Promise<T>): Promise<T> => {
  const choice = await chooseShadow(options);
  try {
    return await fn(choice);
  } finally {
    await choice.release();
  }
};
