/**
 * Restore points (issue 14): before each phase, `apply` records the WAL position, the time and a named restore
 * point where the role may make one; `status` shows the one from before the phase's first attempt. Judged by the
 * database: the positions are compared with pg_current_wal_lsn(), and on a server with pg_walinspect the named
 * restore point is looked up in the WAL itself. A role that may not make one, a role that may not even read the
 * WAL position, and a journal made before these columns existed, on both backends.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../src/apply/index.js';
import { readJournal } from '../../src/apply/journal.js';
import { readStatus } from '../../src/apply/status.js';
import type { RunResult } from '../../src/apply/types.js';
import { connectPg } from '../../src/db/pg.js';
import { sha256 } from '../../src/emit/checksum.js';
import type { Db } from '../../src/db/types.js';
import { readHistory } from '../../src/load/migrations.js';
import type { Target } from '../../src/cli/apply.js';
import { statusText } from '../../src/cli/run-status.js';
import { backends, withFreshDb, type Backend } from '../support/backends.js';
import { removeTempDirs, tempDir, tx, upRequest, writeMigrations } from './support.js';

afterAll(removeTempDirs);

const all = await backends();

const done = (r: RunResult) => {
  if (r.outcome !== 'done') throw new Error(`expected done, got ${JSON.stringify(r, null, 2)}`);
  return r;
};

const TWO = (root: string) =>
  writeMigrations(root, [
    { id: '20260101000000_a', phases: [{ name: 'expand', up: tx('CREATE TABLE a (id int)'), down: tx('DROP TABLE a') }] },
    { id: '20260102000000_b', phases: [{ name: 'expand', up: tx('CREATE TABLE b (id int)'), down: tx('DROP TABLE b') }] },
  ]);

const TARGET: Target = { url: 'postgres://test@localhost/test', label: 'postgres://test@localhost/test', database: 'test', source: 'test', production: false };

/** The journal as it was created before restore points were recorded (src/apply/sql/journal-create.sql then). */
const OLD_JOURNAL = `CREATE SCHEMA IF NOT EXISTS keikaku;
CREATE TABLE IF NOT EXISTS keikaku.journal (
  seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  migration    text NOT NULL,
  phase        text NOT NULL CHECK (phase IN ('expand', 'backfill', 'contract')),
  direction    text NOT NULL CHECK (direction IN ('up', 'down', 'baseline')),
  file         text NOT NULL,
  checksum     text NOT NULL,
  status       text NOT NULL CHECK (status IN ('running', 'applied', 'reverted', 'failed')),
  steps_done   integer NOT NULL DEFAULT 0,
  steps_total  integer NOT NULL DEFAULT 0,
  started_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at  timestamptz,
  duration_ms  bigint,
  applied_by   text NOT NULL,
  error        text
);`;

const journalColumns = async (db: Db) =>
  (
    await db.query<{ c: string }>(
      `SELECT attname || ' ' || format_type(atttypid, atttypmod) AS c FROM pg_attribute
        WHERE attrelid = 'keikaku.journal'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    )
  ).map((r) => r.c);

/** A role that is not a superuser and may create what the migrations create. */
const limitedRole = async (db: Db): Promise<string> => {
  const role = `kk_rp_${randomBytes(4).toString('hex')}`;
  await db.exec(`CREATE ROLE ${role} LOGIN NOSUPERUSER; GRANT CREATE, CONNECT ON DATABASE "${(await db.query<{ d: string }>('SELECT current_database() AS d'))[0]!.d}" TO ${role};
    GRANT CREATE, USAGE ON SCHEMA public TO ${role}`);
  return role;
};

/**
 * Runs `fn` connected as `role`: on a server a connection of its own, on PGlite (one session) `SET ROLE`.
 * The role is dropped afterwards with what it owns.
 */
const asRole = async <T>(backend: Backend, db: Db, url: string | undefined, role: string, fn: (db: Db) => Promise<T>): Promise<T> => {
  try {
    if (backend.name === 'server') {
      const u = new URL(url!);
      u.username = role;
      const other = await connectPg(u.toString());
      try {
        return await fn(other);
      } finally {
        await other.close();
      }
    }
    await db.exec(`SET ROLE ${role}`);
    try {
      return await fn(db);
    } finally {
      await db.exec('RESET ROLE');
    }
  } finally {
    await db.exec(`DROP OWNED BY ${role} CASCADE; DROP ROLE ${role}`);
  }
};

describe.each(all)('restore points on $title', (backend) => {
  it('records the WAL position, the time and a named restore point before each phase; status shows them', () =>
    withFreshDb(backend, async (db) => {
      const generated = TWO(tempDir());
      const [{ before }] = (await db.query<{ before: string }>('SELECT pg_current_wal_lsn()::text AS before')) as [{ before: string }];
      done(await runMigrations(db, upRequest(generated)));
      const journal = await readJournal(db);
      expect(journal.map((e) => `${e.migration}:${e.status}`)).toEqual(['20260101000000_a:applied', '20260102000000_b:applied']);
      const [a, b] = journal.map((e) => e.restorePoint!);
      for (const [p, e] of [[a!, journal[0]!], [b!, journal[1]!]] as const) {
        expect(p.name).toMatch(new RegExp(`^keikaku_\\d{14}_up_expand_${e.migration}$`));
        // taken before the attempt's journal row was written
        expect(Date.parse(p.at)).toBeLessThanOrEqual(Date.parse(e.startedAt));
      }
      // The positions are real and in order: before the run ≤ a < b ≤ now.
      const [order] = await db.query<{ ok: boolean }>(
        `SELECT $1::pg_lsn <= $2::pg_lsn AND $2::pg_lsn < $3::pg_lsn AND $3::pg_lsn <= pg_current_wal_lsn() AS ok`,
        [before, a!.lsn, b!.lsn],
      );
      expect(order!.ok).toBe(true);
      if (backend.name === 'server' && (await db.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'pg_walinspect'`)).length) {
        await db.exec('CREATE EXTENSION pg_walinspect');
        const points = await db.query<{ d: string }>(
          // the server is shared: other tests' restore points may lie between
          `SELECT DISTINCT description AS d FROM pg_get_wal_records_info($1::pg_lsn, pg_current_wal_lsn())
            WHERE record_type = 'RESTORE_POINT' AND description = ANY($2::text[]) ORDER BY 1`,
          [before, [a!.name, b!.name]],
        );
        expect(points.map((p) => p.d)).toEqual([a!.name, b!.name]);
        await db.exec('DROP EXTENSION pg_walinspect');
      }

      const status = await readStatus(db, readHistory(generated));
      expect(status.migrations.map((m) => m.phases[0]!.restorePoint)).toEqual([a, b]);
      const text = statusText(TARGET, status);
      expect(text).toContain(`  expand   applied`);
      expect(text).toContain(`           before it: WAL ${a!.lsn}, at ${a!.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}, restore point ${a!.name}`);

      // a down records its own, and status shows none for the pending phase it leaves
      done(await runMigrations(db, { ...upRequest(generated), direction: 'down', steps: 1 }));
      const down = (await readJournal(db)).at(-1)!;
      expect(down).toMatchObject({ direction: 'down', status: 'reverted' });
      expect(down.restorePoint!.name).toMatch(/^keikaku_\d{14}_down_expand_20260102000000_b$/);
      expect(statusText(TARGET, await readStatus(db, readHistory(generated))).split('\n').filter((l) => l.includes('before it:'))).toHaveLength(1);
    }));

  it('a resumed phase keeps the restore point of its first attempt, from before its first step', () =>
    withFreshDb(backend, async (db) => {
      const generated = writeMigrations(tempDir(), [
        { id: '20260101000000_a', phases: [{ name: 'expand', up: tx('CREATE TABLE a (id int)') + tx('INSERT INTO a VALUES (1 / (SELECT count(*) FROM a))') }] },
      ]);
      expect((await runMigrations(db, upRequest(generated))).outcome).toBe('failed');
      await db.exec('INSERT INTO a VALUES (1)');
      done(await runMigrations(db, upRequest(generated)));
      const [first, second] = await readJournal(db);
      expect([first!.status, second!.status]).toEqual(['failed', 'applied']);
      expect(first!.restorePoint!.lsn).not.toEqual(second!.restorePoint!.lsn);
      const [phase] = (await readStatus(db, readHistory(generated))).migrations[0]!.phases;
      expect(phase!.restorePoint).toEqual(first!.restorePoint);
    }));

  it('a role that may not make a restore point gets the WAL position and the time, and a note saying why', async () => {
    const fresh = await backend.freshDb();
    try {
      const role = await limitedRole(fresh.db);
      const generated = TWO(tempDir());
      const status = await asRole(backend, fresh.db, fresh.url, role, async (db) => {
        done(await runMigrations(db, upRequest(generated)));
        return readStatus(db, readHistory(generated));
      });
      const points = status.migrations.map((m) => m.phases[0]!.restorePoint!);
      for (const p of points) {
        expect(p.lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
        expect(p.name).toBeNull();
        expect(p.notes).toContain(
          `no named restore point: role ${role} may not call pg_create_restore_point (a superuser, or GRANT EXECUTE ON FUNCTION pg_create_restore_point(text) TO ${role})`,
        );
      }
      const text = statusText(TARGET, status);
      expect(text).toContain(`           before it: WAL ${points[0]!.lsn}, at `);
      expect(text).toMatch(/\nrestore points \(recovering to one, or a provider's branch as of its time, gets back to just before its phase\):\n  no named restore point: role kk_rp_/);
      // said once, not once per phase
      expect(text.split('no named restore point').length).toBe(2);
    } finally {
      await fresh.release();
    }
  });

  it('where neither a position nor a restore point can be had, the time is recorded and status says nothing else could be', async () => {
    const fresh = await backend.freshDb();
    // Function privileges are per database (pg_proc): this touches only the test's own database.
    await fresh.db.exec('REVOKE EXECUTE ON FUNCTION pg_current_wal_lsn() FROM PUBLIC');
    try {
      const role = await limitedRole(fresh.db);
      const generated = TWO(tempDir());
      const status = await asRole(backend, fresh.db, fresh.url, role, async (db) => {
        done(await runMigrations(db, upRequest(generated)));
        return readStatus(db, readHistory(generated));
      });
      const p = status.migrations[0]!.phases[0]!.restorePoint!;
      expect(p).toMatchObject({ lsn: null, name: null });
      expect(p.notes[0]).toBe('no WAL position: permission denied for function pg_current_wal_lsn');
      const text = statusText(TARGET, status);
      expect(text).toMatch(/\n {11}before it: at \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ \(nothing else could be recorded: see below\)\n/);
      expect(text).toContain('\n  no WAL position: permission denied for function pg_current_wal_lsn\n');
    } finally {
      await fresh.db.exec('GRANT EXECUTE ON FUNCTION pg_current_wal_lsn() TO PUBLIC');
      await fresh.release();
    }
  });

  it('a journal made before restore points is read as it is, and upgraded by the next apply', () =>
    withFreshDb(backend, async (db) => {
      const generated = TWO(tempDir());
      await db.exec(OLD_JOURNAL);
      await db.exec('CREATE TABLE a (id int)');
      await db.query(
        `INSERT INTO keikaku.journal (migration, phase, direction, file, checksum, status, steps_done, steps_total, applied_by, finished_at, duration_ms)
         VALUES ('20260101000000_a', 'expand', 'up', '1_expand.up.sql', $1, 'applied', 1, 1, 'old', now(), 5)`,
        [sha256(readHistory(generated).migrations[0]!.files.get('1_expand.up.sql')!)],
      );
      const old = await readJournal(db);
      expect(old).toHaveLength(1);
      expect(old[0]!.restorePoint).toBeNull();
      const status = await readStatus(db, readHistory(generated));
      expect(status.migrations[0]!.phases[0]).toMatchObject({ state: 'applied', restorePoint: null });
      expect(statusText(TARGET, status)).not.toContain('before it:');

      done(await runMigrations(db, upRequest(generated)));
      const upgraded = await journalColumns(db);
      // the same columns as a journal created now
      await withFreshDb(backend, async (other) => {
        done(await runMigrations(other, upRequest(TWO(tempDir()), { to: '20260101000000_a' })));
        expect(upgraded).toEqual(await journalColumns(other));
      });
      const after = await readJournal(db);
      expect(after[0]!.restorePoint).toBeNull();
      expect(after[1]!.restorePoint!.at).toMatch(/Z$/);
    }));
});
