/**
 * `resolve` through the stage, on both backends: a migration done by hand recorded as applied (apply then runs only
 * what follows), one undone by hand recorded as rolled back (apply runs it again), a failed attempt cleaned up, and
 * the journal kept a line (out-of-order resolutions refused).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../src/apply/index.js';
import { readJournal } from '../../src/apply/journal.js';
import { readStatus } from '../../src/apply/status.js';
import type { RunResult } from '../../src/apply/types.js';
import { resolveMigration, type ResolveRequest, type ResolveResult } from '../../src/history/resolve.js';
import { readHistory } from '../../src/load/migrations.js';
import type { Db } from '../../src/db/types.js';
import { backends, withFreshDb } from '../support/backends.js';
import { removeTempDirs, tempDir, tx, upRequest, writeMigrations } from '../apply/support.js';

afterAll(removeTempDirs);

const done = (r: RunResult) => {
  if (r.outcome !== 'done') throw new Error(`expected done, got ${JSON.stringify(r, null, 2)}`);
  return r;
};
const codes = (r: ResolveResult) => (r.kind === 'refused' ? r.refusals.map((x) => x.code) : [`not refused: ${JSON.stringify(r)}`]);

const THREE = () =>
  writeMigrations(tempDir(), [
    { id: '20260101000000_a', phases: [{ name: 'expand', up: tx('CREATE TABLE a (id int)'), down: tx('DROP TABLE a') }] },
    {
      id: '20260102000000_b',
      phases: [
        { name: 'expand', up: tx('CREATE TABLE b (id int)'), down: tx('DROP TABLE b') },
        { name: 'contract', up: tx('ALTER TABLE a ADD COLUMN x int'), down: tx('ALTER TABLE a DROP COLUMN x') },
      ],
    },
    { id: '20260103000000_c', phases: [{ name: 'expand', up: tx('CREATE TABLE c (id int)'), down: tx('DROP TABLE c') }] },
  ]);

const states = async (db: Db, generated: string) =>
  (await readStatus(db, readHistory(generated))).migrations.map((m) => `${m.id.slice(15)}:${m.phases.map((p) => p.state).join(',')}`);

const tables = async (db: Db) =>
  (await db.query<{ t: string }>(`SELECT relname::text AS t FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1`)).map((r) => r.t);

describe.each(await backends())('resolve on $title', (backend) => {
  it('records applied / rolled back by hand, and apply continues from there', () =>
    withFreshDb(backend, async (db) => {
      const generated = THREE();
      const req = (migration: string, as: ResolveRequest['as'], extra: Partial<ResolveRequest> = {}): ResolveRequest => ({ history: readHistory(generated), migration, as, by: 'test', ...extra });

      // b cannot be recorded as applied while a is not
      expect(codes(await resolveMigration(db, req('20260102000000_b', 'applied')))).toEqual(['OUT_OF_ORDER']);
      done(await runMigrations(db, upRequest(generated, { to: '20260101000000_a' })));

      // b done by hand, recorded: apply then runs only c
      await db.exec('CREATE TABLE b (id int); ALTER TABLE a ADD COLUMN x int');
      const r = await resolveMigration(db, req('20260102000000_b', 'applied'));
      expect(r).toMatchObject({ kind: 'done', recorded: [{ phase: 'expand', was: 'pending' }, { phase: 'contract', was: 'pending' }], unchanged: [] });
      expect((await readJournal(db)).at(-1)!.appliedBy).toContain('keikaku resolve --applied');
      expect(await states(db, generated)).toEqual(['a:applied', 'b:applied,applied', 'c:pending']);
      const ran = done(await runMigrations(db, upRequest(generated)));
      expect(ran.ran.map((x) => x.migration)).toEqual(['20260103000000_c']);
      expect(await tables(db)).toEqual(['a', 'b', 'c']);

      // a later migration applied: b cannot be recorded as rolled back; the newest can
      expect(codes(await resolveMigration(db, req('20260102000000_b', 'rolled-back')))).toEqual(['OUT_OF_ORDER']);
      await db.exec('DROP TABLE c');
      expect(await resolveMigration(db, req('20260103000000_c', 'rolled-back'))).toMatchObject({ kind: 'done', recorded: [{ phase: 'expand', was: 'applied' }] });
      expect(await states(db, generated)).toEqual(['a:applied', 'b:applied,applied', 'c:pending']);
      // Again: nothing to record.
      expect(await resolveMigration(db, req('20260103000000_c', 'rolled-back'))).toMatchObject({ kind: 'done', recorded: [], unchanged: [{ was: 'pending' }] });
      done(await runMigrations(db, upRequest(generated)));
      expect(await tables(db)).toEqual(['a', 'b', 'c']);

      // one phase only: b's contract undone by hand (c first)
      await db.exec('DROP TABLE c');
      await resolveMigration(db, req('20260103000000_c', 'rolled-back'));
      await db.exec('ALTER TABLE a DROP COLUMN x');
      expect(await resolveMigration(db, req('20260102000000_b', 'rolled-back', { phase: 'contract' }))).toMatchObject({ kind: 'done', recorded: [{ phase: 'contract' }] });
      expect(await states(db, generated)).toEqual(['a:applied', 'b:applied,pending', 'c:pending']);
      done(await runMigrations(db, upRequest(generated)));
      expect(await states(db, generated)).toEqual(['a:applied', 'b:applied,applied', 'c:applied']);
    }));

  it('a failed phase finished by hand is recorded applied; its files must be intact', () =>
    withFreshDb(backend, async (db) => {
      const generated = writeMigrations(tempDir(), [
        { id: '20260101000000_a', phases: [{ name: 'expand', up: tx('CREATE TABLE a (id int)') + tx('CREATE TABLE a (id int)'), down: tx('DROP TABLE a') }] },
      ]);
      const failed = await runMigrations(db, upRequest(generated));
      expect(failed.outcome).toBe('failed');
      expect(await states(db, generated)).toEqual(['a:failed']);
      const r = await resolveMigration(db, { history: readHistory(generated), migration: '20260101000000_a', as: 'applied', by: 'test' });
      expect(r).toMatchObject({ kind: 'done', recorded: [{ was: 'failed' }] });
      expect(await states(db, generated)).toEqual(['a:applied']);
    }));
});
