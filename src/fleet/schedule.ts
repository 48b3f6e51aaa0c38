/**
 * The order a fleet runs in: at most `parallel` databases at once; the first `canary` alone first (all of them
 * done, none failed, before any other starts); after a failure no new database starts unless `continueOnError`
 * (those running finish). A database never started is `skipped`. Knows nothing of databases: `run` does the work.
 */

export interface ScheduleOptions {
  /** At most this many at once (1 or more). */
  readonly parallel: number;
  /** The first `canary` items run (bounded by `parallel`) and finish before the others; one failing stops all. */
  readonly canary?: number | undefined;
  /** Keep starting items after one failed (never after a canary failed). */
  readonly continueOnError?: boolean | undefined;
}

export type Scheduled<R> = { readonly kind: 'ran'; readonly result: R; readonly failed: boolean } | { readonly kind: 'skipped'; readonly reason: string };

/**
 * Runs `run` over `items` in order as the options allow; results in the items' order. `failed` says whether a
 * result counts as a failure (a thrown error does too: `run` should return failures as values).
 */
export const schedule = async <T, R>(
  items: readonly T[],
  o: ScheduleOptions,
  run: (item: T, index: number) => Promise<R>,
  failed: (result: R) => boolean,
): Promise<Scheduled<R>[]> => {
  if (!Number.isInteger(o.parallel) || o.parallel < 1) throw new RangeError(`parallel must be a whole number, 1 or more (got ${o.parallel})`);
  const canary = Math.min(o.canary ?? 0, items.length);
  const out: (Scheduled<R> | undefined)[] = items.map(() => undefined);
  let stop: string | undefined;

  const wave = async (from: number, to: number, stopOnFailure: boolean, why: string) => {
    let next = from;
    const worker = async () => {
      while (stop === undefined && next < to) {
        const i = next++;
        const result = await run(items[i]!, i);
        const bad = failed(result);
        out[i] = { kind: 'ran', result, failed: bad };
        if (bad && stopOnFailure && stop === undefined) stop = `${why} (target ${i + 1})`;
      }
    };
    await Promise.all(Array.from({ length: Math.min(o.parallel, to - from) }, worker));
  };

  if (canary > 0) await wave(0, canary, true, 'a canary failed');
  if (stop === undefined) await wave(canary, items.length, o.continueOnError !== true, 'stopped after a failure');
  return out.map((r) => r ?? { kind: 'skipped', reason: stop ?? 'not run' });
};
