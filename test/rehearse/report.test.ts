/** The text report of a rehearsal (src/cli/rehearse.ts): hostile names reach the terminal escaped. Pure. */
import { describe, expect, it } from 'vitest';
import type { Rehearsal } from '../../src/api.js';
import { rehearsalJson, rehearsalText } from '../../src/cli/rehearse.js';

const hostile = 'x\u001b[31m\u202e\r\nkeikaku: FAKE "quoted"';

const report: Rehearsal = {
  source: `postgres://u@h:5432/${hostile}`,
  copy: { method: 'template', url: 'postgres://u@h:5432/copy', sampleRows: null, notes: [`note ${hostile}`] },
  lockTimeoutMs: 2000,
  pending: [{ migration: `1_${hostile}`, phase: 'expand' }],
  plans: [],
  steps: [
    {
      migration: `1_${hostile}`,
      phase: 'expand',
      step: 1,
      description: `alter ${hostile}`,
      durationMs: 10,
      maxLockWaitMs: 3,
      failedStatements: 1,
      workloadStatements: 4,
      rowsPerSecond: null,
      rewrote: true,
      rewroteTables: [`public.${hostile}`],
      walBytes: 2048,
      tables: [`public.${hostile}`],
      planSteps: [0],
      forecastMs: 10,
      exceedsLockTimeout: false,
      failed: false,
      workloadErrors: [`public.${hostile}: column does not exist`],
      againMs: 9,
    },
  ],
  failure: null,
  roundTrip: { downMs: 1, upMs: 2, ok: false, tables: [{ table: `public.${hostile}`, rowsBefore: 1, rowsAfterDown: 1, rowsAfterUp: 1, downRestored: true, downHashCompared: true, upReapplied: false, differ: [hostile] }] },
  tables: [],
  findings: [`lost ${hostile}`],
};

describe('the rehearsal report', () => {
  it('escapes names in the text: no control character, no line a name made', () => {
    const text = rehearsalText(report);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
    expect(text.split('\n').some((l) => l.startsWith('keikaku: FAKE'))).toBe(false);
    expect(text).toContain('rewrote public.x\\x1b[31m');
    expect(text).toContain('Round trip: down 1 ms, up again 2 ms: the data did NOT come back');
  });

  it('JSON: the steps with the fields DESIGN §10 names, and the names as they are', () => {
    const json = rehearsalJson(report);
    expect(Object.keys(json.steps[0]!).slice(0, 12)).toEqual([
      'migration',
      'phase',
      'step',
      'description',
      'durationMs',
      'maxLockWaitMs',
      'failedStatements',
      'rowsPerSecond',
      'rewrote',
      'walBytes',
      'forecastMs',
      'exceedsLockTimeout',
    ]);
    expect(json.steps[0]!.description).toBe(`alter ${hostile}`);
  });
});
