/**
 * What this process has made outside itself and must remove before it ends: scratch databases, temporary files.
 * Each maker registers a cleanup when it makes the thing and unregisters it once it has removed it; the CLI runs
 * whatever is still registered when it exits normally and when a signal ends it (src/cli/signals.ts), so an
 * interrupted run leaves nothing behind. One registry per thread: worker threads never make server databases.
 */

type Cleanup = () => Promise<void> | void;

const pending = new Map<number, { readonly label: string; readonly run: Cleanup }>();
let next = 0;

/** Registers `run` (named by `label` in reports); the returned function unregisters it. */
export const onCleanup = (label: string, run: Cleanup): (() => void) => {
  const id = next++;
  pending.set(id, { label, run });
  return () => {
    pending.delete(id);
  };
};

/** The labels of what is still registered. */
export const pendingCleanups = (): string[] => [...pending.values()].map((c) => c.label);

/**
 * Runs every registered cleanup at once and forgets them; each gets at most `timeoutMs`. Resolves with the labels
 * of those that failed or did not finish in time (never rejects: it runs on the way out).
 */
export const runCleanups = async (timeoutMs = 10_000): Promise<string[]> => {
  const all = [...pending.values()];
  pending.clear();
  const failed: string[] = [];
  await Promise.all(
    all.map(async ({ label, run }) => {
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
        timer.unref();
      });
      try {
        const outcome = await Promise.race([Promise.resolve().then(run), expired]);
        if (outcome === 'timeout') failed.push(label);
      } catch {
        failed.push(label);
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return failed;
};
