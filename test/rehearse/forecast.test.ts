/** The forecast of a step on the real database from its figures on a copy (src/rehearse/forecast.ts): pure. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forecastStep } from '../../src/rehearse/forecast.js';

const step = (durationMs: number, maxLockWaitMs = 0, rewrote = false) => ({ durationMs, maxLockWaitMs, rewrote, tables: ['public.t'] });
const sizes = (live: number, copied: number) => ({ live: new Map([['public.t', live]]), copied: new Map([['public.t', copied]]) });

describe('forecastStep', () => {
  it('a whole copy: the forecast is the measured time', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.nat(1_000_000), fc.nat(1_000_000), fc.nat(50), (ms, live, copied, fixed) => {
        expect(forecastStep(step(ms), { ...sizes(live, copied), sampled: false, lockTimeoutMs: 2000, fixedMs: fixed }).forecastMs).toBe(ms);
      }),
    );
  });

  it('a sample: the time above the fixed part grows with live / copied rows, never below the measured time', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), fc.nat(50), (ms, copied, extra, fixed) => {
        const live = copied + extra;
        const f = forecastStep(step(ms), { ...sizes(live, copied), sampled: true, lockTimeoutMs: 2000, fixedMs: fixed });
        const base = Math.min(ms, fixed);
        expect(f.forecastMs).toBe(Math.round(base + (ms - base) * (live / copied)));
        expect(f.forecastMs).toBeGreaterThanOrEqual(ms);
      }),
    );
    // 1 % sample: a 5 ms catalog-only step stays 5 ms; a 105 ms step (5 fixed) becomes 10,005 ms.
    expect(forecastStep(step(5), { ...sizes(1_000_000, 10_000), sampled: true, lockTimeoutMs: 2000, fixedMs: 5 }).forecastMs).toBe(5);
    expect(forecastStep(step(105), { ...sizes(1_000_000, 10_000), sampled: true, lockTimeoutMs: 2000, fixedMs: 5 }).forecastMs).toBe(10_005);
  });

  it('exceeds lock_timeout when the scaled wait does, or a rewrite forecast longer than it', () => {
    const o = { ...sizes(100_000, 1_000), sampled: true, lockTimeoutMs: 2000, fixedMs: 0 };
    expect(forecastStep(step(10, 25), o).exceedsLockTimeout).toBe(true); // 25 ms × 100
    expect(forecastStep(step(10, 15), o).exceedsLockTimeout).toBe(false);
    expect(forecastStep(step(30, 0, true), o).exceedsLockTimeout).toBe(true); // rewrite, 3 s forecast
    expect(forecastStep(step(30, 0, false), o).exceedsLockTimeout).toBe(false);
    // a batched backfill's batches hold their rows a batch long on any table: its wait is not scaled
    expect(forecastStep({ ...step(400, 40), rowsPerSecond: 50_000 }, o).exceedsLockTimeout).toBe(false);
    expect(forecastStep({ ...step(400, 40), rowsPerSecond: null }, o).exceedsLockTimeout).toBe(true);
  });
});
