import pg from 'pg';
import { UserError } from './errors.js';
import { parseArrayLiteral } from './array-literal.js';
import type { Db, DbNotice } from './types.js';
import { formatTarget, maskUrl, parsePgUrl, type PgTarget } from './url.js';
import { asIs, TEXT_AS_IS } from './value-types.js';

export interface ConnectPgOptions {
  /** How long to wait for the server to accept the connection; default 10 000 ms. */
  readonly connectTimeoutMs?: number;
  /** Where PGHOST, PGPORT, PGUSER, PGDATABASE are read from; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

type TextParser = (value: string) => unknown;

/**
 * Connects to a PostgreSQL server (13–18) with `pg`, as `application_name=keikaku` (unless the URL sets one).
 * `label` is the URL with its password masked.
 * @throws UserError with one line naming user, host, port and database and the reason, never the password,
 *   e.g. `cannot connect to postgres://app@db.example:5432/prod: password authentication failed for user "app"`.
 */
export const connectPg = async (url: string, options: ConnectPgOptions = {}): Promise<Db> => {
  const env = options.env ?? process.env;
  const { url: parsed, target } = parsePgUrl(url, env);
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const failure = (error: unknown) =>
    new UserError(`cannot connect to ${formatTarget(target)}: ${connectReason(error, target, timeoutMs, parsed)}`, 1, {
      cause: error,
    });

  const extra: string[] = [];
  // `pg` falls back to $USER for the role name, libpq to the login name; with neither set it would send none.
  const userKnown = parsed.username !== '' || parsed.searchParams.has('user') || !!env.PGUSER || !!env.USER;
  if (!userKnown) extra.push(`user=${encodeURIComponent(target.user)}`);
  // pg reads sslmode=prefer/require/verify-ca as verify-full (and warns on stderr); users of a postgres URL expect
  // libpq's meaning, as in psql: encrypt, without verifying the certificate for `require`.
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode && ['prefer', 'require', 'verify-ca'].includes(sslmode) && !parsed.searchParams.has('uselibpqcompat')) {
    extra.push('uselibpqcompat=true');
  }
  const connectionString = extra.length === 0 ? url : `${url}${url.includes('?') ? '&' : '?'}${extra.join('&')}`;

  let client: pg.Client;
  try {
    client = new pg.Client({
      connectionString,
      application_name: 'keikaku',
      client_encoding: 'UTF8',
      connectionTimeoutMillis: timeoutMs,
    });
  } catch (error) {
    // e.g. an sslrootcert file that cannot be read
    throw failure(error);
  }
  // A connection lost while idle is reported as an 'error' event, which would kill the process if unheard;
  // the next query on the client fails with it instead.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw failure(error);
  }

  let types: pg.CustomTypesConfig;
  try {
    types = await valueTypes(client);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw failure(error);
  }

  // One connection runs one statement at a time. Callers may still start several at once (Promise.all); they
  // wait their turn here, as on PGlite, rather than in pg's own queue, which warns that it is deprecated.
  let tail: Promise<unknown> = Promise.resolve();
  const serial = <T>(run: () => Promise<T>): Promise<T> => {
    const next = tail.then(run, run);
    tail = next.catch(() => undefined);
    return next;
  };
  let closed = false;
  const noticeListeners = new Set<(notice: DbNotice) => void>();
  client.on('notice', (n) => {
    const notice = { severity: n.severity ?? 'NOTICE', message: n.message ?? '' };
    for (const listener of noticeListeners) listener(notice);
  });
  return {
    label: maskUrl(url),
    onNotice(listener) {
      noticeListeners.add(listener);
      return () => noticeListeners.delete(listener);
    },
    query<R>(sql: string, params?: readonly unknown[]): Promise<R[]> {
      // Always the extended protocol, as on PGlite: exactly one statement, `$n` parameters allowed.
      const config = { text: sql, values: params ? [...params] : [], types, queryMode: 'extended' } as pg.QueryConfig;
      return serial(async () => (await client.query(config)).rows as R[]);
    },
    exec(sql: string): Promise<void> {
      return serial(async () => {
        await client.query({ text: sql, types });
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await tail;
      await client.end();
    },
  };
};

/** Type parsers that give the values listed in value-types.ts. */
const valueTypes = async (client: pg.Client): Promise<pg.CustomTypesConfig> => {
  const { rows } = await client.query<{ array: number; element: number; delimiter: string }>(
    'SELECT typarray AS array, oid AS element, typdelim AS delimiter FROM pg_catalog.pg_type WHERE typarray <> 0',
  );
  const arrays = new Map(rows.map((r) => [r.array, r]));
  const cache = new Map<number, TextParser>();
  const textParser = (oid: number): TextParser => {
    let parser = cache.get(oid);
    if (parser) return parser;
    const array = arrays.get(oid);
    if (TEXT_AS_IS.has(oid)) parser = asIs;
    else if (array) {
      const element = textParser(array.element);
      parser = (value) => parseArrayLiteral(value, element, array.delimiter);
    } else parser = pg.types.getTypeParser(oid, 'text') as TextParser;
    cache.set(oid, parser);
    return parser;
  };
  const getTypeParser = (oid: number, format?: 'text' | 'binary') =>
    format === 'binary' ? pg.types.getTypeParser(oid, format) : textParser(oid);
  return { getTypeParser } as pg.CustomTypesConfig;
};

/** Why a connection attempt failed, in one line, with the password never echoed. */
const connectReason = (error: unknown, target: PgTarget, timeoutMs: number, url: URL): string => {
  if (error instanceof AggregateError && error.errors.length > 0) {
    // Node tries every address of a name (IPv6 and IPv4 for localhost) and reports all failures together.
    return connectReason(error.errors[0], target, timeoutMs, url);
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  let reason: string;
  switch (code) {
    case 'ECONNREFUSED':
      reason = 'connection refused';
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      reason = `unknown host "${target.host}"`;
      break;
    case 'ETIMEDOUT':
      reason = 'timed out';
      break;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      reason = 'host unreachable';
      break;
    case 'ECONNRESET':
      reason = 'connection reset by the server';
      break;
    case 'ENOENT':
      reason = target.host.startsWith('/') ? `no server socket in ${target.host}` : message;
      break;
    default:
      reason = /connection timeout|timeout expired/i.test(message)
        ? `timed out after ${timeoutMs / 1000} s`
        : message;
  }
  reason = reason.replace(/\s*\n\s*/g, ' ').trim() || 'unknown error';
  for (const secret of passwords(url)) reason = reason.split(secret).join('****');
  return reason;
};

/** The password forms a message could echo; very short ones are left alone rather than masking common letters. */
const passwords = (url: URL): string[] => {
  const raw = [url.password, url.searchParams.get('password') ?? ''];
  const all = raw.flatMap((p) => {
    try {
      return [p, decodeURIComponent(p)];
    } catch {
      return [p];
    }
  });
  return [...new Set(all)].filter((p) => p.length >= 3);
};
