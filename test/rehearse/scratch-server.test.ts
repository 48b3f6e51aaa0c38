/**
 * `rehearse --scratch-url`: the copy made with pg_dump | pg_restore on another server (an embedded server started
 * for the test, test/support/servers.ts) of the source's major; a server of another major is refused, naming both.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rehearse } from '../../src/api.js';
import { connectPg } from '../../src/db/pg.js';
import { removeTempDirs } from '../apply/support.js';
import { backends } from '../support/backends.js';
import { withServer } from '../support/servers.js';
import { change, fingerprint, makeSource } from './support.js';

afterAll(removeTempDirs);

const server = (await backends()).find((b) => b.name === 'server');
const major = server
  ? await (async () => {
      const db = await connectPg(server.serverUrl!);
      try {
        return Math.floor(Number((await db.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`))[0]!.v) / 10_000);
      } finally {
        await db.close();
      }
    })()
  : 0;

describe.skipIf(!server)(`rehearse --scratch-url on ${server?.title ?? 'a server (none reachable: skipped)'}`, () => {
  it('copies into a server of the same major with pg_dump | pg_restore, and refuses one of another major', async () => {
    const source = await makeSource(server!.serverUrl!, [change(0)]);
    try {
      const before = await fingerprint(source);
      await withServer(major, async (other) => {
        const r = await rehearse({ root: source.root, databaseUrl: source.url, scratchUrl: other.url });
        expect(r.copy.method).toBe('dump');
        expect(r.copy.url).toContain(`:${other.port}/keikaku_shadow_`);
        expect(r.copy.notes[0]).toMatch(/--scratch-url: the copy is made with pg_dump on that server/);
        expect(r.steps.map((s) => s.rewrote)).toEqual([false, true]);
        expect(r.roundTrip?.ok).toBe(true);
        const db = await connectPg(other.url);
        try {
          expect(await db.query(`SELECT datname FROM pg_database WHERE datname LIKE 'keikaku\\_shadow\\_%'`)).toEqual([]);
        } finally {
          await db.close();
        }
      });
      const otherMajor = major === 18 ? 17 : major + 1;
      await withServer(otherMajor, async (other) => {
        await expect(rehearse({ root: source.root, databaseUrl: source.url, scratchUrl: other.url })).rejects.toThrow(
          new RegExp(`is PostgreSQL ${otherMajor}, the source ${major}: a rehearsal needs the same major`),
        );
      });
      expect(await fingerprint(source)).toBe(before);
    } finally {
      await source.drop();
    }
  }, 60_000);
});
