/**
 * What an embedded shadow on a worker thread runs (`shadow.ts` starts it ahead of need): PGlite, the declared
 * script applied, the schema read back. Kept apart from the rest of normalization so that the thread loads only
 * these modules.
 */
import { pgErrorFields } from '../db/errors.js';
import { extensionsNeeded, openPglite, warmPglite } from '../db/pglite.js';
import type { Db } from '../db/types.js';
import { DIAGNOSTIC_CODES as C, diagnostic } from '../dsl/ddl/diagnostic.js';
import { type DdlStatement, scriptText, siteAt, stmt } from '../dsl/ddl/statement.js';
import { introspect } from '../introspect/index.js';
import type { Schema } from '../model/schema.js';
import { dollarQuoted, ident, literal } from '../render/quote.js';
import { SchemaError } from './schema-error.js';

/** What applying a declared script needs of a loaded schema/. */
export interface Script {
  readonly script: readonly DdlStatement[];
  readonly extensions: readonly string[];
  readonly roles: readonly string[];
}

const rejected = (s: DdlStatement, error: unknown): SchemaError => {
  const pg = pgErrorFields(error);
  if (!pg) throw error;
  const extra = [pg.detail && `DETAIL: ${pg.detail}`, pg.hint && `HINT: ${pg.hint}`].filter(Boolean).join(' ');
  const message = `PostgreSQL rejected ${s.object}: ${pg.message}${extra ? ` (${extra})` : ''}\n    ${s.sql.replace(/\n/g, '\n    ')}`;
  return new SchemaError([diagnostic(C.sqlRejected, siteAt(s, pg.position), message)], { cause: error });
};

const runEach = async (db: Db, statements: readonly DdlStatement[]): Promise<void> => {
  for (const s of statements) {
    try {
      await db.exec(s.sql);
    } catch (error) {
      throw rejected(s, error);
    }
  }
};

/** Roles are the server's, not the schema's; an embedded shadow makes those the grants and policies name. */
const createRoles = async (db: Db, roles: readonly string[]): Promise<void> => {
  if (roles.length === 0) return;
  const create = roles
    .map((r) => `IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${literal(r)}) THEN CREATE ROLE ${ident(r)} NOLOGIN; END IF;`)
    .join('\n');
  await db.exec(`DO ${dollarQuoted(` BEGIN\n${create}\nEND `, '$roles$')}`);
};

/**
 * Applies the script: all at once (one implicit transaction, one round trip), and only when that fails statement
 * by statement, to find the one to report. Routine bodies are checked at the end, when everything they may read
 * exists.
 */
export const applyScript = async (db: Db, script: Script, embedded: boolean): Promise<void> => {
  if (embedded) await createRoles(db, script.roles);
  await db.exec('SET check_function_bodies = off');
  try {
    await db.exec(scriptText(script.script));
  } catch {
    await runEach(db, script.script);
  }
  await db.exec('SET check_function_bodies = on');
  await runEach(db, script.script.filter((s) => s.routine));
};

const NO_SITE = { file: '', line: 0, col: 0 };

/** What `Promise.race` gives when the message raced with it has not arrived. */
const WAITING = Symbol('waiting');

/** What a shadow on a worker thread runs: plain data only. */
export interface ShadowJob {
  readonly roles: readonly string[];
  readonly statements: readonly { readonly sql: string; readonly routine: boolean }[];
}

/**
 * The worker side of an embedded shadow started ahead of need: starts PGlite with the extensions `hint` creates,
 * then waits for the statements to run (null: not needed after all) and reads the schema back. With no `hint` yet,
 * it loads PGlite and the saved data directory meanwhile, and the hint is the first value it receives.
 */
export const shadowOnWorker = async (input: { readonly hint: string | null; readonly readAhead?: boolean }, receive: () => Promise<unknown>): Promise<Schema | null> => {
  let hint = input.hint;
  if (hint === null) {
    // Only a head start: a failure here is met again, and reported, by the start below.
    const warm = warmPglite().catch(() => undefined);
    const sent = (await receive()) as { readonly hint: string } | null;
    await warm;
    if (sent === null) return null;
    hint = sent.hint;
  }
  const db = await openPglite({ extensions: extensionsNeeded(hint) });
  try {
    const next = receive();
    // While no job waits yet (a run still loading schema/), the catalog queries are asked once of the empty
    // database when `readAhead`: PostgreSQL's catalog caches and the WebAssembly's code paths are then warm, and
    // the job's own read of the schema takes ~40% less.
    if (input.readAhead && (await Promise.race([next, WAITING])) === WAITING) await introspect(db).catch(() => undefined);
    const job = (await next) as ShadowJob | null;
    if (job === null) return null;
    // The statements' sites stay on the main thread: a rejection here only says that one was rejected.
    const script = job.statements.map((x) => ({ ...stmt(x.sql, '', NO_SITE), routine: x.routine }));
    await applyScript(db, { script, extensions: [], roles: job.roles }, true);
    return await introspect(db);
  } finally {
    await db.close();
  }
};

