/**
 * libpq's require_auth and sslmode on connections made with pg. Against the main server (trust authentication):
 * a list that requires a password fails, as libpq does. Against a cluster with password, md5 and scram-sha-256
 * roles (test/support/auth-cluster.sh; skipped, with the reason printed, when it is absent): the server's request
 * is answered only when allowed, and a clear-text password is never sent over a plain TCP connection by default.
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/db/errors.js';
import { connectPg } from '../../src/db/pg.js';
import { parseRequireAuth, refuseRequest, type AuthPolicy } from '../../src/db/require-auth.js';
import { backends } from '../support/backends.js';

const rejection = async (p: Promise<unknown>): Promise<Error> => {
  try {
    await p;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
};

const connects = async (url: string): Promise<{ ssl: boolean; user: string }> => {
  const db = await connectPg(url, { connectTimeoutMs: 5_000 });
  try {
    const [row] = await db.query<{ ssl: boolean; user: string }>(
      'SELECT coalesce((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false) AS ssl, current_user AS user',
    );
    return row!;
  } finally {
    await db.close();
  }
};

describe('require_auth values', () => {
  const policy = (text: string) => parseRequireAuth(text) as AuthPolicy;
  it('reads lists and negated lists as libpq does', () => {
    expect([...policy('password,md5').allowed].sort()).toEqual(['md5', 'password']);
    expect([...policy('!password,!none').allowed].sort()).toEqual(['creds', 'gss', 'md5', 'scram-sha-256', 'sspi']);
    expect(parseRequireAuth(undefined)).toMatchObject({ text: null });
  });

  it('refuses mixed, unknown, repeated and empty lists', () => {
    expect(parseRequireAuth('password,!md5')).toBe('require_auth "password,!md5": negated and plain methods cannot be combined');
    expect(parseRequireAuth('cert')).toMatch(/unknown method "cert"/);
    expect(parseRequireAuth('md5,md5')).toMatch(/listed more than once/);
  });

  it('by default answers a clear-text request only over SSL or a socket; require_auth=password allows it', () => {
    const byDefault = parseRequireAuth(undefined) as AuthPolicy;
    expect(refuseRequest(byDefault, 'password', { encrypted: false, socket: false })).toMatch(/clear text over an unencrypted connection/);
    expect(refuseRequest(byDefault, 'password', { encrypted: true, socket: false })).toBeUndefined();
    expect(refuseRequest(byDefault, 'password', { encrypted: false, socket: true })).toBeUndefined();
    expect(refuseRequest(policy('password'), 'password', { encrypted: false, socket: false })).toBeUndefined();
    expect(refuseRequest(policy('!md5'), 'password', { encrypted: false, socket: false })).toBeUndefined();
    expect(refuseRequest(policy('scram-sha-256'), 'md5', { encrypted: true, socket: false })).toMatch(/md5 authentication, which require_auth=scram-sha-256/);
  });
});

const server = (await backends()).find((b) => b.name === 'server');
describe.runIf(server)('require_auth against the main server (trust: the server asks for nothing)', () => {
  const url = (query: string) => `${server!.serverUrl!}?${query}`;

  it('a list that requires authentication fails, as with libpq', async () => {
    for (const q of ['require_auth=password', 'require_auth=scram-sha-256', 'require_auth=md5,scram-sha-256', 'require_auth=!none']) {
      const error = await rejection(connectPg(url(q)));
      expect(error, q).toBeInstanceOf(UserError);
      expect(error.message, q).toMatch(/the server asked for no authentication, which require_auth=\S+ does not allow$/);
    }
  });

  it('none, negated lists without none, and sslmode=prefer (falls back to plain) connect', async () => {
    for (const q of ['require_auth=none', 'require_auth=password,none', 'require_auth=!password,!md5', 'sslmode=prefer', 'sslmode=allow', 'sslmode=disable'])
      expect((await connects(url(q))).user, q).toBeTruthy();
  });

  it('a malformed require_auth or sslmode is a URL error', async () => {
    expect((await rejection(connectPg(url('require_auth=password,!md5')))).message).toMatch(/negated and plain methods cannot be combined/);
    expect((await rejection(connectPg(url('sslmode=sometimes')))).message).toMatch(/sslmode "sometimes" is not one of/);
  });
});

const AUTH_PORT = Number(process.env.KEIKAKU_TEST_AUTH_PORT ?? 5499);
const authUrl = (role: string, query = '') => `postgres://${role}:kk-secret-pw@127.0.0.1:${AUTH_PORT}/postgres${query ? `?${query}` : ''}`;
const authCluster = await connects(`postgres://postgres@127.0.0.1:${AUTH_PORT}/postgres`).then(
  () => true,
  (e: Error) => {
    console.warn(`require-auth.test.ts: the password/md5/scram cluster tests are skipped: no cluster on 127.0.0.1:${AUTH_PORT} (${e.message}); create one with test/support/auth-cluster.sh`);
    return false;
  },
);

describe.runIf(authCluster)('require_auth and sslmode against password, md5 and scram-sha-256 roles', () => {
  it('a clear-text password request over plain TCP is refused by default, and the password is not sent', async () => {
    const error = await rejection(connectPg(authUrl('kk_clear')));
    expect(error.message).toMatch(/asked for the password in clear text over an unencrypted connection/);
    expect(error.message).not.toContain('kk-secret-pw');
  });

  it('it is answered when require_auth allows password, or over SSL', async () => {
    expect(await connects(authUrl('kk_clear', 'require_auth=password'))).toEqual({ ssl: false, user: 'kk_clear' });
    expect(await connects(authUrl('kk_clear', 'sslmode=require'))).toEqual({ ssl: true, user: 'kk_clear' });
    expect(await connects(authUrl('kk_clear', 'sslmode=prefer'))).toEqual({ ssl: true, user: 'kk_clear' });
  });

  it('each method is answered only when require_auth allows it', async () => {
    expect((await connects(authUrl('kk_md5', 'require_auth=md5'))).user).toBe('kk_md5');
    expect((await connects(authUrl('kk_scram', 'require_auth=scram-sha-256'))).user).toBe('kk_scram');
    expect((await connects(authUrl('kk_md5'))).user).toBe('kk_md5');
    expect((await rejection(connectPg(authUrl('kk_md5', 'require_auth=scram-sha-256')))).message).toMatch(/asked for md5 authentication, which require_auth=scram-sha-256 does not allow/);
    expect((await rejection(connectPg(authUrl('kk_scram', 'require_auth=!scram-sha-256')))).message).toMatch(/asked for scram-sha-256 authentication/);
    expect((await rejection(connectPg(authUrl('kk_clear', 'require_auth=md5,scram-sha-256')))).message).toMatch(/asked for password authentication/);
  });

  it('sslmode=allow tries plain first and uses SSL when the server requires it; disable does not', async () => {
    expect(await connects(authUrl('kk_sslonly', 'sslmode=allow'))).toEqual({ ssl: true, user: 'kk_sslonly' });
    expect(await connects(authUrl('kk_scram', 'sslmode=allow'))).toEqual({ ssl: false, user: 'kk_scram' });
    expect((await rejection(connectPg(authUrl('kk_sslonly', 'sslmode=disable')))).message).toMatch(/no encryption|pg_hba/);
  });

  it('PGREQUIREAUTH applies when the URL sets no require_auth', async () => {
    const db = await connectPg(authUrl('kk_clear'), { env: { PGREQUIREAUTH: 'password', USER: 'x' } });
    await db.close();
    expect((await rejection(connectPg(authUrl('kk_scram'), { env: { PGREQUIREAUTH: 'md5', USER: 'x' } }))).message).toMatch(/scram-sha-256 authentication/);
  });
});
