import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseArrayLiteral } from '../../src/db/array-literal.js';
import { UserError } from '../../src/db/errors.js';
import { connectPg } from '../../src/db/pg.js';
import { backends, testServerUrl, withFreshDb } from '../support/backends.js';

const all = await backends();
const server = all.find((b) => b.name === 'server');

const rejection = async (promise: Promise<unknown>): Promise<UserError> => {
  try {
    await promise;
  } catch (error) {
    return error as UserError;
  }
  throw new Error('expected a rejection');
};

describe('connectPg failures are one-line UserErrors that never show the password', () => {
  let silent: net.Server | undefined;
  const accepted = new Set<net.Socket>();
  afterEach(async () => {
    for (const socket of accepted) socket.destroy();
    accepted.clear();
    await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
    silent = undefined;
  });

  it('a bad URL', async () => {
    const error = await rejection(connectPg('mysql://app:sekret@db.example/prod'));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      'invalid database URL "mysql://app:****@db.example/prod": ' +
        'expected postgres://user:password@host:5432/db (or postgresql://)',
    );
  });

  it('a port nobody listens on', async () => {
    const error = await rejection(connectPg('postgres://app:sekret@127.0.0.1:1/prod'));
    expect(error).toBeInstanceOf(UserError);
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe('cannot connect to postgres://app@127.0.0.1:1/prod: connection refused');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('a server that never answers: timed out', async () => {
    let closedByClient = 0;
    silent = net.createServer((socket) => {
      accepted.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => closedByClient++);
      socket.resume(); // read (and ignore) the startup packet, so the client's FIN is seen
    });
    await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const started = Date.now();
    const error = await rejection(
      connectPg(`postgres://app:sekret@127.0.0.1:${port}/prod?password=sekret`, { connectTimeoutMs: 300 }),
    );
    expect(error.message).toBe(`cannot connect to postgres://app@127.0.0.1:${port}/prod: timed out after 0.3 s`);
    expect(Date.now() - started).toBeLessThan(5_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closedByClient).toBe(1); // the half-open connection was not left behind
  });
});

describe.skipIf(!server)('connectPg on the server', () => {
  it('names a missing database', async () => {
    const url = testServerUrl().replace(/\/postgres$/, '/keikaku_no_such_db');
    const error = await rejection(connectPg(url));
    expect(error.message).toMatch(
      /^cannot connect to postgres:\/\/[^@]+@[^:]+:\d+\/keikaku_no_such_db: database "keikaku_no_such_db" does not exist$/,
    );
  });

  it('connects as application_name keikaku, labelled with the password masked', async () => {
    // Trust authentication accepts any password; the label must still hide it.
    const url = testServerUrl().replace(/^postgres:\/\/([^@]+)@/, 'postgres://$1:sekret@');
    const db = await connectPg(url);
    try {
      expect(db.label).toBe(url.replace(':sekret@', ':****@'));
      expect(await db.query(`SELECT current_setting('application_name') AS name`)).toEqual([{ name: 'keikaku' }]);
    } finally {
      await db.close();
    }
  });

  it('reads sslmode=require as libpq does, without pg’s warning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      // The local server has no SSL: libpq's `require` refuses it too.
      const error = await rejection(connectPg(`${testServerUrl()}?sslmode=require`));
      expect(error.message).toMatch(/^cannot connect to postgres:\/\/\S+: The server does not support SSL connections$/);
      const plain = await connectPg(`${testServerUrl()}?sslmode=disable`);
      await plain.close();
      expect(warnings).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('serialises concurrent queries on its one connection', async () => {
    const db = await connectPg(testServerUrl());
    try {
      const results = await Promise.all(
        [1, 2, 3, 4, 5].map((n) => db.query<{ n: number }>('SELECT $1::int * 10 AS n', [n])),
      );
      expect(results.map((r) => r[0]!.n)).toEqual([10, 20, 30, 40, 50]);
    } finally {
      await db.close();
    }
  });

  it('eachRow hands over the rows query returns, in turn with other queries; a throwing listener rejects, the session goes on', async () => {
    const db = await connectPg(testServerUrl());
    try {
      const sql = 'SELECT g AS n, ARRAY[g, g + 1] AS pair, g % 2 = 0 AS even FROM generate_series(1, $1::int) AS g';
      const streamed: unknown[] = [];
      const [, queried, after] = await Promise.all([
        db.eachRow!(sql, [300], (row) => streamed.push(row)),
        db.query(sql, [300]),
        db.query<{ n: number }>('SELECT 1 AS n'),
      ]);
      expect(streamed).toEqual(queried);
      expect(after).toEqual([{ n: 1 }]);

      const seen: unknown[] = [];
      const failing = db.eachRow!(sql, [5], (row) => {
        seen.push(row);
        throw new Error('listener failed');
      });
      await expect(failing).rejects.toThrow('listener failed');
      expect(seen).toHaveLength(1);
      await expect(db.eachRow!('SELECT 1/0', [], () => undefined)).rejects.toThrow(/division by zero/);
      expect(await db.query<{ n: number }>('SELECT 2 AS n')).toEqual([{ n: 2 }]);
    } finally {
      await db.close();
    }
  });
});

describe.each(all)('Db values on $title', (backend) => {
  it('are the same JS values on every backend', () =>
    withFreshDb(backend, async (db) => {
      const rows = await db.query(`
        SELECT 42::int8 AS i8, 7::int4 AS i4, 'pg_class'::regclass::oid AS oid, 1.50::numeric AS num,
               0.5::float8 AS f8, true AS yes, '{"a":[1,2]}'::jsonb AS doc,
               '2020-02-03'::date AS day, '2020-02-03 04:05:06'::timestamp AS ts,
               '2020-02-03 04:05:06+00'::timestamptz AS tstz, '1 day 02:00:00'::interval AS span,
               '(1,2)'::point AS pt, 'r'::"char" AS kind, 'int4'::regtype AS typ,
               ARRAY['a', 'b c', NULL]::name[] AS names, ARRAY['r', 'v']::"char"[] AS kinds,
               ARRAY[1, 2]::int8[] AS big, ARRAY[[1, 2], [3, 4]]::int2[] AS grid,
               ARRAY['x"y', 'p,q']::text[] AS texts, '{}'::aclitem[] AS acl, NULL::text AS nothing`);
      expect(rows).toEqual([
        {
          i8: '42',
          i4: 7,
          oid: 1259,
          num: '1.50',
          f8: 0.5,
          yes: true,
          doc: { a: [1, 2] },
          day: '2020-02-03',
          ts: '2020-02-03 04:05:06',
          tstz: new Date('2020-02-03T04:05:06Z'),
          span: '1 day 02:00:00',
          pt: '(1,2)',
          kind: 'r',
          typ: 'integer',
          names: ['a', 'b c', null],
          kinds: ['r', 'v'],
          big: ['1', '2'],
          grid: [
            [1, 2],
            [3, 4],
          ],
          texts: ['x"y', 'p,q'],
          acl: [],
          nothing: null,
        },
      ]);
    }));

  it('query takes parameters, exec takes scripts', () =>
    withFreshDb(backend, async (db) => {
      await db.exec('CREATE TABLE t (id int, tags text[]); INSERT INTO t VALUES (1, $${a,b}$$)');
      expect(await db.query('SELECT id FROM t WHERE tags @> $1::text[]', [['b']])).toEqual([{ id: 1 }]);
    }));

  it('query runs exactly one statement', () =>
    withFreshDb(backend, async (db) => {
      await expect(db.query('SELECT 1; SELECT 2')).rejects.toMatchObject({
        message: 'cannot insert multiple commands into a prepared statement',
        code: '42601',
      });
    }));
});

describe('parseArrayLiteral', () => {
  it('reads quoting, escapes, NULL, nesting, bounds and other delimiters', () => {
    expect(parseArrayLiteral('{a,"b c","d\\"e","f\\\\g",NULL,"NULL"}')).toEqual(['a', 'b c', 'd"e', 'f\\g', null, 'NULL']);
    expect(parseArrayLiteral('{{1,2},{3,4}}', Number)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(parseArrayLiteral('[0:1]={7,8}', Number)).toEqual([7, 8]);
    expect(parseArrayLiteral('{(0,0),(1,1);(2,2),(3,3)}', (v) => v, ';')).toEqual(['(0,0),(1,1)', '(2,2),(3,3)']);
    expect(parseArrayLiteral('{}')).toEqual([]);
  });
});
