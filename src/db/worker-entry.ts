/** The worker side of `runInWorker`: imports the module, calls the export with the input, posts the result. */
import { parentPort, workerData } from 'node:worker_threads';

const { module, exportName, input } = workerData as { module: string; exportName: string; input: unknown };
try {
  const fn = ((await import(module)) as Record<string, (i: unknown) => Promise<unknown>>)[exportName];
  if (typeof fn !== 'function') throw new Error(`${module} has no function ${exportName}`);
  parentPort!.postMessage({ ok: true, value: await fn(input) });
} catch (e) {
  parentPort!.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) });
}
