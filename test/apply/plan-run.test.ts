/** planRun decides from the directory and the journal alone (no database): order, resumption, refusals. */
import { afterAll, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/apply/journal.js';
import { planRun } from '../../src/apply/plan-run.js';
import { sha256 } from '../../src/emit/checksum.js';
import { readHistory } from '../../src/load/migrations.js';
import { removeTempDirs, tempDir, tx, writeMigrations } from './support.js';

afterAll(removeTempDirs);

const generated = writeMigrations(tempDir(), [
  { id: '20260101000000_a', phases: [{ name: 'expand', up: tx('CREATE TABLE a (id int)'), down: tx('DROP TABLE a') }] },
  {
    id: '20260102000000_b',
    phases: [
      { name: 'expand', up: tx('CREATE TABLE b (id int)') + tx('CREATE TABLE b2 (id int)'), down: tx('DROP TABLE b2') + tx('DROP TABLE b') },
      { name: 'contract', up: tx('DROP TABLE a'), down: tx('CREATE TABLE a (id int)') },
    ],
  },
]);
const history = readHistory(generated);
const file = (id: string, f: string) => history.migrations.find((m) => m.id === id)!.files.get(f)!;

let seq = 0;
const entry = (migration: string, phase: 'expand' | 'contract', direction: 'up' | 'down', status: JournalEntry['status'], stepsDone = 0): JournalEntry => {
  const f = `${phase === 'expand' ? 1 : 3}_${phase}.${direction}.sql`;
  return {
    seq: ++seq, migration, phase, direction, file: f, checksum: sha256(file(migration, f)), status, stepsDone, stepsTotal: 2,
    startedAt: '2026-01-01T00:00:00.000Z', finishedAt: null, durationMs: null, appliedBy: 'test', error: null, restorePoint: null,
  };
};
const A = '20260101000000_a';
const B = '20260102000000_b';
const names = (p: ReturnType<typeof planRun>) =>
  p.kind === 'ready' ? p.phases.map((x) => `${x.migration}:${x.file}@${x.resumeFrom}${x.interrupted ? '!' : ''}`) : p.refusals.map((r) => r.code);

describe('planRun', () => {
  it('up: everything pending in order; --phase stops before a later phase; --to stops after a migration', () => {
    expect(names(planRun({ history, direction: 'up' }, []))).toEqual([`${A}:1_expand.up.sql@0`, `${B}:1_expand.up.sql@0`, `${B}:3_contract.up.sql@0`]);
    expect(names(planRun({ history, direction: 'up', phase: 'expand' }, []))).toEqual([`${A}:1_expand.up.sql@0`, `${B}:1_expand.up.sql@0`]);
    expect(names(planRun({ history, direction: 'up', to: A }, []))).toEqual([`${A}:1_expand.up.sql@0`]);
    expect(names(planRun({ history, direction: 'up', to: 'nope' }, []))).toEqual(['UNKNOWN_TARGET']);
  });

  it('resumes a phase stopped part-way up, after its committed steps', () => {
    const journal = [entry(A, 'expand', 'up', 'applied'), entry(B, 'expand', 'up', 'failed', 1)];
    expect(names(planRun({ history, direction: 'up' }, journal))).toEqual([`${B}:1_expand.up.sql@1!`, `${B}:3_contract.up.sql@0`]);
    // down refuses until the half-applied phase is finished
    expect(names(planRun({ history, direction: 'down' }, journal))).toEqual(['PARTIAL']);
  });

  it('down: newest first, phase order reversed; a phase stopped part-way down resumes down, and blocks up', () => {
    const all = [entry(A, 'expand', 'up', 'applied'), entry(B, 'expand', 'up', 'applied'), entry(B, 'contract', 'up', 'applied')];
    expect(names(planRun({ history, direction: 'down' }, all))).toEqual([`${B}:3_contract.down.sql@0`, `${B}:1_expand.down.sql@0`]);
    expect(names(planRun({ history, direction: 'down', steps: 2 }, all))).toHaveLength(3);
    const halfDown = [...all, entry(B, 'contract', 'down', 'reverted'), entry(B, 'expand', 'down', 'failed', 1)];
    expect(names(planRun({ history, direction: 'down' }, halfDown))).toEqual([`${B}:1_expand.down.sql@1!`]);
    expect(names(planRun({ history, direction: 'up' }, halfDown))).toEqual(['PARTIAL']);
    // a down that committed nothing left the phase applied: up has nothing to redo there
    const downFailedAtOnce = [...all, entry(B, 'contract', 'down', 'failed', 0)];
    expect(names(planRun({ history, direction: 'up' }, downFailedAtOnce))).toEqual([]);
  });

  it('refuses a journal that disagrees with the directory', () => {
    const foreign = [{ ...entry(A, 'expand', 'up', 'applied'), migration: '20250101000000_other' }];
    expect(names(planRun({ history, direction: 'up' }, foreign))).toEqual(['UNKNOWN_MIGRATION']);
    const gap = [entry(B, 'expand', 'up', 'applied')];
    expect(names(planRun({ history, direction: 'up' }, gap))).toEqual(['OUT_OF_ORDER']);
    const edited = [{ ...entry(A, 'expand', 'up', 'applied'), checksum: sha256('something else') }];
    expect(names(planRun({ history, direction: 'up' }, edited))).toEqual(['CHECKSUM']);
    expect(names(planRun({ history, direction: 'up' }, [], ['public.users']))).toEqual(['NOT_EMPTY']);
    // a reverted migration may leave the directory
    const reverted = [{ ...entry(A, 'expand', 'up', 'applied'), migration: '20250101000000_gone' }, { ...entry(A, 'expand', 'down', 'reverted'), migration: '20250101000000_gone' }];
    expect(planRun({ history, direction: 'up' }, reverted).kind).toBe('ready');
  });
});
