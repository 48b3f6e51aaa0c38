/**
 * libpq's `require_auth` connection parameter (PostgreSQL 16+ clients), for connections made with `pg`, which has
 * no such option: which authentication requests of the server the client answers. A comma-separated list of
 * methods the server must use one of (`password`, `md5`, `scram-sha-256`, `gss`, `sspi`, `creds`, `none`), or a
 * list of methods each negated with `!` that the server must not use; `none` is the server asking for nothing.
 *
 * Without `require_auth`, libpq answers any request. keikaku answers any request too, but one: a password in clear
 * text over an unencrypted TCP connection, which anyone on the path could read. Such a request is refused unless
 * `require_auth` allows `password` explicitly (a list naming it, or a negated list not naming it).
 */

export const AUTH_METHODS = ['password', 'md5', 'scram-sha-256', 'gss', 'sspi', 'creds', 'none'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

export interface AuthPolicy {
  /** The parameter as given; null when absent (keikaku's default). */
  readonly text: string | null;
  /** The methods the server may use (`none`: no request at all). */
  readonly allowed: ReadonlySet<AuthMethod>;
}

/** How the connection reached the server, when it asks for a password. */
export interface Transport {
  readonly encrypted: boolean;
  /** A Unix-domain socket: the password never crosses a network. */
  readonly socket: boolean;
}

const isMethod = (m: string): m is AuthMethod => (AUTH_METHODS as readonly string[]).includes(m);

/** The policy of a `require_auth` value; a string says what is wrong with it. */
export const parseRequireAuth = (text: string | null | undefined): AuthPolicy | string => {
  if (text === null || text === undefined || text.trim() === '') return { text: null, allowed: new Set(AUTH_METHODS) };
  const items = text.split(',').map((s) => s.trim());
  const negated = items[0]!.startsWith('!');
  const seen = new Set<AuthMethod>();
  for (const item of items) {
    if (item.startsWith('!') !== negated) return `require_auth "${text}": negated and plain methods cannot be combined`;
    const name = negated ? item.slice(1) : item;
    if (!isMethod(name)) return `require_auth "${text}": unknown method "${name}" (known: ${AUTH_METHODS.join(', ')})`;
    if (seen.has(name)) return `require_auth "${text}": method "${name}" is listed more than once`;
    seen.add(name);
  }
  const allowed = negated ? AUTH_METHODS.filter((m) => !seen.has(m)) : [...seen];
  if (allowed.length === 0) return `require_auth "${text}": it allows no method`;
  return { text, allowed: new Set(allowed) };
};

/** Why a request of the server for `method` must not be answered; undefined when it may be. */
export const refuseRequest = (policy: AuthPolicy, method: Exclude<AuthMethod, 'none'>, transport: Transport): string | undefined => {
  if (!policy.allowed.has(method)) return `the server asked for ${method} authentication, which require_auth=${policy.text} does not allow`;
  if (method === 'password' && policy.text === null && !transport.encrypted && !transport.socket)
    return (
      'the server asked for the password in clear text over an unencrypted connection, and keikaku does not send it so; ' +
      'use SSL (sslmode=require), switch the role to scram-sha-256, or allow it with require_auth=password in the URL'
    );
  return undefined;
};

/**
 * Why a finished authentication must be rejected: the server asked for nothing while `none` is not allowed, or
 * ended a SCRAM exchange before proving that it knows the password.
 */
export const refuseCompletion = (policy: AuthPolicy, requested: AuthMethod | undefined, scramFinished: boolean): string | undefined => {
  if (requested === undefined && !policy.allowed.has('none'))
    return `the server asked for no authentication, which require_auth=${policy.text} does not allow`;
  if (requested === 'scram-sha-256' && !scramFinished) return 'the server ended SCRAM authentication before proving that it knows the password';
  return undefined;
};
