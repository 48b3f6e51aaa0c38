/**
 * The worker side of `runInWorker`/`startInWorker`: imports the module, calls the export with the input and a
 * `receive` for values sent later, posts the result.
 */
import { parentPort, workerData } from 'node:worker_threads';

const { module, exportName, input } = workerData as { module: string; exportName: string; input: unknown };

const inbox: unknown[] = [];
const waiting: ((value: unknown) => void)[] = [];
const onMessage = (m: { input: unknown }) => {
  const w = waiting.shift();
  if (w) w(m.input);
  else inbox.push(m.input);
};
parentPort!.on('message', onMessage);
const receive = (): Promise<unknown> => (inbox.length ? Promise.resolve(inbox.shift()) : new Promise((resolve) => waiting.push(resolve)));

try {
  const fn = ((await import(module)) as Record<string, (i: unknown, r: typeof receive) => Promise<unknown>>)[exportName];
  if (typeof fn !== 'function') throw new Error(`${module} has no function ${exportName}`);
  parentPort!.postMessage({ ok: true, value: await fn(input, receive) });
} catch (e) {
  parentPort!.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) });
} finally {
  parentPort!.off('message', onMessage);
}
