/**
 * The session introspection runs in. Names in printed SQL (`format_type`, `regclass`, `pg_get_expr`, …) are
 * qualified unless visible in search_path, so the queries run with an empty one, as pg_dump does, and the
 * session's own is put back afterwards. This needs the `Db` to be one session, as both adapters are.
 */
import type { Db } from '../db/types.js';
import { runQuery } from './catalog.js';
import { int, text } from './decode.js';

export interface Session {
  readonly serverVersion: number;
  /** The search_path to restore. */
  readonly searchPath: string;
}

export const openSession = async (db: Db): Promise<Session> => {
  const [session] = await runQuery(db, 'session', [], (r) => ({
    serverVersion: int(r, 'server_version'),
    searchPath: text(r, 'search_path'),
  }));
  if (!session) throw new Error('the session query returned no row');
  return session;
};

export const closeSession = async (db: Db, session: Session): Promise<void> => {
  await runQuery(db, 'restore-session', [session.searchPath], () => undefined);
};
