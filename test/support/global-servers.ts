/**
 * vitest global setup: one server of each major of KEIKAKU_TEST_MAJORS for the whole run (a start costs ~1 s and
 * ~40 MB; test files share them and each works in scratch databases of its own). Stopped at the end of the run;
 * on a signal or crash the handlers of src/db/embedded/cleanup.ts stop them.
 */
import type { TestProject } from 'vitest/node';
import type { EmbeddedServer } from '../../src/db/embedded/server.js';
import { startServer, testMajors } from './servers.js';

let servers: EmbeddedServer[] = [];

export const setup = async (project: TestProject): Promise<void> => {
  const majors = testMajors();
  servers = await Promise.all(majors.map((m) => startServer(m)));
  project.provide('majorServers', Object.fromEntries(servers.map((s) => [String(s.major), s.url])));
};

export const teardown = async (): Promise<void> => {
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
};
