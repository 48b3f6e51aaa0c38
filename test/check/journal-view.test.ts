/** The journal held against the migration directory (no database): applied order, pending, failed, mismatches. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/apply/journal.js';
import { journalView } from '../../src/check/live.js';
import { sha256 } from '../../src/emit/checksum.js';
import { readHistory, upFiles } from '../../src/load/migrations.js';
import type { PhaseName } from '../../src/model/plan.js';
import { projectRoot } from '../support/paths.js';

const { migrations } = readHistory(join(projectRoot, 'generated'));

let seq = 0;
const entry = (migration: string, phase: PhaseName, file: string, checksum: string, status: JournalEntry['status'], error: string | null = null): JournalEntry => ({
  seq: ++seq,
  migration,
  phase,
  direction: 'up',
  file,
  checksum,
  status,
  stepsDone: 0,
  stepsTotal: 1,
  startedAt: '2026-11-27T00:00:00Z',
  finishedAt: status === 'running' ? null : '2026-11-27T00:00:01Z',
  durationMs: status === 'running' ? null : 1000,
  appliedBy: 'test',
  error,
  restorePoint: null,
});

const applied = (i: number) => {
  const m = migrations[i]!;
  const file = upFiles(m)[0]!;
  return entry(m.id, m.plan.phases[0]!.name, file, sha256(m.files.get(file)!), 'applied');
};

describe('journalView', () => {
  it('no journal: every phase pending, nothing applied', () => {
    const v = journalView(migrations, []);
    expect(v.hasJournal).toBe(false);
    expect(v.applied).toEqual([]);
    expect(v.issues.map((i) => [i.migration, i.state])).toEqual(migrations.map((m) => [m.id, 'pending']));
  });

  it('applied phases in the order they ran; a failed one with its error; a checksum that differs; a migration the directory lacks', () => {
    const last = migrations.at(-1)!;
    const lastFile = upFiles(last)[0]!;
    const entries = [
      applied(1),
      applied(0),
      ...[2, 3, 4].map(applied),
      entry(last.id, 'contract', lastFile, sha256('something else'), 'failed', 'lock timeout'),
      entry(last.id, 'contract', lastFile, sha256('something else'), 'applied'),
      entry('20990101000000_from_elsewhere', 'expand', '1_expand.up.sql', 'x', 'applied'),
    ];
    const v = journalView(migrations, entries);
    // The order they ran in (seq), not the directory's.
    expect(v.applied.map((f) => f.migration.id)).toEqual([migrations[1]!.id, migrations[0]!.id, ...[2, 3, 4, 5].map((i) => migrations[i]!.id)]);
    expect(v.issues).toEqual([]);
    expect(v.mismatches.map((m) => [m.migration, m.file])).toEqual([
      [last.id, lastFile],
      ['20990101000000_from_elsewhere', null],
    ]);

    const failed = journalView(migrations, entries.slice(0, 6));
    expect(failed.issues).toEqual([{ migration: last.id, phase: 'contract', file: lastFile, state: 'failed', error: 'lock timeout' }]);
    expect(failed.mismatches).toEqual([]);
  });
});
