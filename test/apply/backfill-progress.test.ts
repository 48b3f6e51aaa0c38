/**
 * `status` reports the rows a batched backfill committed before it stopped: the backfill rendered by
 * `batchedUpdateSql` records them in `keikaku.backfill_progress` in each batch's transaction, under the journal
 * attempt, and a resumed attempt adds its own. On every backend, with the real renderer.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../src/apply/index.js';
import { readStatus } from '../../src/apply/status.js';
import { readHistory } from '../../src/load/migrations.js';
import type { Column, Table } from '../../src/model/schema.js';
import { batchedUpdateSql } from '../../src/render/backfill.js';
import { statusText } from '../../src/cli/run-status.js';
import { backends, withFreshDb } from '../support/backends.js';
import { removeTempDirs, tempDir, tx, upRequest, writeMigrations } from './support.js';

afterAll(removeTempDirs);

const id = { name: 'id', type: 'integer' } as unknown as Column;
const table = { kind: 'table', schema: 'public', name: 'order "items"' } as unknown as Table;

describe.each(await backends())('backfill progress on $title', (backend) => {
  it('a backfill stopped by an error: status says how many rows its batches committed, summed over resumed attempts', () =>
    withFreshDb(backend, async (db) => {
      const backfill = `${batchedUpdateSql({ table, key: [id], set: '"v" = 100 / "d"', pending: '"v" IS NULL', batchSize: 100, pause: 0 })}\n`;
      const generated = writeMigrations(tempDir(), [
        {
          id: '20260101000000_a',
          phases: [
            {
              name: 'expand',
              up: tx('CREATE TABLE "order ""items""" (id int PRIMARY KEY, d int NOT NULL DEFAULT 1, v int)', 'INSERT INTO "order ""items""" (id) SELECT g FROM generate_series(1, 400) g', 'UPDATE "order ""items""" SET d = 0 WHERE id = 250'),
            },
            { name: 'backfill', up: backfill },
          ],
        },
      ]);
      const history = readHistory(generated);
      const backfillStatus = async () => (await readStatus(db, history)).migrations[0]!.phases.find((p) => p.phase === 'backfill')!;
      // Row 250 (d = 0) fails its batch (201–300): batches 1 and 2 are committed.
      const failed = await runMigrations(db, upRequest(generated));
      expect(failed.outcome).toBe('failed');
      expect(await db.query(`SELECT count(*)::int AS n FROM "order ""items""" WHERE v IS NOT NULL`)).toEqual([{ n: 200 }]);
      const s1 = await backfillStatus();
      expect(s1.state).toBe('failed');
      expect(s1.backfilled).toEqual([{ table: 'public.order "items"', target: '"v" = 100 / "d"', done: 200, total: 400 }]);
      expect(statusText({ label: 'db', source: 'test', production: false } as never, await readStatus(db, history))).toContain(
        '    backfill public.order "items": 200 of 400 rows committed',
      );

      // Resumed: batch 3 now passes, row 350 fails batch 4; the two attempts together committed 300 of the 400.
      await db.exec(`UPDATE "order ""items""" SET d = 1 WHERE id = 250; UPDATE "order ""items""" SET d = 0 WHERE id = 350`);
      expect((await runMigrations(db, upRequest(generated))).outcome).toBe('failed');
      expect(await db.query(`SELECT count(*)::int AS n FROM "order ""items""" WHERE v IS NOT NULL`)).toEqual([{ n: 300 }]);
      expect((await backfillStatus()).backfilled).toEqual([{ table: 'public.order "items"', target: '"v" = 100 / "d"', done: 300, total: 400 }]);

      // Finished: nothing left to report.
      await db.exec(`UPDATE "order ""items""" SET d = 1 WHERE id = 350`);
      expect((await runMigrations(db, upRequest(generated))).outcome).toBe('done');
      const s3 = await backfillStatus();
      expect(s3.state).toBe('applied');
      expect(s3.backfilled).toEqual([]);
      expect(await db.query(`SELECT count(*)::int AS n FROM "order ""items""" WHERE v = 100`)).toEqual([{ n: 400 }]);
    }));

  it('run outside keikaku apply (no journal attempt), the backfill records nothing and needs no journal', () =>
    withFreshDb(backend, async (db) => {
      await db.exec(`CREATE TABLE "order ""items""" (id int PRIMARY KEY, d int NOT NULL DEFAULT 1, v int); INSERT INTO "order ""items""" (id) SELECT g FROM generate_series(1, 30) g`);
      await db.exec(batchedUpdateSql({ table, key: [id], set: '"v" = 100 / "d"', pending: '"v" IS NULL', batchSize: 10, pause: 0 }));
      expect(await db.query(`SELECT count(*)::int AS n FROM "order ""items""" WHERE v = 100`)).toEqual([{ n: 30 }]);
      expect(await db.query(`SELECT to_regclass('keikaku.backfill_progress') IS NULL AS absent`)).toEqual([{ absent: true }]);
    }));
});
