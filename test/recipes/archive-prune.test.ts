/**
 * `keikaku archive prune --older-than AGE`: archives older than AGE are dropped (with their catalog rows),
 * younger ones kept; `--dry-run` drops nothing; a bad age is one line and exit 1. It connects by URL, so it runs
 * on the server only.
 */
import { describe, expect, it } from 'vitest';
import { backends, withFreshDb } from '../support/backends.js';
import { runCli } from '../support/cli.js';
import { archives, ID, rolloutTo, run } from './harness.js';

const server = (await backends()).filter((b) => b.name === 'server');

// Without a server (a fresh machine), the file says why it has nothing to run; with CI=true the server is required.
if (server.length === 0) it.skip('archive prune runs on a PostgreSQL server: none is reachable', () => {});

describe.skipIf(server.length === 0).each(server)('archive prune on $title', (backend) => {
  it('drops archives older than the age, keeps the others; --dry-run and --format json', () =>
    withFreshDb(backend, async (db, fresh) => {
      await db.exec(`CREATE SCHEMA app;
        CREATE TABLE app.a (id int PRIMARY KEY, old text, older text);
        INSERT INTO app.a SELECT g, 'x' || g, 'y' || g FROM generate_series(1, 100) g;`);
      const r = await rolloutTo(db, 'CREATE TABLE app.a (id int PRIMARY KEY);');
      await run(fresh, r.up('contract'));
      const older = `${ID}__app.a.older`;
      await db.exec(`UPDATE keikaku_archive.catalog SET archived_at = now() - interval '40 days' WHERE name = '${older}'`);

      const dry = await runCli('archive', 'prune', '--older-than', '30d', '--dry-run', '--database-url', fresh.url!, '--format', 'json');
      expect(dry.code).toBe(0);
      const report = JSON.parse(dry.stdout);
      expect(report.wouldDrop.map((a: { name: string }) => a.name)).toEqual([older]);
      expect(report.wouldDrop[0].bytes).toBeGreaterThan(0);
      expect(report.dropped).toEqual([]);
      expect(report.target).not.toContain('@@');
      expect(await archives(db)).toContain(older);

      const real = await runCli('archive', 'prune', '--older-than', '30d', '--database-url', fresh.url!);
      expect(real.code).toBe(0);
      expect(real.stdout).toContain(`dropped 1 archive(s) older than 30 days; 1 kept`);
      expect(await archives(db)).toEqual([`${ID}__app.a.old`, 'catalog']);
      expect((await db.query(`SELECT name FROM keikaku_archive.catalog`)).map((x) => (x as { name: string }).name)).toEqual([`${ID}__app.a.old`]);

      const bad = await runCli('archive', 'prune', '--older-than', 'soon', '--database-url', fresh.url!);
      expect(bad.code).toBe(1);
      expect(bad.stderr.trim().split('\n')).toEqual(['keikaku: --older-than soon: expected an age such as 30d, 12h, 2w, 90min or 45s']);
    }));

  it('says so when a database has no archives', () =>
    withFreshDb(backend, async (_db, fresh) => {
      const r = await runCli('archive', 'prune', '--older-than', '1d', '--database-url', fresh.url!);
      expect(r).toMatchObject({ code: 0, stdout: expect.stringContaining('dropped 0 archive(s)') });
    }));
});
