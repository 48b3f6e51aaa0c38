/**
 * Runs a function of one of our modules on a worker thread. The embedded PGlite is WebAssembly that blocks its
 * thread while it works, so two shadows started with `Promise.all` on one thread run one after the other; on two
 * threads they overlap (a cold `generate` replays the history and normalizes schema/ at the same time).
 *
 * Only plain data crosses (structured clone). A failure in the worker comes back as `WorkerFailure`; callers that
 * need the typed error (a `SqlFileError` with its file and line) run the same function on their own thread.
 */
import { Worker } from 'node:worker_threads';

export class WorkerFailure extends Error {
  override readonly name = 'WorkerFailure';
}

/** Whether work may go to a worker thread (`KEIKAKU_NO_WORKER=1` keeps everything on the main thread). */
export const workersEnabled = (): boolean => process.env.KEIKAKU_NO_WORKER !== '1';

const ENTRY = new URL(`./worker-entry.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

/** A function running on a worker thread: its result, and a way to hand it more input while it runs. */
export interface StartedWorker<T> {
  readonly result: Promise<T>;
  /** The value the function's next `receive()` resolves with. */
  send(value: unknown): void;
  /** Ends the thread now, whatever it is doing (its result then rejects). */
  stop(): Promise<void>;
}

/**
 * `module[exportName](input)` on a new worker thread; resolves with its result. `module` is a URL of one of our
 * own modules (`new URL('./x.js', import.meta.url)`).
 */
export const runInWorker = <T>(module: URL, exportName: string, input: unknown): Promise<T> => startInWorker<T>(module, exportName, input).result;

/**
 * `module[exportName](input, receive)` on a new worker thread, started now: the function may await `receive()`
 * for values the caller `send`s later (work that starts before all of its input is known).
 */
export const startInWorker = <T>(module: URL, exportName: string, input: unknown): StartedWorker<T> => {
  let worker!: Worker;
  const result = new Promise<T>((resolve, reject) => {
    // From source (tests run TypeScript directly) the worker first registers the same TypeScript loader (tsx).
    worker = ENTRY.pathname.endsWith('.ts')
      ? new Worker(
          `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((t) => { t.register(); return import(${JSON.stringify(ENTRY.href)}); });`,
          { eval: true, workerData: { module: module.href, exportName, input } },
        )
      : new Worker(ENTRY, { workerData: { module: module.href, exportName, input } });
    let settled = false;
    worker.on('message', (m: { ok: true; value: T } | { ok: false; message: string }) => {
      if (settled) return;
      settled = true;
      if (m.ok) resolve(m.value);
      else reject(new WorkerFailure(m.message));
      void worker.terminate();
    });
    worker.once('error', (e) => {
      if (!settled) reject(new WorkerFailure(e instanceof Error ? e.message : String(e), { cause: e }));
      settled = true;
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new WorkerFailure(`worker thread exited with code ${code}`));
    });
  });
  result.catch(() => undefined); // a caller that never awaits the result must not see an unhandled rejection
  return {
    result,
    send: (value) => worker.postMessage({ input: value }),
    stop: async () => {
      await worker.terminate();
    },
  };
};
