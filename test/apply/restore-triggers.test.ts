/**
 * A restore is not a write of the application: archived values put back must come back as they were, whatever the
 * table's triggers do. On the example app, offices has a BEFORE UPDATE trigger that sets updated_at = now(). A down
 * that drops offices.timezone with --allow-data-loss archives its values; the next apply puts them back with an
 * UPDATE, which must leave updated_at alone and the triggers enabled as they were (one set to ENABLE ALWAYS here).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply } from '../../src/api.js';
import { ensureBuilt } from '../load/built.js';
import { exampleProject, removeProjects } from '../check/project.js';
import { backends, withFreshDb } from '../support/backends.js';

beforeAll(ensureBuilt);
afterAll(removeProjects);

describe.each(await backends())('a restore with the table\'s triggers on $title', (backend) => {
  it('puts archived values back without firing the user\'s triggers, and leaves them enabled as they were', { timeout: 300_000 }, async () => {
    const config = await exampleProject();
    await withFreshDb(backend, async (db, fresh) => {
      const target = fresh.url ? { databaseUrl: fresh.url } : { db };
      expect((await apply({ config, ...target })).kind).toBe('ran');
      await db.exec(`INSERT INTO offices (name, timezone, updated_at) VALUES ('Osaka', 'Asia/Osaka', '2020-01-01T00:00:00Z'), ('Kyoto', 'Asia/Tokyo', '2020-01-02T00:00:00Z')`);
      await db.exec(`CREATE FUNCTION note_touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.name := NEW.name || '!'; RETURN NEW; END $$`);
      await db.exec(`CREATE TRIGGER offices_note BEFORE UPDATE ON offices FOR EACH ROW EXECUTE FUNCTION note_touch(); ALTER TABLE offices ENABLE ALWAYS TRIGGER offices_note`);
      const rows = () => db.query(`SELECT name, timezone, updated_at::text FROM offices ORDER BY name`);
      const before = await rows();

      const down = await apply({ config, ...target, direction: 'down', to: '20261121090000_rename_staff_full_name', allowDataLoss: true });
      expect(down.kind).toBe('ran');
      expect(await db.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'offices' AND column_name = 'timezone'`)).toEqual([{ n: 0 }]);
      expect((await apply({ config, ...target })).kind).toBe('ran');

      expect(await rows()).toEqual(before);
      expect(await db.query(`SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'offices'::regclass AND NOT tgisinternal ORDER BY tgname`)).toEqual([
        { tgname: 'offices_note', tgenabled: 'A' },
        { tgname: 'offices_touch_updated_at', tgenabled: 'O' },
      ]);
      // The triggers still fire for the application's writes.
      await db.exec(`UPDATE offices SET timezone = 'UTC' WHERE name = 'Osaka'`);
      const [osaka] = await db.query<{ name: string; updated_at: string }>(`SELECT name, updated_at::text FROM offices WHERE timezone = 'UTC'`);
      expect(osaka!.name).toBe('Osaka!');
      expect(osaka!.updated_at).not.toBe((before[1] as { updated_at: string }).updated_at);
    });
  });
});
