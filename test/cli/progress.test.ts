/** Backfill progress as apply prints it: rate and time left from the reports' own clock, a bar on a terminal. */
import { describe, expect, it } from 'vitest';
import { ProgressMeter } from '../../src/cli/progress.js';

const report = (done: number, now: number) => ({ key: 'm/2_backfill.up.sql/public.t', table: 'public.t', done, total: 10_000, now });

describe('ProgressMeter', () => {
  it('in a log: a line at most once a second per backfill with rate and ETA, and always the last one', () => {
    const m = new ProgressMeter(false);
    expect(m.update(report(1_000, 0))).toBe('  progress public.t: 1,000/10,000 rows (10%), ETA …\n');
    expect(m.update(report(2_000, 500))).toBeUndefined();
    expect(m.update(report(3_000, 1_000))).toBe('  progress public.t: 3,000/10,000 rows (30%), 2,000 rows/s, ETA 4s\n');
    expect(m.update(report(10_000, 1_200))).toBe('  progress public.t: 10,000/10,000 rows (100%), 7,500 rows/s, done\n');
  });

  it('on a terminal: one line redrawn in place as a bar, ended when the backfill is done', () => {
    const m = new ProgressMeter(true, 10);
    expect(m.update(report(0, 0))).toBe('\r  [..........] public.t: 0/10,000 rows (0%), ETA …');
    expect(m.update(report(5_000, 100_000))).toBe('\r  [#####.....] public.t: 5,000/10,000 rows (50%), 50 rows/s, ETA 1m40s');
    expect(m.update(report(10_000, 200_000))).toBe('\r  [##########] public.t: 10,000/10,000 rows (100%), 50 rows/s, done\n');
  });
});

describe('ProgressMeter, repeated and empty reports', () => {
  it('a backfill of an empty table is one line, however many batches report "0/0"', () => {
    for (const tty of [false, true]) {
      const m = new ProgressMeter(tty, 10);
      const lines = [0, 10, 20, 30, 40].map((now) => m.update({ key: 'm/2_backfill.up.sql/public.e', table: 'public.e', done: 0, total: 0, now }));
      expect(lines.filter((l) => l !== undefined)).toEqual([`${tty ? '\r' : ''}  ${tty ? '' : 'progress '}public.e: no rows to backfill\n`]);
    }
  });

  it('after its final line a backfill prints nothing more (late or repeated reports)', () => {
    const m = new ProgressMeter(false);
    expect(m.update(report(10_000, 0))).toBe('  progress public.t: 10,000/10,000 rows (100%), done\n');
    expect(m.update(report(10_000, 2_000))).toBeUndefined();
    expect(m.update(report(10_000, 4_000))).toBeUndefined();
  });
});
