import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/db/errors.js';
import { connectPg } from '../../src/db/pg.js';
import { createScratchDatabase, withScratchDatabase } from '../../src/db/scratch.js';
import { parseScratchName } from '../../src/db/scratch-name.js';
import type { Db } from '../../src/db/types.js';
import { backends, serverRequired, testServerUrl } from '../support/backends.js';

const server = (await backends()).find((b) => b.name === 'server');

// Without a server these are skipped, unless one is required (CI), where connecting fails them.
describe.skipIf(!server && !serverRequired())('createScratchDatabase', () => {
  const url = testServerUrl();
  let admin: Db;
  beforeAll(async () => {
    admin = await connectPg(url);
  });
  afterAll(async () => {
    await admin?.close();
  });

  const exists = async (name: string): Promise<boolean> =>
    (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).length === 1;

  it('creates an empty uniquely named database and drops it', async () => {
    const scratch = await createScratchDatabase(url);
    const name = (await scratch.db.query<{ name: string }>('SELECT current_database() AS name'))[0]!.name;
    expect(parseScratchName(name)).toMatchObject({ pid: process.pid });
    expect(scratch.url).toBe(url.replace(/\/postgres$/, `/${name}`));
    expect(scratch.db.label).toBe(scratch.url);
    expect(await exists(name)).toBe(true);
    expect(await scratch.db.query(`SELECT count(*)::int AS n FROM pg_class WHERE relnamespace = 'public'::regnamespace`)).toEqual([{ n: 0 }]);
    await scratch.drop();
    await scratch.drop(); // idempotent
    expect(await exists(name)).toBe(false);
  });

  it('drops it even when the callback throws, and even with other sessions connected', async () => {
    let name = '';
    let other: Db | undefined;
    const error = await withScratchDatabase(url, async (scratch) => {
      name = (await scratch.db.query<{ name: string }>('SELECT current_database() AS name'))[0]!.name;
      other = await connectPg(scratch.url); // WITH (FORCE) ends this session
      await scratch.db.exec('CREATE TABLE t (a int)');
      throw new Error('boom');
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe('boom');
    expect(name).toMatch(/^keikaku_shadow_/);
    expect(await exists(name)).toBe(false);
    await expect(other!.query('SELECT 1')).rejects.toThrow();
    await other!.close().catch(() => undefined);
  });

  it('returns the callback’s result', async () => {
    expect(await withScratchDatabase(url, async (s) => (await s.db.query('SELECT 41 + 1 AS n'))[0])).toEqual({ n: 42 });
  });

  it('works from a URL whose own database does not exist, through the postgres database', async () => {
    const scratch = await createScratchDatabase(url.replace(/\/postgres$/, '/keikaku_no_such_db'));
    try {
      expect(parseScratchName(scratch.url.slice(scratch.url.lastIndexOf('/') + 1))).toMatchObject({ pid: process.pid });
      expect(await scratch.db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await scratch.drop();
    }
  });

  it('says the role needs CREATEDB when it lacks it', async () => {
    const role = `keikaku_test_${randomBytes(4).toString('hex')}`;
    await admin.exec(`CREATE ROLE ${role} LOGIN NOCREATEDB`);
    try {
      const roleUrl = url.replace(/^postgres:\/\/[^@]+@/, `postgres://${role}:sekret@`);
      const error = await createScratchDatabase(roleUrl).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).message).toMatch(
        new RegExp(
          `^cannot create a scratch database on postgres://${role}@[^:]+:\\d+/postgres: ` +
            'permission denied to create database \\(the role needs CREATEDB\\)$',
        ),
      );
    } finally {
      await admin.exec(`DROP ROLE ${role}`);
    }
  });
});
