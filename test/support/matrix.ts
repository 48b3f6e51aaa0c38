/**
 * The servers of the test matrix: `KEIKAKU_TEST_MAJORS=13,14,…` (or `all`) names the majors the matrix tests run
 * on; the vitest global setup (`global-servers.ts`) starts each once for the whole run and hands the URLs to the
 * test files, so a test file only connects (and works in scratch databases of its own).
 *
 *   describe.each(testMajors())('PostgreSQL %i', (major) => {
 *     it('…', async () => { const url = await majorServerUrl(major); … });
 *   });
 */
import { afterAll, inject } from 'vitest';
import type { EmbeddedServer } from '../../src/db/embedded/server.js';
import { startServer } from './servers.js';

export { testMajors } from './servers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Major → URL of the server the global setup started (`global-servers.ts`). */
    majorServers: Record<string, string>;
  }
}

const started = new Map<number, Promise<EmbeddedServer>>();

afterAll(async () => {
  const all = [...started.values()];
  started.clear();
  await Promise.all(all.map(async (s) => (await s).stop()));
});

/**
 * The URL of a server of `major` shared by the whole run: the global setup's when it started one, else one started
 * for this test file (stopped after it).
 */
export const majorServerUrl = async (major: number): Promise<string> => {
  const provided = inject('majorServers')?.[String(major)];
  if (provided) return provided;
  let server = started.get(major);
  if (!server) {
    server = startServer(major);
    started.set(major, server);
  }
  return (await server).url;
};
