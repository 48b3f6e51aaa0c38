import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/db/errors.js';
import { describeTarget, maskUrl, parsePgUrl } from '../../src/db/url.js';

const catchError = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
};

describe('maskUrl', () => {
  it('masks the password of the userinfo', () => {
    expect(maskUrl('postgres://app:sekret@db.example:5432/prod')).toBe('postgres://app:****@db.example:5432/prod');
  });

  it('masks password and sslpassword query parameters', () => {
    expect(maskUrl('postgresql://app@db.example/prod?sslmode=require&password=sekret&sslpassword=k3y')).toBe(
      'postgresql://app@db.example/prod?sslmode=require&password=****&sslpassword=****',
    );
  });

  it('leaves a URL without password unchanged', () => {
    expect(maskUrl('postgres://app@db.example:5432/prod')).toBe('postgres://app@db.example:5432/prod');
  });

  it('masks text that is not a valid URL too', () => {
    expect(maskUrl('postgres://app:sekret@db.example:99999/prod')).toBe('postgres://app:****@db.example:99999/prod');
    expect(maskUrl('postgres://app:se/kret@db/prod')).toBe('postgres://app:****@db/prod');
  });

  it('masks malformed shapes: no scheme, one slash, unencoded specials, conninfo strings', () => {
    expect(maskUrl('app:pw@127.0.0.1/x')).toBe('app:****@127.0.0.1/x');
    expect(maskUrl('postgres//app:pw@h/x')).toBe('postgres//app:****@h/x');
    expect(maskUrl('postgres:/app:pw@h/x')).toBe('postgres:/app:****@h/x');
    expect(maskUrl('postgres://app:p@s/s#w?d@h/x')).toBe('postgres://app:****@h/x');
    expect(maskUrl('postgres://app:pw@%2Fvar%2Frun/x')).toBe('postgres://app:****@%2Fvar%2Frun/x');
    expect(maskUrl("host=h password='a b\\' c' user=u")).toBe('host=h password=**** user=u');
    expect(maskUrl('host=h password=pw sslpassword=k')).toBe('host=h password=**** sslpassword=****');
  });

  it('masks a percent-encoded password', () => {
    expect(maskUrl('postgres://app:p%40ss%2Fw@db/prod')).toBe('postgres://app:****@db/prod');
  });
});

describe('describeTarget', () => {
  it('names user, host, port and database, without the password', () => {
    expect(describeTarget('postgres://app:sekret@db.example/prod', {})).toBe('postgres://app@db.example:5432/prod');
  });

  it('fills in PGHOST, PGPORT and PGUSER, and defaults the database to the user', () => {
    const env = { PGHOST: '/var/run/postgresql', PGPORT: '5433', PGUSER: 'ci' };
    expect(describeTarget('postgresql:///prod', env)).toBe('postgres://ci@%2Fvar%2Frun%2Fpostgresql:5433/prod');
    expect(describeTarget('postgres://db.example', env)).toBe('postgres://ci@db.example:5433/ci');
  });

  it('lets host, port and user query parameters override the URL', () => {
    expect(describeTarget('postgres://a@h1:1000/d?host=h2&port=2000&user=b', {})).toBe('postgres://b@h2:2000/d');
  });

  it('brackets IPv6 addresses and decodes names', () => {
    expect(describeTarget('postgres://u@[::1]:6543/my%20db', {})).toBe('postgres://u@[::1]:6543/my%20db');
    expect(parsePgUrl('postgres://u@[::1]:6543/my%20db', {}).target).toEqual({
      host: '::1',
      port: 6543,
      user: 'u',
      database: 'my db',
    });
  });

  it('accepts a URL with a user but no host', () => {
    expect(describeTarget('postgres://app@/prod', { PGHOST: 'db.example' })).toBe('postgres://app@db.example:5432/prod');
  });
});

describe('parsePgUrl rejects what is not a postgres URL', () => {
  it('another scheme', () => {
    const error = catchError(() => parsePgUrl('mysql://root:sekret@db.example/app', {}));
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).exitCode).toBe(1);
    expect(error.message).toBe(
      'invalid database URL "mysql://root:****@db.example/app": ' +
        'expected postgres://user:password@host:5432/db (or postgresql://)',
    );
  });

  it('a bare host and port', () => {
    expect(catchError(() => parsePgUrl('localhost:5432/app', {})).message).toBe(
      'invalid database URL "localhost:5432/app": ' +
        'expected postgres://user:password@host:5432/db (or postgresql://)',
    );
  });

  it('an unparsable URL, without echoing its password', () => {
    const error = catchError(() => parsePgUrl('postgres://app:sekret@db.example:99999/prod', {}));
    expect(error.message).toBe(
      'invalid database URL "postgres://app:****@db.example:99999/prod": it cannot be parsed ' +
        '(expected postgres://user:password@host:5432/db; percent-encode special characters)',
    );
    expect(error.message).not.toContain('sekret');
  });

  it('no scheme, a missing colon or one slash, each masked, with the right form', () => {
    const cases: Array<[string, string]> = [
      ['app:pw1234@127.0.0.1/x', 'invalid database URL "app:****@127.0.0.1/x": expected postgres://user:password@host:5432/db (or postgresql://)'],
      ['postgres//app:pw1234@h/x', 'invalid database URL "postgres//app:****@h/x": expected postgres://user:password@host:5432/db (or postgresql://)'],
      ['postgres:/app:pw1234@127.0.0.1/x', 'invalid database URL "postgres:/app:****@127.0.0.1/x": expected "//" after "postgres:", as in postgres://user:password@host:5432/db'],
      ['host=h password=pw1234 dbname=x', 'invalid database URL "host=h password=**** dbname=x": key=value connection strings are not read; write it as a URL: postgres://user:password@host:5432/db'],
    ];
    for (const [url, message] of cases) expect(catchError(() => parsePgUrl(url, {})).message).toBe(message);
  });

  it('an empty string', () => {
    expect(catchError(() => parsePgUrl('', {})).message).toBe('invalid database URL: it is empty');
  });

  it('a port parameter that is not a port', () => {
    expect(catchError(() => parsePgUrl('postgres://h/d?port=abc', {})).message).toBe(
      'invalid database URL "postgres://h/d?port=abc": port "abc" is not a number from 1 to 65535',
    );
  });
});
