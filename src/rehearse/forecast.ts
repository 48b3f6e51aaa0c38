/**
 * From the copy's figures to the real database's: a step's time above `fixedMs` (what a step costs that touches no
 * row: the quickest step of the run) scales with the rows of the tables it works on (live rows / rows on the copy;
 * 1 for a whole copy), so a catalog-only step is not forecast 100 times slower on a 1 % sample; a step holds
 * others up too long when the workload's longest wait, scaled alike (not for a batched backfill, whose batches
 * each hold their rows a batch long), is longer than `lock_timeout`, or when it rewrote a table
 * (holding ACCESS EXCLUSIVE throughout) for longer than that. Pure.
 */
export interface ForecastInput {
  readonly durationMs: number;
  readonly maxLockWaitMs: number;
  readonly rewrote: boolean;
  /** Rows per second of a batched backfill (null for other steps): its batches hold row locks a batch long, however many rows there are. */
  readonly rowsPerSecond?: number | null | undefined;
  /** `schema.table` the step works on. */
  readonly tables: readonly string[];
}

export interface Forecast {
  readonly forecastMs: number;
  /** Live rows / copied rows of the step's largest ratio; 1 when nothing was sampled or no table is known. */
  readonly scale: number;
  readonly exceedsLockTimeout: boolean;
}

export const forecastStep = (
  step: ForecastInput,
  o: {
    readonly live: ReadonlyMap<string, number>;
    readonly copied: ReadonlyMap<string, number>;
    readonly sampled: boolean;
    readonly lockTimeoutMs: number;
    /** The part of a step's time that does not grow with rows (default 0). */
    readonly fixedMs?: number | undefined;
  },
): Forecast => {
  let scale = 1;
  if (o.sampled)
    for (const t of step.tables) {
      const live = o.live.get(t);
      const copied = o.copied.get(t);
      if (live === undefined || copied === undefined) continue;
      const ratio = copied > 0 ? live / copied : live > 0 ? live : 1;
      scale = Math.max(scale, ratio);
    }
  const fixed = Math.min(step.durationMs, Math.max(0, o.fixedMs ?? 0));
  const forecastMs = Math.round(fixed + (step.durationMs - fixed) * scale);
  // A batched backfill's waits are a batch long on any table: they do not grow with its rows.
  const waitScale = step.rowsPerSecond !== null && step.rowsPerSecond !== undefined ? 1 : scale;
  const waitFixed = Math.min(step.maxLockWaitMs, fixed);
  const exceedsLockTimeout = waitFixed + (step.maxLockWaitMs - waitFixed) * waitScale > o.lockTimeoutMs || (step.rewrote && forecastMs > o.lockTimeoutMs);
  return { forecastMs, scale, exceedsLockTimeout };
};
