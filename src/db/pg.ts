import type PgModule from 'pg';
import { pgErrorFields, UserError } from './errors.js';
import { parseRequireAuth, refuseCompletion, refuseRequest, type AuthMethod, type AuthPolicy } from './require-auth.js';
import { secretsIn } from './secrets.js';
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

type Env = Readonly<Record<string, string | undefined>>;

type TextParser = (value: string) => unknown;

/** `pg`, loaded by the first connection (a command that connects nowhere does not pay for it). */
let pg: typeof PgModule;

/**
 * Connects to a PostgreSQL server (13–18) with `pg`, as `application_name=keikaku` (unless the URL sets one).
 * `label` is the URL with its password masked.
 * @throws UserError with one line naming user, host, port and database and the reason, never the password,
 *   e.g. `cannot connect to postgres://app@db.example:5432/prod: password authentication failed for user "app"`.
 */
export const connectPg = async (url: string, options: ConnectPgOptions = {}): Promise<Db> => {
  pg ??= (await import('pg')).default;
  const env = options.env ?? process.env;
  const { url: parsed, target } = parsePgUrl(url, env);
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const failure = (error: unknown, refusal?: string) =>
    new UserError(`cannot connect to ${formatTarget(target)}: ${refusal ?? connectReason(error, target, timeoutMs, url)}`, 1, {
      cause: error,
    });

  const policy = parseRequireAuth(parsed.searchParams.get('require_auth') ?? env.PGREQUIREAUTH);
  if (typeof policy === 'string') throw new UserError(`invalid database URL "${maskUrl(url)}": ${policy}`);
  const sslmode = parsed.searchParams.get('sslmode') ?? env.PGSSLMODE ?? null;
  if (sslmode !== null && !SSL_MODES.includes(sslmode))
    throw new UserError(`invalid database URL "${maskUrl(url)}": sslmode "${sslmode}" is not one of ${SSL_MODES.join(', ')}`);

  let client: PgModule.Client | undefined;
  let lastError: unknown;
  for (const [i, mode] of sslAttempts(sslmode).entries()) {
    const attempt = await connectOnce(connectionString(url, parsed, target, env, mode), policy, target, timeoutMs);
    if (attempt.kind === 'connected') {
      client = attempt.client;
      break;
    }
    if (attempt.refusal !== undefined) throw failure(attempt.error, attempt.refusal);
    lastError = attempt.error;
    // prefer: SSL, else plain; allow: plain, else SSL — each only when the server turned the first way down.
    const next = sslAttempts(sslmode)[i + 1];
    const retry = next !== undefined && (mode === 'prefer' ? /does not support SSL/i.test(String((attempt.error as Error)?.message)) : rejectsPlain(attempt.error));
    if (!retry) break;
  }
  if (!client) throw failure(lastError);

  let types: PgModule.CustomTypesConfig;
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
      const config = { text: sql, values: params ? [...params] : [], types, queryMode: 'extended' } as PgModule.QueryConfig;
      return serial(async () => (await client.query(config)).rows as R[]);
    },
    eachRow<R>(sql: string, params: readonly unknown[], onRow: (row: R) => void): Promise<void> {
      const config = { text: sql, values: [...params], types, queryMode: 'extended' } as PgModule.QueryConfig;
      return serial(
        () =>
          new Promise<void>((resolve, reject) => {
            // With a 'row' listener pg hands over each row and keeps none. A throwing listener would throw inside
            // pg's message handling: its error is kept, the rest of the rows skipped, and it rejects at the end.
            const query = new pg.Query(config);
            let failed: { readonly error: unknown } | undefined;
            query.on('row', (row: R) => {
              if (failed) return;
              try {
                onRow(row);
              } catch (error) {
                failed = { error };
              }
            });
            query.on('error', reject);
            query.on('end', () => (failed ? reject(failed.error) : resolve()));
            client.query(query);
          }),
      );
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

const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'];

/** The sslmode of each connection attempt, in order (libpq: `prefer` falls back to plain, `allow` to SSL). */
const sslAttempts = (mode: string | null): (string | null)[] => (mode === 'prefer' ? ['prefer', 'disable'] : mode === 'allow' ? ['disable', 'require'] : [mode]);

/** The server refused a connection without SSL (pg_hba.conf has only `hostssl` lines for it). */
const rejectsPlain = (error: unknown): boolean => {
  const fields = pgErrorFields(error);
  return fields?.code === '28000' && /no encryption|SSL off/i.test(fields.message);
};

/** The URL as `pg` reads it: require_auth (which pg does not know) left out, sslmode as this attempt uses it. */
const connectionString = (url: string, parsed: URL, target: PgTarget, env: Env, sslmode: string | null): string => {
  let text = url.replace(/([?&])(?:require_auth|sslmode|uselibpqcompat)=[^&#]*/gi, '$1').replace(/([?&])&+/g, '$1').replace(/[?&]+(?=#|$)/, '');
  const extra: string[] = [];
  // `pg` falls back to $USER for the role name, libpq to the login name; with neither set it would send none.
  const userKnown = parsed.username !== '' || parsed.searchParams.has('user') || !!env.PGUSER || !!env.USER;
  if (!userKnown) extra.push(`user=${encodeURIComponent(target.user)}`);
  if (sslmode !== null) {
    extra.push(`sslmode=${sslmode}`);
    // pg reads sslmode=prefer/require/verify-ca as verify-full (and warns on stderr); users of a postgres URL
    // expect libpq's meaning, as in psql: encrypt, without verifying the certificate for `require`.
    if (['disable', 'prefer', 'require', 'verify-ca'].includes(sslmode)) extra.push('uselibpqcompat=true');
  }
  if (extra.length === 0) return text;
  const hash = text.indexOf('#');
  if (hash >= 0) text = text.slice(0, hash);
  return `${text}${text.includes('?') ? '&' : '?'}${extra.join('&')}`;
};

type Attempt = { readonly kind: 'connected'; readonly client: PgModule.Client } | { readonly kind: 'failed'; readonly error: unknown; readonly refusal?: string | undefined };

/** The parts of pg's protocol connection that the authentication guard needs. */
interface ProtocolConnection {
  stream: { encrypted?: boolean; destroy(): void };
  on(event: string, listener: () => void): void;
  password(text: string): void;
  sendSASLInitialResponseMessage(mechanism: string, response: string): void;
}

/**
 * One connection attempt, with require_auth enforced: the guard listens to the server's authentication requests
 * before `pg` answers them (listeners run in the order added, and pg adds its own when it connects), and on a
 * refused request closes the socket and stops every answer from being written.
 */
const connectOnce = async (connectionString: string, policy: AuthPolicy, target: PgTarget, timeoutMs: number): Promise<Attempt> => {
  let client: PgModule.Client;
  try {
    client = new pg.Client({ connectionString, application_name: 'keikaku', client_encoding: 'UTF8', connectionTimeoutMillis: timeoutMs });
  } catch (error) {
    // e.g. an sslrootcert file that cannot be read
    return { kind: 'failed', error };
  }
  // A connection lost while idle is reported as an 'error' event, which would kill the process if unheard;
  // the next query on the client fails with it instead.
  client.on('error', () => undefined);
  const con = (client as unknown as { connection: ProtocolConnection }).connection;
  let refusal: string | undefined;
  let requested: AuthMethod | undefined;
  let scramFinished = false;
  const refuse = (why: string | undefined) => {
    if (why === undefined || refusal !== undefined) return;
    refusal = why;
    con.stream.destroy();
  };
  const request = (method: Exclude<AuthMethod, 'none'>) => () => {
    requested = method;
    refuse(refuseRequest(policy, method, { encrypted: con.stream.encrypted === true, socket: target.host.startsWith('/') }));
  };
  con.on('authenticationCleartextPassword', request('password'));
  con.on('authenticationMD5Password', request('md5'));
  con.on('authenticationSASL', request('scram-sha-256'));
  con.on('authenticationSASLFinal', () => {
    scramFinished = true;
  });
  con.on('authenticationOk', () => refuse(refuseCompletion(policy, requested, scramFinished)));
  const sendPassword = con.password.bind(con);
  con.password = (text) => {
    if (refusal === undefined) sendPassword(text);
  };
  const sendSasl = con.sendSASLInitialResponseMessage.bind(con);
  con.sendSASLInitialResponseMessage = (mechanism, response) => {
    if (refusal === undefined) sendSasl(mechanism, response);
  };
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    return { kind: 'failed', error, refusal };
  }
  if (refusal !== undefined) {
    await client.end().catch(() => undefined);
    return { kind: 'failed', error: new Error(refusal), refusal };
  }
  return { kind: 'connected', client };
};

/** Type parsers that give the values listed in value-types.ts. */
const valueTypes = async (client: PgModule.Client): Promise<PgModule.CustomTypesConfig> => {
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
  return { getTypeParser } as PgModule.CustomTypesConfig;
};

/** Why a connection attempt failed, in one line, with the password never echoed. */
const connectReason = (error: unknown, target: PgTarget, timeoutMs: number, url: string): string => {
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
  for (const secret of secretsIn(url).filter((p) => p.length >= 3)) reason = reason.split(secret).join('****');
  return reason;
};
