import { userInfo } from 'node:os';
import { UserError } from './errors.js';
import { maskUrl } from './secrets.js';

export { maskUrl };

/** Where a database URL points, with the defaults libpq and `pg` apply filled in. Never holds a password. */
export interface PgTarget {
  /** Host name, IP address, or a Unix-socket directory (starts with `/`). */
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The form every refusal of a malformed URL shows. */
export const URL_FORM = 'postgres://user:password@host:5432/db';

/** libpq's default user: the login name of the process. */
const osUser = (): string => {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
};

/**
 * Parses a `postgres://` or `postgresql://` URL the way `pg` (pg-connection-string) reads it, so messages name the
 * host, port, user and database actually used. Query parameters `host`, `port`, `user` override the URL parts;
 * missing parts come from PGHOST, PGPORT, PGUSER, PGDATABASE, then libpq's defaults.
 * @throws UserError when the text is not such a URL.
 */
export const parsePgUrl = (url: string, env: Env = process.env): { readonly url: URL; readonly target: PgTarget } => {
  const masked = maskUrl(url);
  const bad = (why: string) => new UserError(`invalid database URL "${masked}": ${why}`);
  if (url.trim() === '') throw new UserError('invalid database URL: it is empty');
  if (/^\s*[a-z_]+\s*=/i.test(url)) throw bad(`key=value connection strings are not read; write it as a URL: ${URL_FORM}`);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme !== 'postgres' && scheme !== 'postgresql') throw bad(`expected ${URL_FORM} (or postgresql://)`);
  // `postgres:/app:pw@host/db` parses as a path on the default host, taking the password for a database name.
  if (!/^[a-z]+:\/\//i.test(url)) throw bad(`expected "//" after "${scheme}:", as in ${URL_FORM}`);
  let parsed: URL;
  try {
    // `postgres://user@/db` (no host: the default socket or PGHOST) is valid for libpq but not for WHATWG URL.
    parsed = new URL(url.replace(/^([a-z]+:\/\/[^/?#]*@)(?=\/)/i, '$1localhost'));
  } catch {
    throw bad(`it cannot be parsed (expected ${URL_FORM}; percent-encode special characters)`);
  }
  const hostGiven = !/^[a-z]+:\/\/[^/?#]*@\//i.test(url) && parsed.hostname !== '';
  const params = parsed.searchParams;
  let host = params.get('host') || (hostGiven ? decodeURIComponent(parsed.hostname.replace(/^\[(.+)\]$/, '$1')) : '');
  host ||= env.PGHOST || 'localhost';
  const portText = params.get('port') || parsed.port || env.PGPORT || '5432';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw bad(`port "${portText}" is not a number from 1 to 65535`);
  let user: string;
  let database: string;
  try {
    user = params.get('user') || decodeURIComponent(parsed.username) || env.PGUSER || env.USER || osUser();
    database = decodeURIComponent(parsed.pathname.slice(1)) || env.PGDATABASE || user;
  } catch {
    throw bad('it contains a malformed %-escape');
  }
  return { url: parsed, target: { host, port, user, database } };
};

/** `postgres://user@host:port/database` with defaults filled in and no password: for messages and prompts. */
export const formatTarget = (t: PgTarget): string => {
  const host = t.host.startsWith('/') ? encodeURIComponent(t.host) : t.host.includes(':') ? `[${t.host}]` : t.host;
  return `postgres://${encodeURIComponent(t.user)}@${host}:${t.port}/${encodeURIComponent(t.database)}`;
};

/**
 * Names the server and database a URL points at, without its password, e.g. `postgres://app@db.example:5432/prod`.
 * @throws UserError when the text is not a postgres URL.
 */
export const describeTarget = (url: string, env: Env = process.env): string => formatTarget(parsePgUrl(url, env).target);
